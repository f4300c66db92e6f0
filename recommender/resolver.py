"""Free text -> canonical skills: exact id/name/alias first, then character n-gram TF-IDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from recommender.params import Boolean, Interval, NgramRange, check_params
from recommender.text import name_key as normalize
from recommender.types import SkillRecord

# Documents of one skill, in the order exact matches are preferred.
_KINDS = ("id", "name", "alias", "description")


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """A canonical skill for some text; ``matched_on`` is id, name, alias or description."""

    skill_id: str
    name: str
    score: float
    matched_on: str


class SkillResolver(BaseEstimator):
    """Resolve free text to taxonomy skills.

    Exact matches of an id, name or alias (case-insensitive) score 1.0. Other skills score
    the cosine similarity of character n-gram TF-IDF vectors (``analyzer="char_wb"``)
    between the text and the skill's name, aliases and description, taking the best of
    them; only scores at or above ``threshold`` resolve.

    Parameters
    ----------
    threshold : float in [0, 1]
        Lowest similarity that :meth:`resolve` accepts.
    ngram_range : tuple (min_n, max_n) of int, 1 <= min_n <= max_n
        Character n-gram sizes.
    use_descriptions : bool
        Whether descriptions are matched too (names and aliases always are).

    Attributes
    ----------
    skill_ids_ : ndarray of str, shape (n_skills,)
    names_ : list of str, length n_skills
    exact_ : dict of str to list of (int, str)
        Normalised id/name/alias -> (skill position, what matched), best first.
    vectorizer_ : TfidfVectorizer
    doc_matrix_t_ : csr_matrix of float32, shape (n_features, n_docs)
        TF-IDF document vectors, transposed so a query only touches its own n-grams.
    doc_skill_ : ndarray of int32, shape (n_docs,)
        Skill position of each document.
    doc_kind_ : ndarray of int8, shape (n_docs,)
        Index into ``("id", "name", "alias", "description")`` of each document.
    max_docs_per_skill_ : int
        Most documents one skill has.

    Examples
    --------
    >>> from recommender.types import SkillRecord
    >>> resolver = SkillResolver().fit([SkillRecord("k8s", "Kubernetes"), SkillRecord("go", "Go")])
    >>> [m.skill_id for m in resolver.resolve("kubernets")]
    ['k8s']
    """

    _parameter_rules = {
        "threshold": Interval(Real, 0, 1),
        "ngram_range": NgramRange(),
        "use_descriptions": Boolean(),
    }

    def __init__(self, *, threshold=0.5, ngram_range=(2, 4), use_descriptions=True):
        self.threshold = threshold
        self.ngram_range = ngram_range
        self.use_descriptions = use_descriptions

    def fit(self, skills: Sequence[SkillRecord]):
        """Learn the exact-match table and the n-gram vocabulary of the taxonomy.

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
        best_kind: dict[str, dict[int, int]] = {}
        texts: list[str] = []
        doc_skill: list[int] = []
        doc_kind: list[int] = []
        for pos, skill in enumerate(skills):
            for kind, text in [(0, skill.id), (1, skill.name), *((2, a) for a in skill.aliases)]:
                key = normalize(text)
                if key:
                    kinds = best_kind.setdefault(key, {})
                    kinds[pos] = min(kind, kinds.get(pos, kind))
            docs = [(1, skill.name), *((2, a) for a in skill.aliases)]
            if self.use_descriptions and skill.description:
                docs.append((3, skill.description))
            for kind, text in docs:
                if text.strip():
                    texts.append(text)
                    doc_skill.append(pos)
                    doc_kind.append(kind)
        self.skill_ids_ = np.array([s.id for s in skills], dtype=object)
        self.skill_position_ = {s.id: pos for pos, s in enumerate(skills)}
        self.names_ = [s.name for s in skills]
        # Skills are sorted by id, so position order is id order among equal kinds.
        self.exact_ = {
            key: [(pos, _KINDS[kind]) for kind, pos in sorted((k, p) for p, k in kinds.items())]
            for key, kinds in best_kind.items()
        }
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            strip_accents="unicode",
            sublinear_tf=True,
            dtype=np.float32,
        )
        if texts:
            self.doc_matrix_t_ = self.vectorizer_.fit_transform(texts).T.tocsr()
        else:
            self.vectorizer_.fit(["--"])  # an empty taxonomy: nothing can match
            self.doc_matrix_t_ = sparse.csr_matrix(
                (len(self.vectorizer_.vocabulary_), 0), dtype=np.float32
            )
        self.doc_skill_ = np.array(doc_skill, dtype=np.int32)
        self.doc_kind_ = np.array(doc_kind, dtype=np.int8)
        self.max_docs_per_skill_ = int(np.bincount(self.doc_skill_).max(initial=1))
        return self

    def lookup(self, text: str) -> str | None:
        """Return the skill id that ``text`` names exactly (id, name or alias), else None."""
        check_is_fitted(self)
        if text in self.skill_position_:
            return text
        hits = self.exact_.get(normalize(text))
        return str(self.skill_ids_[hits[0][0]]) if hits else None

    def resolve(self, text: str, limit: int = 5) -> list[SkillMatch]:
        """Return skills for ``text``: exact matches (score 1.0), then similar ones over threshold.

        Parameters
        ----------
        text : str
        limit : int

        Returns
        -------
        matches : list of SkillMatch, length <= limit
            Best first; equal scores by skill id.
        """
        check_is_fitted(self)
        exact = self._exact(text)
        seen = {m.skill_id for m in exact}
        similar = self._similar(text, limit + len(exact), min_score=self.threshold)
        return (exact + [m for m in similar if m.skill_id not in seen])[: max(0, limit)]

    def suggest(self, text: str, limit: int = 3) -> list[SkillMatch]:
        """Return the closest skills whatever their score, for "did you mean" messages."""
        check_is_fitted(self)
        return self._similar(text, limit)

    def _exact(self, text: str) -> list[SkillMatch]:
        """Return the exact matches of ``text``, best kind first then by skill id."""
        pos = self.skill_position_.get(text)
        hits = [(pos, "id")] if pos is not None else []
        hits += [h for h in self.exact_.get(normalize(text), []) if h[0] != pos]
        return [
            SkillMatch(str(self.skill_ids_[p]), self.names_[p], 1.0, label) for p, label in hits
        ]

    def _similar(self, text: str, limit: int, min_score: float = 0.0) -> list[SkillMatch]:
        """Return the ``limit`` skills whose best document is most similar to ``text``."""
        if limit <= 0 or not normalize(text):
            return []
        scores = self.vectorizer_.transform([text]) @ self.doc_matrix_t_
        docs, values = scores.indices, scores.data
        keep = values >= max(min_score, 1e-12)
        docs, values = docs[keep], values[keep]
        if not docs.size:
            return []
        # The k-th best skill's best document ranks at most (k - 1) * docs-per-skill + 1,
        # so the top ``limit * max_docs_per_skill_`` documents hold every skill returned.
        enough = limit * self.max_docs_per_skill_
        if docs.size > enough:
            kth = np.partition(values, docs.size - enough)[docs.size - enough]
            near = values >= kth
            docs, values = docs[near], values[near]
        skills = self.doc_skill_[docs]
        # Best document per skill: sort by skill, then score descending, keep the first.
        order = np.lexsort((self.doc_kind_[docs], -values, skills))
        skills, docs, values = skills[order], docs[order], values[order]
        first = np.r_[True, skills[1:] != skills[:-1]]
        skills, docs, values = skills[first], docs[first], values[first]
        rank = np.lexsort((skills, -values))[:limit]
        return [
            SkillMatch(
                skill_id=str(self.skill_ids_[skills[r]]),
                name=self.names_[skills[r]],
                score=round(float(min(1.0, values[r])), 6),
                matched_on=_KINDS[int(self.doc_kind_[docs[r]])],
            )
            for r in rank.tolist()
        ]
