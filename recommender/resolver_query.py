"""The query side of the skill resolver: a text's vectors and its similarity to every skill.

:func:`query_features` compares one text with a :class:`~recommender.resolver_vocab.TextIndex`:
the character n-gram and the word TF-IDF cosine of every label, the word cosine of every
description, and how much of the text's words each skill holds. How those become one score
is :mod:`recommender.resolver_fusion`'s business.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from recommender.resolver_text import char_ngrams, fold, spelled_acronyms, stem, words
from recommender.resolver_vocab import TextIndex

#: Weight of the words an acronym expands to, and of an acronym gained from its spelled form.
ACRONYM_WEIGHT = 1.0
#: Weight of a synonym relative to the word it replaces, times how often it replaces it.
SYNONYM_WEIGHT = 0.5

# Tokens that may be acronyms.
_TOKEN = re.compile(r"[^\W\d_]+")
#: A sparse row: column indices and their values.
Vector = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, slots=True)
class QueryFeatures:
    """What one text shares with every label and skill of a :class:`TextIndex`.

    Attributes
    ----------
    char : ndarray of float32, shape (n_labels,)
        Character n-gram TF-IDF cosine of each label.
    word : ndarray of float32, shape (n_labels,)
        Word TF-IDF cosine of each label, the text widened by acronyms and synonyms.
    description : ndarray of float32, shape (n_skills,)
        Word TF-IDF cosine of each description, the text widened likewise.
    coverage : ndarray of float32, shape (n_skills,)
        IDF share of the text's own words that each skill's labels or description hold.
    """

    char: np.ndarray
    word: np.ndarray
    description: np.ndarray
    coverage: np.ndarray


def query_features(index: TextIndex, text: str, ngram_range: tuple[int, int]) -> QueryFeatures:
    """Return the similarities of ``text`` (versions already stripped) to ``index``."""
    n_labels, n_skills = len(index.label_kind), index.n_skills
    char = np.zeros(n_labels, dtype=np.float32)
    word = np.zeros(n_labels, dtype=np.float32)
    description = np.zeros(n_skills, dtype=np.float32)
    covered = np.zeros(n_skills, dtype=np.float32)
    if n_skills:
        key = fold(text)
        chars = char_query(index, key, ngram_range)
        if chars is not None:
            char = product(index.char_labels, *chars)
        widened, own = word_query(index, text, key)
        if widened is not None:
            word = product(index.word_labels, *widened)
            description = product(index.word_descriptions, *widened)
        if own is not None:
            covered = coverage(index, *own)
    return QueryFeatures(char, word, description, covered)


def char_query(index: TextIndex, key: str, ngram_range: tuple[int, int]) -> Vector | None:
    """Return a folded text's character n-gram TF-IDF vector, or None if no n-gram is known.

    N-grams common to very many labels are left out after normalising: they add little
    to any score and would make a query touch most of a large taxonomy's labels.
    """
    vocabulary = index.char_vocabulary
    grams = Counter(g for word in key.split() for g in char_ngrams(word, *ngram_range))
    counts = {vocabulary[g]: n for g, n in grams.items() if g in vocabulary}
    unseen = [n for g, n in grams.items() if g not in vocabulary]
    vector = _tfidf(counts, index.char_idf, unseen)
    if vector is None:
        return None
    columns, values = vector
    keep = ~index.char_common[columns]
    return columns[keep], values[keep]


def word_query(index: TextIndex, text: str, key: str) -> tuple[Vector | None, Vector | None]:
    """Return the text's widened word TF-IDF vector and the IDF shares of its own words.

    ``key`` is the folded text; ``text`` keeps its capitals, which mark acronyms.

    The widened vector adds what the text's acronyms stand for, the acronyms its runs of
    words spell, and the synonyms of all of these.

    Returns
    -------
    widened : (ndarray of int64, ndarray of float32), or None when no word is known
        Word columns and L2-normalised TF-IDF weights.
    own : (ndarray of int64, ndarray of float32), or None
        The text's own known words and their share of its IDF mass, which words the
        taxonomy lacks share too (at the rarest word's IDF).
    """
    vocabulary = index.words.vocabulary_
    idf = index.words.idf_
    stems = Counter(words(key))
    counts: Counter[int] = Counter({vocabulary[w]: n for w, n in stems.items() if w in vocabulary})
    unseen = [n for w, n in stems.items() if w not in vocabulary]
    own = None
    if counts:
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        mass = idf[columns].sum() + len(unseen) * idf.max()
        own = (columns, (idf[columns] / mass).astype(np.float32))
    for token in _TOKEN.findall(text):
        acronym = fold(token)
        if acronym not in index.expansions or not 2 <= len(acronym) <= 6:
            continue
        # An acronym as written, or a token the taxonomy never uses as a word.
        if token.isupper() or stem(acronym) not in vocabulary:
            for columns, share in index.expansions[acronym]:
                for column in columns:
                    counts[column] += ACRONYM_WEIGHT * share
    for acronym, _ in spelled_acronyms(key):
        if acronym in index.written_acronyms:
            counts[index.written_acronyms[acronym]] += ACRONYM_WEIGHT
    if not counts:
        return None, own
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
    synonyms = product(index.synonyms, columns, weights)
    for column in np.flatnonzero(synonyms).tolist():
        counts[column] += SYNONYM_WEIGHT * float(synonyms[column])
    return _tfidf(counts, idf, unseen), own


def coverage(index: TextIndex, columns: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Return, per skill, the IDF share of the text's words that its text holds.

    A word counts fully when the skill holds it, and by its synonyms' weight (at most
    1) when the skill holds synonyms of it instead.

    Parameters
    ----------
    columns : ndarray of int64, shape (n_query_words,)
    shares : ndarray of float32, shape (n_query_words,)

    Returns
    -------
    coverage : ndarray of float32, shape (n_skills,)
    """
    n_skills, n_words = index.n_skills, len(columns)
    size = n_skills * n_words
    skill, weight, which = _gather(index.word_presence, columns, shares)
    direct = np.bincount(which * n_skills + skill, weight, minlength=size)
    synonym, through, owner = _gather(index.synonyms, columns, shares)
    skill, weight, which = _gather(index.word_presence, synonym, through)
    replaced = np.bincount(owner[which] * n_skills + skill, weight, minlength=size)
    covered = np.maximum(direct, replaced).reshape(n_words, n_skills).sum(axis=0)
    return np.minimum(covered, 1.0).astype(np.float32)


def _tfidf(
    counts: Mapping[int, float], idf: np.ndarray, unseen: Iterable[int] = ()
) -> Vector | None:
    """Return the L2-normalised TF-IDF weights of weighted counts (sublinear at 1 and above).

    ``unseen`` are the counts of the text's terms that the vocabulary lacks: they have no
    column, but they weigh in the norm (at the rarest term's IDF), so that a text only
    partly known scores lower than one fully known.
    """
    if not counts:
        return None
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    tf = np.where(tf >= 1.0, 1.0 + np.log(np.maximum(tf, 1.0)), tf)
    values = tf * idf[columns]
    missing = (1.0 + np.log(np.fromiter(unseen, dtype=np.float64))) * idf.max()
    norm = np.sqrt(values @ values + missing @ missing)
    return columns, (values / norm).astype(np.float32)


def _gather(
    matrix: sparse.csr_matrix, rows: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the nonzeros of ``matrix[rows]``, each scaled by its row's value.

    Returns
    -------
    columns : ndarray of int, shape (nnz,)
    weights : ndarray of float, shape (nnz,)
    which : ndarray of int64, shape (nnz,)
        Position in ``rows`` of each nonzero's row.
    """
    starts = matrix.indptr[rows]
    lengths = matrix.indptr[rows + 1] - starts
    which = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(which.size) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return matrix.indices[offsets], matrix.data[offsets] * values[which], which


def product(matrix: sparse.csr_matrix, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Return ``values @ matrix[rows]`` as a dense float32 row, shape (matrix.shape[1],).

    The same as a sparse product with a one-row matrix, without building one: a query
    touches a few dozen rows, and scipy's per-call checks would cost more than the sums.
    """
    columns, weights, _ = _gather(matrix, rows, values)
    return np.bincount(columns, weights, minlength=matrix.shape[1]).astype(np.float32)
