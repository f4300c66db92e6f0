"""Rank catalog items for a gap: gain, skill-vector similarity, hours and an optional goal."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from sklearn.utils.validation import check_is_fitted

from recommender.context import RequestContext, request_context
from recommender.gain import OpenGaps
from recommender.index import CatalogIndex, gather
from recommender.params import Interval, check_fitted, check_params
from recommender.types import Constraints, LevelChange, Profile, Target

#: Most entries times rows :func:`closes_of` compares in one table rather than with ``isin``.
BROADCAST_LIMIT = 1 << 16


@dataclass(frozen=True, slots=True)
class Missing:
    """One prerequisite the profile does not meet: a skill at a level, or an item to complete.

    Exactly one of ``skill`` (with ``level``) and ``item`` is set.
    """

    skill: str | None = None
    level: int | None = None
    item: str | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One ranked item: its score, its gain ``u_i``, and the gaps it closes.

    ``similarity`` is the cosine between the item's IDF-weighted skill vector and the gap
    vector; ``goal_similarity`` the cosine between its text and the goal (0 without goal);
    ``ready`` tells whether the profile already meets its prerequisites; ``missing`` names
    those it does not (empty exactly when ``ready``).
    """

    item_id: str
    score: float
    gain: float
    similarity: float
    goal_similarity: float
    closes: list[LevelChange]
    hours: float
    cost: float
    ready: bool
    missing: list[Missing] = field(default_factory=list)


