"""Gap analysis: how far a profile is from a target, and readiness for many roles at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from recommender.types import MAX_LEVEL, Profile, Target


@dataclass(frozen=True, slots=True)
class Gap:
    """One competency compared with the profile: ``current`` against ``required``."""

    skill: str
    current: int
    required: int
    weight: float

    @property
    def gap(self) -> int:
        """Levels still missing, ``max(0, required - current)``."""
        return max(0, self.required - self.current)

    @property
    def weighted_gap(self) -> float:
        """The missing levels times the competency weight."""
        return self.weight * self.gap


@dataclass(frozen=True, slots=True)
class GapReport:
    """Readiness for one target, its open gaps (largest weighted gap first) and met requirements.

    ``total_weight`` is ``sum w[s] * req[s]``, the denominator of readiness.
    """

    readiness: float
    weighted_gap: float
    total_weight: float
    gaps: list[Gap]
    met: list[Gap]


def readiness_from(weighted_gap, total_weight):
    """Return ``1 - G / sum w*req`` clipped to [0, 1], or 1.0 when the target asks for nothing.

    The one readiness formula: gap analysis, learning paths and role matches all call it,
    on sums from :func:`weighted_sums`, so their numbers agree to the last bit. Takes floats
    (returns a float) or arrays, one entry per role (returns an array).
    """
    g, t = np.asarray(weighted_gap, dtype=np.float64), np.asarray(total_weight, dtype=np.float64)
    ready = np.where(t > 0, np.clip(1.0 - g / np.where(t > 0, t, 1.0), 0.0, 1.0), 1.0)
    return float(ready) if ready.ndim == 0 else ready


def weighted_sums(weight, levels, group=None, n_groups: int = 1) -> np.ndarray:
    """Return ``sum w * levels`` per group, adding in the given order.

    The one summation behind every weighted gap and total weight: ``np.bincount`` adds the
    products one after another, so a role's sum over its skills (sorted by id) is the same
    float whether one target or all roles at once are summed. A dot product may add in
    another order and differ in the last bit.
    """
    products = np.asarray(weight, dtype=np.float64) * np.asarray(levels, dtype=np.float64)
    if group is None:
        group = np.zeros(products.size, dtype=np.int64)
    return np.bincount(group, weights=products, minlength=n_groups)


@dataclass(frozen=True)
class GapVector:
    """A target as arrays aligned on its skills (sorted by id), with the profile's levels.

    Duplicate competencies of one skill are merged: the highest level, with the highest weight.

    Attributes
    ----------
    skills : tuple of str, length k
    current, required : ndarray of int64, shape (k,)
    weight : ndarray of float64, shape (k,)
    """

    skills: tuple[str, ...]
    current: np.ndarray
    required: np.ndarray
    weight: np.ndarray

    @classmethod
    def build(cls, profile: Profile, target: Target) -> GapVector:
        """Align a target's competencies with a profile's levels."""
        merged: dict[str, tuple[int, float]] = {}
        for comp in target.competencies:
            if not 0 <= comp.level <= MAX_LEVEL:
                raise ValueError(f"competency level for {comp.skill!r} must be 0..{MAX_LEVEL}")
            if not 0 < comp.weight <= 1:
                raise ValueError(f"competency weight for {comp.skill!r} must be in (0, 1]")
            level, weight = merged.get(comp.skill, (0, 0.0))
            merged[comp.skill] = (max(level, int(comp.level)), max(weight, float(comp.weight)))
        skills = tuple(sorted(merged))
        levels = profile.levels
        return cls(
            skills=skills,
            current=np.array([int(levels.get(s, 0)) for s in skills], dtype=np.int64),
            required=np.array([merged[s][0] for s in skills], dtype=np.int64),
            weight=np.array([merged[s][1] for s in skills], dtype=np.float64),
        )

    @property
    def gap(self) -> np.ndarray:
        """Missing levels per skill, shape (k,)."""
        return np.maximum(0, self.required - self.current)

    @property
    def weighted_gap(self) -> float:
        """``G = sum w[s] * g[s]``."""
        return float(weighted_sums(self.weight, self.gap)[0])

    @property
    def total_weight(self) -> float:
        """``sum w[s] * req[s]``."""
        return float(weighted_sums(self.weight, self.required)[0])

    def reaching(self, levels: Mapping[str, int]) -> GapVector:
        """Return the same target with the current levels raised to ``levels`` where higher."""
        reached = np.array([int(levels.get(s, 0)) for s in self.skills], dtype=np.int64)
        return GapVector(self.skills, np.maximum(self.current, reached), self.required, self.weight)

    def closed_by(self, levels: Mapping[str, int]) -> float:
        """Return the weighted gap closed by reaching ``levels``, each level counted once."""
        reached = np.array([int(levels.get(s, 0)) for s in self.skills], dtype=np.int64)
        reached = np.minimum(np.maximum(reached, self.current), self.required)
        return float(self.weight @ np.maximum(0, reached - self.current))


def analyze_gap(profile: Profile, target: Target) -> GapReport:
    """Compare a profile with a target.

    Parameters
    ----------
    profile : Profile
        Current levels (usually from :func:`recommender.effective_profile`).
    target : Target
        Required levels and weights.

    Returns
    -------
    report : GapReport
        ``gaps`` sorted by weighted gap (largest first) then skill id; ``met`` by skill id.

    Examples
    --------
    Two levels of AWS missing at weight 0.5 and two of SQL at weight 1: the weighted gap is
    ``0.5 * 2 + 1 * 2 = 3`` out of ``0.5 * 3 + 1 * 2 = 3.5``, so readiness is ``1 - 3 / 3.5``.

    >>> from recommender.types import Competency
    >>> report = analyze_gap(
    ...     Profile(levels={"aws": 1}), Target((Competency("aws", 3, 0.5), Competency("sql", 2)))
    ... )
    >>> round(report.readiness, 3), [g.skill for g in report.gaps]
    (0.143, ['sql', 'aws'])
    """
    vec = GapVector.build(profile, target)
    rows = [
        Gap(skill, int(cur), int(req), float(w))
        for skill, cur, req, w in zip(
            vec.skills, vec.current, vec.required, vec.weight, strict=True
        )
    ]
    gaps = sorted((g for g in rows if g.gap > 0), key=lambda g: (-g.weighted_gap, g.skill))
    met = [g for g in rows if g.gap == 0]
    weighted_gap, total_weight = vec.weighted_gap, vec.total_weight
    return GapReport(
        readiness=readiness_from(weighted_gap, total_weight),
        weighted_gap=weighted_gap,
        total_weight=total_weight,
        gaps=gaps,
        met=met,
    )


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """A role ranked for one profile."""

    role_id: str
    title: str | None
    readiness: float
    weighted_gap: float
    n_gaps: int


class RoleIndex(BaseEstimator):
    """Role requirements as sparse matrices, for ranking all roles by readiness at once.

    Attributes
    ----------
    role_ids_ : ndarray of str, shape (n_roles,)
        ``Target.role_id``, or the position as a string when a target has none.
    titles_ : list of str or None, length n_roles
    skill_ids_ : ndarray of str, shape (n_skills,)
        Every skill some role requires, sorted.
    required_ : csr_matrix of float64, shape (n_roles, n_skills)
        Required levels.
    weight_ : csr_matrix of float64, shape (n_roles, n_skills)
        Weights, with the same sparsity pattern as ``required_``.
    total_weight_ : ndarray of float64, shape (n_roles,)
        ``sum w * req`` per role.
    """

    def __init__(self):
        pass

    def fit(self, targets: Sequence[Target]):
        """Index the roles' competencies.

        Parameters
        ----------
        targets : sequence of Target, length n_roles

        Returns
        -------
        self : RoleIndex
        """
        empty = Profile()
        vectors = [GapVector.build(empty, t) for t in targets]
        skill_ids = sorted({s for v in vectors for s in v.skills})
        col = {s: i for i, s in enumerate(skill_ids)}
        counts = np.array([len(v.skills) for v in vectors], dtype=np.int64)
        indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices = np.array([col[s] for v in vectors for s in v.skills], dtype=np.int64)
        shape = (len(vectors), len(skill_ids))
        required = np.concatenate([v.required for v in vectors] or [np.zeros(0)]).astype(float)
        weight = np.concatenate([v.weight for v in vectors] or [np.zeros(0)])
        self.role_ids_ = np.array(
            [t.role_id if t.role_id is not None else str(i) for i, t in enumerate(targets)],
            dtype=object,
        )
        self.titles_ = [t.title for t in targets]
        self.skill_ids_ = np.array(skill_ids, dtype=object)
        self.skill_index_ = col
        self.required_ = sparse.csr_matrix((required, indices, indptr), shape=shape)
        self.weight_ = sparse.csr_matrix((weight, indices.copy(), indptr.copy()), shape=shape)
        role_of = np.repeat(np.arange(len(vectors)), counts)
        self.total_weight_ = weighted_sums(weight, required, role_of, len(vectors))
        return self

    def match(self, profile: Profile, limit: int = 10) -> list[RoleMatch]:
        """Rank roles by the profile's readiness, highest first, ties by role id.

        Parameters
        ----------
        profile : Profile
        limit : int
            Number of roles to return.

        Returns
        -------
        matches : list of RoleMatch, length <= limit
        """
        check_is_fitted(self)
        current = np.zeros(len(self.skill_ids_), dtype=np.float64)
        for skill, level in profile.levels.items():
            col = self.skill_index_.get(skill)
            if col is not None:
                current[col] = level
        req = self.required_
        missing = np.maximum(0.0, req.data - current[req.indices])
        n_roles = len(self.role_ids_)
        role_of = np.repeat(np.arange(n_roles), np.diff(req.indptr))
        weighted = weighted_sums(self.weight_.data, missing, role_of, n_roles)
        n_gaps = np.bincount(role_of, weights=missing > 0, minlength=n_roles).astype(int)
        ready = readiness_from(weighted, self.total_weight_)
        order = np.lexsort((self.role_ids_.astype(str), -ready))[: max(0, limit)]
        return [
            RoleMatch(
                role_id=str(self.role_ids_[r]),
                title=self.titles_[r],
                readiness=float(ready[r]),
                weighted_gap=float(weighted[r]),
                n_gaps=int(n_gaps[r]),
            )
            for r in order.tolist()
        ]


def role_matches(profile: Profile, targets: Sequence[Target], limit: int = 10) -> list[RoleMatch]:
    """Rank roles by the profile's readiness (see :class:`RoleIndex` to reuse the index)."""
    return RoleIndex().fit(targets).match(profile, limit=limit)
