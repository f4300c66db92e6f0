"""What a taxonomy's labels and descriptions teach the skill resolver, learnt once at fit.

:func:`build_text_index` turns skills into the sparse matrices a query is scored against:
character n-gram TF-IDF of every name and alias, word TF-IDF of labels and descriptions, which
words each skill holds, word substitutions learnt between two labels of one skill, and the
acronyms the labels spell or write. Nothing here looks at a query; see
:mod:`recommender.resolver_query` for that side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from recommender.resolver_text import (
    char_ngrams,
    fold,
    spelled_acronyms,
    strip_versions,
    words,
    written_acronyms,
)
from recommender.types import SkillRecord

# Kinds of label, as indices into ``("id", "name", "alias", "description")``.
NAME, ALIAS = 1, 2

#: Substitutions a word needs before its synonyms are trusted fully (additive smoothing).
SYNONYM_SMOOTHING = 2.0
#: Synonyms kept per word, the most frequent substitutions first.
MAX_SYNONYMS = 5
#: Labels per skill compared pairwise when learning synonyms (pairs grow quadratically).
MAX_LABELS_PAIRED = 30
#: Expansions kept per acronym, the most frequent first.
MAX_EXPANSIONS = 3
#: A character n-gram in more labels than this is too common to look up (see ``_char_query``).
COMMON_NGRAM_LABELS = 2000


@dataclass(frozen=True, slots=True)
class TextIndex:
    """The fitted text of a taxonomy: labels grouped by skill (name first), and descriptions.

    Attributes
    ----------
    label_start : ndarray of int64, shape (n_skills,)
        First label of each skill.
    label_kind : ndarray of int8, shape (n_labels,)
        ``NAME`` or ``ALIAS``.
    char_vocabulary : dict of str to int
        Character n-gram (taken within words, as ``analyzer="char_wb"`` does) -> column.
    char_idf : ndarray of float64, shape (n_char_features,)
        IDF of each n-gram over names and aliases.
    char_common : ndarray of bool, shape (n_char_features,)
        N-grams in more than ``COMMON_NGRAM_LABELS`` labels, which queries skip.
    char_labels : csr_matrix of float32, shape (n_char_features, n_labels)
        Label vectors, transposed so a query only touches its own n-grams.
    words : TfidfVectorizer
        Stemmed words, IDF over names, aliases and descriptions.
    word_labels : csr_matrix of float32, shape (n_words, n_labels)
    word_descriptions : csr_matrix of float32, shape (n_words, n_skills)
    word_presence : csr_matrix of float32, shape (n_words, n_skills)
        1 where a skill's labels or description hold the word.
    synonyms : csr_matrix of float32, shape (n_words, n_words)
        Share of a word's substitutions (between two labels of one skill) going to another.
    expansions : dict of str to list of (tuple of int, float)
        Acronym -> word columns of the runs it abbreviates, with their share.
    written_acronyms : dict of str to int
        Acronyms written in capitals in the taxonomy -> their word column.
    """

    label_start: np.ndarray
    label_kind: np.ndarray
    char_vocabulary: dict[str, int]
    char_idf: np.ndarray
    char_common: np.ndarray
    char_labels: sparse.csr_matrix
    words: TfidfVectorizer
    word_labels: sparse.csr_matrix
    word_descriptions: sparse.csr_matrix
    word_presence: sparse.csr_matrix
    synonyms: sparse.csr_matrix
    expansions: dict[str, list[tuple[tuple[int, ...], float]]]
    written_acronyms: dict[str, int]

    @property
    def n_skills(self) -> int:
        """Number of skills indexed."""
        return len(self.label_start)


def build_text_index(
    skills: Sequence[SkillRecord], *, ngram_range: tuple[int, int], use_descriptions: bool
) -> TextIndex:
    """Learn the vocabularies, synonyms and acronyms of ``skills``, kept in the given order.

    Every skill keeps its name as first label, blank or not, so that skill k's labels are
    ``labels[label_start[k]:label_start[k + 1]]``; blank aliases are left out.
    """
    labels: list[str] = []
    label_kind: list[int] = []
    label_start: list[int] = []
    for skill in skills:
        label_start.append(len(labels))
        labels.append(skill.name)
        label_kind.append(NAME)
        for alias in skill.aliases:
            if alias.strip():
                labels.append(alias)
                label_kind.append(ALIAS)
    descriptions = [s.description if use_descriptions else "" for s in skills]

    keys = [fold(strip_versions(t)) for t in labels]
    char_vocabulary, char_idf, char_common, char_labels = _fit_chars(keys, ngram_range)
    label_words = [words(k) for k in keys]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    both = _fit_columns(vectorizer, label_words + [words(fold(d)) for d in descriptions], ["--"])
    word_labels = both[:, : len(labels)].tocsr()
    word_descriptions = both[:, len(labels) :].tocsr()
    owner = np.repeat(np.arange(len(skills)), np.diff([*label_start, len(labels)]))
    # Skills x words, then words x skills: 1 where a label or the description holds it.
    held = (
        sparse.csr_matrix(
            (np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(labels)))),
            shape=(len(skills), len(labels)),
        )
        @ word_labels.T
        + word_descriptions.T
    )
    held = sparse.csr_matrix(held.T, dtype=np.float32)
    held.data[:] = 1.0
    vocabulary = vectorizer.vocabulary_
    written = set().union(*(written_acronyms(t) for t in labels + descriptions if not t.islower()))
    return TextIndex(
        label_start=np.array(label_start, dtype=np.int64),
        label_kind=np.array(label_kind, dtype=np.int8),
        char_vocabulary=char_vocabulary,
        char_idf=char_idf,
        char_common=char_common,
        char_labels=char_labels,
        words=vectorizer,
        word_labels=word_labels,
        word_descriptions=word_descriptions,
        word_presence=held,
        synonyms=_synonyms(label_words, owner, vocabulary),
        expansions=_expansions(keys, vocabulary),
        written_acronyms={a: vocabulary[a] for a in sorted(written) if a in vocabulary},
    )


def _fit_chars(
    keys: Sequence[str], ngram_range: tuple[int, int]
) -> tuple[dict[str, int], np.ndarray, np.ndarray, sparse.csr_matrix]:
    """Learn the character n-gram TF-IDF of the labels from their folded texts.

    N-grams are taken within words, so each distinct word is cut up once and a label's
    counts are the sum of its words' (one sparse product), not a pass over every label.

    Returns
    -------
    vocabulary, idf, common, labels
        As :class:`TextIndex`'s ``char_*`` attributes.
    """
    word_column: dict[str, int] = {}
    label_rows, word_cols = [], []
    for row, key in enumerate(keys):
        for word in key.split():
            label_rows.append(row)
            word_cols.append(word_column.setdefault(word, len(word_column)))
    vocabulary: dict[str, int] = {}
    word_rows, gram_cols = [], []
    for word, row in word_column.items():
        for gram in char_ngrams(word, *ngram_range):
            word_rows.append(row)
            gram_cols.append(vocabulary.setdefault(gram, len(vocabulary)))
    n_grams = len(vocabulary)
    label_words = sparse.csr_matrix(
        (np.ones(len(label_rows)), (label_rows, word_cols)),
        shape=(len(keys), len(word_column)),
    )
    word_grams = sparse.csr_matrix(
        (np.ones(len(word_rows)), (word_rows, gram_cols)), shape=(len(word_column), n_grams)
    )
    counts = (label_words @ word_grams).tocsr()
    df = np.bincount(counts.indices, minlength=n_grams)
    idf = np.log((1.0 + len(keys)) / (1.0 + df)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    rows = np.repeat(np.arange(len(keys)), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, counts.data**2, minlength=len(keys)))
    counts.data /= norms[rows]
    return vocabulary, idf, df > COMMON_NGRAM_LABELS, sparse.csr_matrix(counts.T, dtype=np.float32)


def _identity(tokens: list[str]) -> list[str]:
    """Return already analysed tokens unchanged (a picklable analyzer)."""
    return tokens


def _fit_columns(vectorizer: TfidfVectorizer, documents: list, blank) -> sparse.csr_matrix:
    """Fit ``vectorizer`` and return the documents' vectors as columns.

    Columns let a query multiply only the rows of its own features. A taxonomy with no
    text at all is fitted on ``blank``, a document nothing matches.

    Returns
    -------
    columns : csr_matrix of float32, shape (n_features, n_documents)
    """
    try:
        rows = vectorizer.fit_transform(documents)
    except ValueError:  # an empty vocabulary
        vectorizer.fit([blank])
        rows = sparse.csr_matrix((len(documents), len(vectorizer.vocabulary_)))
    return sparse.csr_matrix(rows.T, dtype=np.float32)


def _synonyms(
    label_words: Sequence[Sequence[str]], owner: np.ndarray, vocabulary: Mapping[str, int]
) -> sparse.csr_matrix:
    """Learn word substitutions: two labels of one skill that differ by one word each.

    Returns
    -------
    synonyms : csr_matrix of float32, shape (n_words, n_words)
        ``[x, y]`` = substitutions of x by y / (all substitutions of x + smoothing), for the
        ``MAX_SYNONYMS`` most frequent y of each x.
    """
    by_skill: dict[int, list[frozenset[str]]] = defaultdict(list)
    for tokens, skill in zip(label_words, owner.tolist(), strict=True):
        if tokens:
            by_skill[skill].append(frozenset(tokens))
    pairs: Counter[tuple[str, str]] = Counter()
    for sets in by_skill.values():
        # Only labels with as many distinct words can differ by one word each.
        by_size: dict[int, list[frozenset[str]]] = defaultdict(list)
        for words_of_label in list(dict.fromkeys(sets))[:MAX_LABELS_PAIRED]:
            by_size[len(words_of_label)].append(words_of_label)
        for same_size in by_size.values():
            for a, b in combinations(same_size, 2):
                only_a = a - b
                if len(only_a) == 1:
                    (x,), (y,) = only_a, b - a
                    pairs[x, y] += 1
                    pairs[y, x] += 1
    total: Counter[str] = Counter()
    for (x, _), count in pairs.items():
        total[x] += count
    kept: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (x, y), count in pairs.items():
        kept[x].append((count / (total[x] + SYNONYM_SMOOTHING), y))
    rows, cols, values = [], [], []
    for x, shares in kept.items():
        # The strongest few, so that a query widens by a handful of words, not hundreds.
        for share, y in sorted(shares, reverse=True)[:MAX_SYNONYMS]:
            rows.append(vocabulary[x])
            cols.append(vocabulary[y])
            values.append(share)
    n = len(vocabulary)
    return sparse.csr_matrix((values, (rows, cols)), shape=(n, n), dtype=np.float32)


def _expansions(
    keys: Iterable[str], vocabulary: Mapping[str, int]
) -> dict[str, list[tuple[tuple[int, ...], float]]]:
    """Learn what acronyms stand for from the runs of words in names and aliases (folded).

    Returns
    -------
    expansions : dict of str to list of (tuple of int, float)
        Acronym -> up to ``MAX_EXPANSIONS`` word-column runs and each one's share.
    """
    seen: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for key in keys:
        for acronym, stems in spelled_acronyms(key):
            seen[acronym][stems] += 1
    expansions = {}
    for acronym, runs in seen.items():
        best = runs.most_common(MAX_EXPANSIONS)
        total = sum(count for _, count in best)
        expansions[acronym] = [
            (tuple(vocabulary[s] for s in stems if s in vocabulary), count / total)
            for stems, count in best
        ]
    return expansions