class Ranker(BaseEstimator):
    """Score catalog items against a profile's gap for one target.

    For every available item with positive gain ``u_i`` (see DESIGN.md) the score is::

        score_i = (u_i / G)
                  * ((1 - similarity_weight) + similarity_weight * sim_i)
                  * (1 + goal_weight * goal_i)
                  * hours_scale / (hours_scale + hours_i)

    where ``G`` is the weighted gap, ``sim_i`` the cosine (``linear_kernel`` on L2-normalised
    rows) between the item's IDF-weighted taught levels (``TfidfTransformer`` over ``T``)
    and the IDF-weighted gap vector ``w[s] * g[s]``, and ``goal_i`` the cosine between the
    item's title and description and the goal text (word TF-IDF). The first factor rewards
    closing much of the gap, the second focus on it (rare skills weigh more, unrelated
    skills dilute), the third the stated goal, the last short items: an item of
    ``hours_scale`` hours keeps half its score.

    Parameters
    ----------
    similarity_weight : float in [0, 1]
    goal_weight : float >= 0
    hours_scale : float > 0

    Attributes
    ----------
    index_ : CatalogIndex
    tfidf_ : TfidfTransformer or None
        None for an empty catalog.
        IDF of each skill over the catalog's taught levels.
    item_vectors_ : csr_matrix of float64, shape (n_items, n_skills)
        L2-normalised IDF-weighted taught levels.
    text_vectorizer_ : TfidfVectorizer
    item_text_vectors_ : csr_matrix of float32, shape (n_items, n_terms)
    """

    _parameter_rules = {
        "similarity_weight": Interval(Real, 0, 1),
        "goal_weight": Interval(Real, 0, None),
        "hours_scale": Interval(Real, 0, None, closed="neither"),
    }

    def __init__(self, *, similarity_weight=0.5, goal_weight=1.0, hours_scale=40.0):
        self.similarity_weight = similarity_weight
        self.goal_weight = goal_weight
        self.hours_scale = hours_scale

    def fit(self, index: CatalogIndex):
        """Learn skill IDF and the goal vocabulary from a fitted index.

        Parameters
        ----------
        index : CatalogIndex

        Returns
        -------
        self : Ranker

        Raises
        ------
        ValueError
            If a parameter is out of its range.
        """
        check_params(self)
        check_is_fitted(index)
        self.index_ = index
        self.tfidf_ = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True)
        if min(index.taught_.shape) == 0:
            # An empty catalog (a new installation) ranks nothing; TF-IDF needs a sample.
            self.tfidf_ = None
            self.item_vectors_ = sparse.csr_matrix(index.taught_.shape)
        else:
            self.item_vectors_ = self.tfidf_.fit_transform(index.taught_).tocsr()
        self.text_vectorizer_ = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, dtype=np.float32
        )
        texts = index.item_texts_
        if any(t.strip() for t in texts):
            try:
                self.item_text_vectors_ = self.text_vectorizer_.fit_transform(texts)
                return self
            except ValueError:  # only stop words: goal matching has nothing to work with
                pass
        self.text_vectorizer_ = None
        self.item_text_vectors_ = None
        return self

    def rank(
        self,
        profile: Profile | RequestContext,
        target: Target | None = None,
        *,
        limit: int = 10,
        constraints: Constraints | None = None,
        goal: str | None = None,
    ) -> list[Recommendation]:
        """Return the best items for closing the profile's gap, best first.

        Completed, retired, zero-gain items and items failing the constraints' filters
        (modality, language, kind, and ``max_hours`` / ``budget`` for one item alone) are
        left out. Equal scores are ordered by item id.

        Parameters
        ----------
        profile : Profile or RequestContext
            The employee's profile, or a context built on this ranker's index (then
            ``target`` and ``constraints`` are left out: the context holds them).
        target : Target
            Required with a profile.
        limit : int
        constraints : Constraints, optional
            None means no limit and no filter.
        goal : str, optional
            Free text; defaults to ``constraints.goal``.

        Returns
        -------
        recommendations : list of Recommendation, length <= limit
        """
        check_fitted(self, "item_text_vectors_")
        index = self.index_
        ctx = request_context(self.index_, profile, target, constraints)
        gaps, rows, gain = ctx.gaps, ctx.gainers, ctx.gain
        if not rows.size or limit <= 0:
            return []
        similarity = self._similarity(gaps, rows)
        goal = goal if goal is not None else ctx.constraints.goal
        goal_sim = self._goal_similarity(goal, rows)
        hours = index.hours_[rows]
        score = (
            (gain / gaps.vector.weighted_gap)
            * ((1 - self.similarity_weight) + self.similarity_weight * similarity)
            * (1 + self.goal_weight * goal_sim)
            * (self.hours_scale / (self.hours_scale + hours))
        )
        top = top_k(score, limit)
        top_rows = rows[top]
        # An item is ready exactly when nothing it needs is missing (gain.ready_mask's rule).
        missing = _missing(index, top_rows, ctx.levels, ctx.completed)
        closed = closes_of(gaps, top_rows)
        return [
            Recommendation(
                item_id=str(index.item_ids_[row]),
                score=float(score[t]),
                gain=float(gain[t]),
                similarity=float(similarity[t]),
                goal_similarity=float(goal_sim[t]),
                closes=closes,
                hours=float(hours[t]),
                cost=float(index.cost_[row]),
                ready=not needs,
                missing=needs,
            )
            for t, row, needs, closes in zip(
                top.tolist(), top_rows.tolist(), missing, closed, strict=True
            )
        ]

    def _similarity(self, gaps: OpenGaps, rows: np.ndarray) -> np.ndarray:
        """Cosine between the items' IDF-weighted vectors and the IDF-weighted gap vector.

        The query is weighted and L2-normalised as ``tfidf_.transform`` would, entry by entry
        in the same order, and each item row's nonzeros are multiplied and summed in their
        stored order, as the sparse product would: the same numbers, without the input checks
        and the sliced matrix that cost more than the product on a request's few skills.
        """
        values = gaps.weight * (gaps.required - gaps.current) * self.tfidf_.idf_[gaps.cols]
        norm = math.sqrt(sum(v * v for v in values.tolist()))
        if norm > 0:
            values = values / norm
        query = np.zeros(self.item_vectors_.shape[1], dtype=values.dtype)
        query[gaps.cols] = values  # one entry per open gap's skill
        cols, which, weights = gather(self.item_vectors_, rows)
        products = np.bincount(which, weights=weights * query[cols], minlength=len(rows))
        # float32 rounding can push a perfect match a hair above 1.
        return np.clip(products, 0.0, 1.0)

    def _goal_similarity(self, goal: str | None, rows: np.ndarray) -> np.ndarray:
        """Cosine between the items' text and the goal, zeros without a usable goal."""
        if not goal or not goal.strip() or self.text_vectorizer_ is None:
            return np.zeros(len(rows))
        query = self.text_vectorizer_.transform([goal])
        return linear_kernel(self.item_text_vectors_[rows], query).ravel()


