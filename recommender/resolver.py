"""Free text -> canonical skills: exact id/name/alias first, then fused text similarity.

The fuzzy score of a skill joins two kinds of evidence:

* the label similarity ``L``: how close the text is to the skill's best name or alias, the
  better of a character n-gram TF-IDF cosine (typos, word fragments) and a word TF-IDF cosine
  over stemmed words (inflections, word order), aliases counting a little less than the name;
* the other evidence ``E``: the word similarity of the text to the skill's description,
  and the share of the text's words (by IDF) that the skill's labels or
  description hold, directly or through a synonym.

The score is ``L + (1 - L) * EVIDENCE_SHARE * E``: a name matched letter for letter needs
nothing else, and a paraphrase of a skill that has no such alias can still win on its
description. Before the word vectors are compared, the text's words are widened with what
the taxonomy itself teaches: acronyms ("CADD", or "OS" in "install OS") are spelled out
from the multi-word names and aliases that they abbreviate, spelled-out runs gain the
acronym written elsewhere ("information and communication technology" gains "ICT"), and each
word gains the words that replace it between two labels of one skill ("analyse" and
"examine" in "analyse test data" / "examine test data"). Version numbers are dropped
("KDevelop 4.6.0" is compared as "KDevelop").

The weights below were chosen on ESCO (``benchmarks/quality.py``): all the alternative labels
of a random fifth of the skills held out, the resolver fitted on the rest, the held-out labels
as queries.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from recommender.params import Boolean, Interval, NgramRange, check_params
from recommender.resolver_text import (
    char_ngrams,
    fold,
    spelled_acronyms,
    stem,
    strip_versions,
    words,
    written_acronyms,
)
from recommender.text import name_key
from recommender.types import SkillRecord

# Documents of one skill, in the order exact matches are preferred.
_KINDS = ("id", "name", "alias", "description")
_NAME, _ALIAS = 1, 2

#: An alias's similarity counts this much of a name's: the name is the skill's own label.
ALIAS_WEIGHT = 0.85
#: Weights of the description's word cosine and of the word coverage in E.
EVIDENCE_WEIGHTS = (0.7, 0.5)
#: How much of the distance to 1 that the label similarity leaves the other evidence may close.
EVIDENCE_SHARE = 0.9
#: Weight of the words an acronym expands to, and of an acronym gained from its spelled form.
ACRONYM_WEIGHT = 1.0
#: Weight of a synonym relative to the word it replaces, times how often it replaces it.
SYNONYM_WEIGHT = 0.5
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
#: Highest fuzzy score: 1.0 is kept for exact matches.
FUZZY_MAX = 0.99

# Tokens that may be acronyms.
_TOKEN = re.compile(r"[^\W\d_]+")
# A sparse row: column indices and their values.
_Vector = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """A canonical skill for some text.

    ``matched_on`` is id, name, alias or description; ``confident`` tells whether the score
    reaches the resolver's threshold (exact matches always do), which is what writers that
    resolve names for the caller should accept.
    """

    skill_id: str
    name: str
    score: float
    matched_on: str
    confident: bool = True


class SkillResolver(BaseEstimator):
    """Resolve free text to taxonomy skills.

    Exact matches of an id, name or alias (case-insensitive) score 1.0 and come first.
    Every other skill that shares a character n-gram or a word with the text is scored by
    fused similarity (see the module docstring) in [0, 0.99]; :meth:`resolve` returns the
    best ``limit`` of them whatever their score, and ``threshold`` decides which are
    ``confident``.

    Parameters
    ----------
    threshold : float
        Lowest score of a confident match. With the default, about nine in ten confident
        best matches are right on ESCO labels the resolver was not fitted on, and 99 in a
        hundred on typos of the demo taxonomy's names.
    ngram_range : tuple of int
        Character n-gram sizes.
    use_descriptions : bool
        Whether descriptions are matched too (names and aliases always are).

    Attributes
    ----------
    skill_ids_ : ndarray of str, shape (n_skills,)
    names_ : list of str, length n_skills
    skill_position_ : dict of str to int
        Skill id -> position (skills are kept in id order).
    exact_ : dict of str to list of (int, str)
        Normalised id/name/alias -> (skill position, what matched), best first.
    char_vocabulary_ : dict of str to int
        Character n-gram (taken within words, as ``analyzer="char_wb"`` does) -> column.
    char_idf_ : ndarray of float64, shape (n_char_features,)
        IDF of each n-gram over names and aliases.
    char_common_ : ndarray of bool, shape (n_char_features,)
        N-grams in more than ``COMMON_NGRAM_LABELS`` labels, which queries skip.
    char_labels_ : csr_matrix of float32, shape (n_char_features, n_labels)
        Label vectors, transposed so a query only touches its own n-grams.
    words_ : TfidfVectorizer
        Stemmed words, IDF over names, aliases and descriptions.
    word_labels_ : csr_matrix of float32, shape (n_words, n_labels)
    word_descriptions_ : csr_matrix of float32, shape (n_words, n_skills)
    word_presence_ : csr_matrix of float32, shape (n_words, n_skills)
        1 where a skill's labels or description hold the word.
    synonyms_ : csr_matrix of float32, shape (n_words, n_words)
        Share of a word's substitutions (between two labels of one skill) going to another.
    expansions_ : dict of str to list of (tuple of int, float)
        Acronym -> word columns of the runs it abbreviates, with their share.
    written_acronyms_ : dict of str to int
        Acronyms written in capitals in the taxonomy -> their word column.
    label_start_ : ndarray of int64, shape (n_skills,)
        First label of each skill; labels are grouped by skill, name first.
    label_weight_ : ndarray of float32, shape (n_labels,)
        1 for names, ``ALIAS_WEIGHT`` for aliases.
    label_kind_ : ndarray of int8, shape (n_labels,)
        Index into ``("id", "name", "alias", "description")``.

    Examples
    --------
    >>> from recommender.types import SkillRecord
    >>> resolver = SkillResolver().fit([SkillRecord("k8s", "Kubernetes"), SkillRecord("go", "Go")])
    >>> [(m.skill_id, m.confident) for m in resolver.resolve("kubernets")]
    [('k8s', True)]
    """

    _parameter_rules = {
        "threshold": Interval(Real, 0, 1),
        "ngram_range": NgramRange(),
        "use_descriptions": Boolean(),
    }

    def __init__(self, *, threshold=0.75, ngram_range=(2, 4), use_descriptions=True):
        self.threshold = threshold
        self.ngram_range = ngram_range
        self.use_descriptions = use_descriptions

    def fit(self, skills: Sequence[SkillRecord]):
        """Learn the exact-match table, the vocabularies, the synonyms and the acronyms.

        Parameters
        ----------
        skills : sequence of SkillRecord, length n_skills

        Returns
        -------
        self : SkillResolver

        Raises
        ------
        ValueError
            If a parameter is out of its range.
        """
        check_params(self)
        skills = sorted(skills, key=lambda s: s.id)
        exact: dict[str, list[tuple[int, int]]] = {}
        labels: list[str] = []
        label_kind: list[int] = []
        label_start: list[int] = []
        for pos, skill in enumerate(skills):
            for kind, text in [
                (0, skill.id),
                (_NAME, skill.name),
                *((_ALIAS, a) for a in skill.aliases),
            ]:
                key = name_key(text)
                hits = exact.setdefault(key, []) if key else None
                # Kinds come best first for each skill, so a skill's first hit is its best.
                if hits is not None and (not hits or hits[-1][1] != pos):
                    hits.append((kind, pos))
            label_start.append(len(labels))
            # Every skill keeps its name as first label, blank or not, so that skill k's
            # labels are labels[label_start[k]:label_start[k + 1]].
            labels.append(skill.name)
            label_kind.append(_NAME)
            for alias in skill.aliases:
                if alias.strip():
                    labels.append(alias)
                    label_kind.append(_ALIAS)
        descriptions = [s.description if self.use_descriptions else "" for s in skills]

        self.skill_ids_ = np.array([s.id for s in skills], dtype=object)
        self.skill_position_ = {s.id: pos for pos, s in enumerate(skills)}
        self.names_ = [s.name for s in skills]
        # Skills are sorted by id, so position order is id order among equal kinds.
        self.exact_ = {
            key: [(pos, _KINDS[kind]) for kind, pos in (sorted(hits) if len(hits) > 1 else hits)]
            for key, hits in exact.items()
        }
        self.label_start_ = np.array(label_start, dtype=np.int64)
        self.label_kind_ = np.array(label_kind, dtype=np.int8)
        self.label_weight_ = np.where(self.label_kind_ == _NAME, 1.0, ALIAS_WEIGHT).astype(
            np.float32
        )

        keys = [fold(strip_versions(t)) for t in labels]
        self._fit_chars(keys)
        label_words = [words(k) for k in keys]
        self.words_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
        both = _fit_columns(
            self.words_, label_words + [words(fold(d)) for d in descriptions], ["--"]
        )
        self.word_labels_ = both[:, : len(labels)].tocsr()
        self.word_descriptions_ = both[:, len(labels) :].tocsr()
        owner = np.repeat(np.arange(len(skills)), np.diff([*label_start, len(labels)]))
        # Skills x words, then words x skills: 1 where a label or the description holds it.
        held = (
            sparse.csr_matrix(
                (np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(labels)))),
                shape=(len(skills), len(labels)),
            )
            @ self.word_labels_.T
            + self.word_descriptions_.T
        )
        held = sparse.csr_matrix(held.T, dtype=np.float32)
        held.data[:] = 1.0
        self.word_presence_ = held
        vocabulary = self.words_.vocabulary_
        self.synonyms_ = _synonyms(label_words, owner, vocabulary)
        self.expansions_ = _expansions(keys, vocabulary)
        written = set().union(
            *(written_acronyms(t) for t in labels + descriptions if not t.islower())
        )
        self.written_acronyms_ = {a: vocabulary[a] for a in sorted(written) if a in vocabulary}
        return self

    def _fit_chars(self, keys: Sequence[str]) -> None:
        """Learn the character n-gram TF-IDF of the labels from their folded texts.

        N-grams are taken within words, so each distinct word is cut up once and a label's
        counts are the sum of its words' (one sparse product), not a pass over every label.
        """
        word_column: dict[str, int] = {}
        label_rows, word_cols = [], []
        for row, key in enumerate(keys):
            for word in key.split():
                label_rows.append(row)
                word_cols.append(word_column.setdefault(word, len(word_column)))
        self.char_vocabulary_ = {}
        word_rows, gram_cols = [], []
        for word, row in word_column.items():
            for gram in char_ngrams(word, *self.ngram_range):
                word_rows.append(row)
                gram_cols.append(self.char_vocabulary_.setdefault(gram, len(self.char_vocabulary_)))
        n_grams = len(self.char_vocabulary_)
        label_words = sparse.csr_matrix(
            (np.ones(len(label_rows)), (label_rows, word_cols)),
            shape=(len(keys), len(word_column)),
        )
        word_grams = sparse.csr_matrix(
            (np.ones(len(word_rows)), (word_rows, gram_cols)), shape=(len(word_column), n_grams)
        )
        counts = (label_words @ word_grams).tocsr()
        df = np.bincount(counts.indices, minlength=n_grams)
        self.char_idf_ = np.log((1.0 + len(keys)) / (1.0 + df)) + 1.0
        self.char_common_ = df > COMMON_NGRAM_LABELS
        counts.data = (1.0 + np.log(counts.data)) * self.char_idf_[counts.indices]
        rows = np.repeat(np.arange(len(keys)), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, counts.data**2, minlength=len(keys)))
        counts.data /= norms[rows]
        self.char_labels_ = sparse.csr_matrix(counts.T, dtype=np.float32)

    def lookup(self, text: str) -> str | None:
        """Return the skill id that ``text`` names exactly (id, name or alias), else None."""
        check_is_fitted(self)
        if text in self.skill_position_:
            return text
        hits = self.exact_.get(name_key(text))
        return str(self.skill_ids_[hits[0][0]]) if hits else None

    def resolve(self, text: str, limit: int = 5) -> list[SkillMatch]:
        """Return the ``limit`` best skills for ``text``: exact matches, then the most similar.

        Every skill that shares anything with the text may be returned, however weak; each
        match says whether it is ``confident`` (its score reaches ``threshold``).

        Parameters
        ----------
        text : str
        limit : int

        Returns
        -------
        matches : list of SkillMatch, length <= limit
            Exact matches first (by kind: id, name, alias; then by similarity; then by id),
            then by score, equal scores by label similarity, then by skill id.
        """
        check_is_fitted(self)
        if limit <= 0:
            return []
        exact = self._exact(text)
        per_label, label, score = self._scores(text)
        exact.sort(key=lambda hit: (_KINDS.index(hit[1]), -score[hit[0]], hit[0]))
        matches = [
            SkillMatch(str(self.skill_ids_[p]), self.names_[p], 1.0, kind) for p, kind in exact
        ]
        if len(matches) >= limit:
            return matches[:limit]
        score[[p for p, _ in exact]] = 0.0
        wanted = limit - len(matches)
        candidates = np.flatnonzero(score > 0.0)
        if candidates.size > wanted:
            kth = np.partition(score[candidates], candidates.size - wanted)[
                candidates.size - wanted
            ]
            candidates = candidates[score[candidates] >= kth]
        rounded = np.round(score[candidates].astype(np.float64), 6)
        order = np.lexsort((candidates, -np.round(label[candidates], 6), -rounded))[:wanted]
        for r in order.tolist():
            pos = int(candidates[r])
            value = float(rounded[r])
            matches.append(
                SkillMatch(
                    skill_id=str(self.skill_ids_[pos]),
                    name=self.names_[pos],
                    score=value,
                    matched_on=self._matched_on(pos, per_label, label[pos], value),
                    confident=value >= self.threshold,
                )
            )
        return matches

    def suggest(self, text: str, limit: int = 3) -> list[SkillMatch]:
        """Return the closest skills whatever their score, for "did you mean" messages."""
        return self.resolve(text, limit)

    def _exact(self, text: str) -> list[tuple[int, str]]:
        """Return ``(skill position, kind)`` of the exact matches of ``text``."""
        pos = self.skill_position_.get(text)
        hits = [(pos, "id")] if pos is not None else []
        return hits + [h for h in self.exact_.get(name_key(text), []) if h[0] != pos]

    def _scores(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the similarity of every label, and the label and fused score of every skill.

        Returns
        -------
        per_label : ndarray of float32, shape (n_labels,)
            Label similarity, aliases weighted by ``ALIAS_WEIGHT``.
        label : ndarray of float32, shape (n_skills,)
            Best label similarity of each skill.
        score : ndarray of float32, shape (n_skills,)
        """
        n_skills = len(self.names_)
        per_label = np.zeros(len(self.label_kind_), dtype=np.float32)
        description = np.zeros(n_skills, dtype=np.float32)
        if not n_skills:
            return per_label, description, description.copy()
        text = strip_versions(text)
        key = fold(text)
        w_words, w_cover = EVIDENCE_WEIGHTS
        chars = self._char_query(key)
        if chars is not None:
            per_label = _product(self.char_labels_, *chars)
        widened, own = self._word_query(text, key)
        if widened is not None:
            per_label = np.maximum(per_label, _product(self.word_labels_, *widened))
            description += w_words * _product(self.word_descriptions_, *widened)
        if own is not None:
            description += w_cover * self._coverage(*own)
        per_label *= self.label_weight_
        label = np.maximum.reduceat(per_label, self.label_start_)
        evidence = description / sum(EVIDENCE_WEIGHTS)
        score = label + (1.0 - label) * EVIDENCE_SHARE * evidence
        return per_label, label, np.minimum(score, FUZZY_MAX)

    def _char_query(self, key: str) -> _Vector | None:
        """Return a folded text's character n-gram TF-IDF vector, or None if no n-gram is known.

        N-grams common to very many labels are left out after normalising: they add little
        to any score and would make a query touch most of a large taxonomy's labels.
        """
        vocabulary = self.char_vocabulary_
        grams = Counter(g for word in key.split() for g in char_ngrams(word, *self.ngram_range))
        counts = {vocabulary[g]: n for g, n in grams.items() if g in vocabulary}
        unseen = [n for g, n in grams.items() if g not in vocabulary]
        vector = _tfidf(counts, self.char_idf_, unseen)
        if vector is None:
            return None
        columns, values = vector
        keep = ~self.char_common_[columns]
        return columns[keep], values[keep]

    def _word_query(self, text: str, key: str) -> tuple[_Vector | None, _Vector | None]:
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
        vocabulary = self.words_.vocabulary_
        idf = self.words_.idf_
        stems = Counter(words(key))
        counts: Counter[int] = Counter(
            {vocabulary[w]: n for w, n in stems.items() if w in vocabulary}
        )
        unseen = [n for w, n in stems.items() if w not in vocabulary]
        own = None
        if counts:
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            mass = idf[columns].sum() + len(unseen) * idf.max()
            own = (columns, (idf[columns] / mass).astype(np.float32))
        for token in _TOKEN.findall(text):
            acronym = fold(token)
            if acronym not in self.expansions_ or not 2 <= len(acronym) <= 6:
                continue
            # An acronym as written, or a token the taxonomy never uses as a word.
            if token.isupper() or stem(acronym) not in vocabulary:
                for columns, share in self.expansions_[acronym]:
                    for column in columns:
                        counts[column] += ACRONYM_WEIGHT * share
        for acronym, _ in spelled_acronyms(key):
            if acronym in self.written_acronyms_:
                counts[self.written_acronyms_[acronym]] += ACRONYM_WEIGHT
        if not counts:
            return None, own
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        synonyms = _product(self.synonyms_, columns, weights)
        for column in np.flatnonzero(synonyms).tolist():
            counts[column] += SYNONYM_WEIGHT * float(synonyms[column])
        return _tfidf(counts, idf, unseen), own

    def _coverage(self, columns: np.ndarray, shares: np.ndarray) -> np.ndarray:
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
        n_skills, n_words = len(self.names_), len(columns)
        size = n_skills * n_words
        skill, weight, which = _gather(self.word_presence_, columns, shares)
        direct = np.bincount(which * n_skills + skill, weight, minlength=size)
        synonym, through, owner = _gather(self.synonyms_, columns, shares)
        skill, weight, which = _gather(self.word_presence_, synonym, through)
        replaced = np.bincount(owner[which] * n_skills + skill, weight, minlength=size)
        covered = np.maximum(direct, replaced).reshape(n_words, n_skills).sum(axis=0)
        return np.minimum(covered, 1.0).astype(np.float32)

    def _matched_on(self, pos: int, per_label: np.ndarray, label: float, score: float) -> str:
        """Name what matched: the best label's kind, or the description if it did more."""
        if self.use_descriptions and score - label > label:
            return "description"
        start = self.label_start_[pos]
        stop = self.label_start_[pos + 1] if pos + 1 < len(self.label_start_) else None
        return _KINDS[int(self.label_kind_[start + int(np.argmax(per_label[start:stop]))])]


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


def _tfidf(
    counts: Mapping[int, float], idf: np.ndarray, unseen: Iterable[int] = ()
) -> _Vector | None:
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


def _product(matrix: sparse.csr_matrix, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Return ``values @ matrix[rows]`` as a dense float32 row, shape (matrix.shape[1],).

    The same as a sparse product with a one-row matrix, without building one: a query
    touches a few dozen rows, and scipy's per-call checks would cost more than the sums.
    """
    columns, weights, _ = _gather(matrix, rows, values)
    return np.bincount(columns, weights, minlength=matrix.shape[1]).astype(np.float32)


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