def top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Return positions of the ``k`` highest scores, highest first, ties by position.

    Uses ``argpartition`` and then sorts only the entries at or above the k-th score, so
    equal scores at the boundary are settled by position (which is item id order).
    """
    if k >= score.size:
        return np.lexsort((np.arange(score.size), -score))
    kth = score[np.argpartition(-score, k - 1)[k - 1]]
    near = np.flatnonzero(score >= kth)
    return near[np.lexsort((near, -score[near]))][:k]


def closes(gaps: OpenGaps, row: int) -> list[LevelChange]:
    """Return the open gaps one item narrows, as ``(skill, from, to)`` sorted by skill.

    ``from`` is the profile's level and ``to`` the level the item teaches, which may exceed
    the required level.
    """
    return closes_of(gaps, np.array([row]))[0]


def closes_of(gaps: OpenGaps, rows: np.ndarray) -> list[list[LevelChange]]:
    """Return, per row, the open gaps that item narrows (see :func:`closes`), in one pass."""
    found: dict[int, list[LevelChange]] = {row: [] for row in rows.tolist()}
    if gaps.entry_rows.size * rows.size <= BROADCAST_LIMIT:
        # A few rows against the entries: one comparison table costs less than isin's setup.
        hit = (gaps.entry_rows[:, None] == rows[None, :]).any(axis=1)
    else:
        hit = np.isin(gaps.entry_rows, rows)
    current = gaps.current.tolist()
    skills, positions = gaps.vector.skills, gaps.positions.tolist()
    for row, g, taught in zip(
        gaps.entry_rows[hit].tolist(),
        gaps.entry_gap[hit].tolist(),
        gaps.entry_taught[hit].tolist(),
        strict=True,
    ):
        if taught > current[g]:
            found[row].append(LevelChange(skills[positions[g]], current[g], taught))
    return [sorted(found[row]) for row in rows.tolist()]


def _missing(index, rows: np.ndarray, levels: np.ndarray, done: np.ndarray) -> list[list[Missing]]:
    """Return, per row, the skill prerequisites ``levels`` miss, then the required items not
    ``done`` (the reasons :func:`recommender.gain.ready_mask` says False), by skill then item id.
    """
    rows = np.asarray(rows, dtype=np.int64)
    result: list[list[Missing]] = [[] for _ in range(rows.size)]
    # Most items need nothing: read a matrix only when some row has entries in it.
    if (index.prereq_.indptr[rows + 1] - index.prereq_.indptr[rows]).any():
        cols, which, need = gather(index.prereq_, rows)
        unmet = need > levels[cols]
        found = zip(which[unmet].tolist(), cols[unmet].tolist(), need[unmet].tolist(), strict=True)
        for w, col, lv in found:
            result[w].append(Missing(skill=str(index.skill_ids_[col]), level=int(lv)))
    if (index.requires_.indptr[rows + 1] - index.requires_.indptr[rows]).any():
        required, which, _ = gather(index.requires_, rows)
        open_ = ~done[required]
        for w, r in zip(which[open_].tolist(), required[open_].tolist(), strict=True):
            result[w].append(Missing(item=str(index.item_ids_[r])))
    for needs in result:
        if len(needs) > 1:
            needs.sort(key=lambda m: (m.item is not None, m.skill or "", m.item or ""))
    return result
