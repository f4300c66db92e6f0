"""A learning path: planned, ordered, scheduled and explained step by step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from recommender.context import RequestContext
from recommender.gain import EPS, ready_mask
from recommender.gap import readiness_from
from recommender.index import CatalogIndex
from recommender.planner import PathPlanner
from recommender.sequence import Slot, schedule
from recommender.types import Constraints, LevelChange, Profile, Target


@dataclass(frozen=True, slots=True)
class Step:
    """One item of the path, when it happens, and why it is there.

    ``closes`` lists target gaps the step narrows, from the level reached before it (profile
    plus earlier steps) to the level it teaches; ``builds`` lists other skills it raises that
    later steps need; ``unlocks`` the positions of later steps whose prerequisite (a skill
    level or a required item) this step is the first to provide.
    """

    position: int
    item_id: str
    closes: list[LevelChange]
    builds: list[LevelChange]
    unlocks: list[int]
    hours: float
    cost: float
    start_week: int
    end_week: int
    start_date: dt.date
    end_date: dt.date
    why: str


@dataclass(frozen=True, slots=True)
class Unmet:
    """A requirement still open after the path: ``current`` before it, ``reached`` after it.

    ``code`` is one of ``no_active_item``, ``completed``, ``filtered``, ``requires``,
    ``max_hours``, ``budget``, ``hours_or_budget``, ``max_items``, ``prerequisites``,
    ``not_selected``; ``reason`` says the same for people.
    """

    skill: str
    current: int
    reached: int
    required: int
    weight: float
    reason: str
    code: str


@dataclass(frozen=True, slots=True)
class LearningPath:
    """Everything the learning-path response needs except item details and catalog version.

    ``coverage`` is ``closed / weighted_gap`` (1.0 when there was no gap); readiness before
    and after follow DESIGN.md with levels counted once. ``optimal`` is True only when no
    plan over all available items covers more; ``bound`` is the best coverage any plan
    could reach (equal to ``coverage`` when optimal, None when there was no gap).
    """

    role_id: str | None
    title: str | None
    readiness_before: float
    readiness_after: float
    coverage: float
    weighted_gap: float
    closed: float
    total_hours: float
    total_cost: float
    steps: list[Step]
    unmet: list[Unmet]
    constraints: Constraints
    planner: str
    optimal: bool
    bound: float | None = None


def plan_learning_path(
    index: CatalogIndex,
    profile: Profile,
    target: Target,
    constraints: Constraints | None = None,
    *,
    planner: PathPlanner | None = None,
    as_of: dt.date | None = None,
) -> LearningPath:
    """Plan, order, schedule and explain a learning path.

    Parameters
    ----------
    index : CatalogIndex
    profile : Profile
    target : Target
    constraints : Constraints, optional
        Defaults to ``Constraints()``.
    planner : PathPlanner, optional
        A planner fitted on ``index``; a default one is fitted when omitted.
    as_of : date, optional
        First day of the schedule when ``constraints.start_date`` is None; today otherwise.

    Returns
    -------
    path : LearningPath

    Raises
    ------
    ValueError
        If ``planner`` was fitted on another index.

    Notes
    -----
    The request's :class:`~recommender.context.RequestContext` is built once here and
    shared by the planner, the step explanations and the reasons for unmet gaps.
    """
    constraints = constraints or Constraints()
    planner = planner if planner is not None else PathPlanner().fit(index)
    ctx = RequestContext.build(index, profile, target, constraints)
    plan = planner.plan(ctx)
    vector = ctx.vector
    rows = [index.item_index_[i] for i in plan.items]
    slots = schedule(
        [float(index.hours_[r]) for r in rows],
        start_date=constraints.start_date or as_of or dt.date.today(),
        hours_per_week=constraints.hours_per_week,
    )
    steps, levels = _explain_steps(ctx, rows, slots)
    weighted_gap = vector.weighted_gap
    closed = vector.closed_by(levels)
    return LearningPath(
        role_id=target.role_id,
        title=target.title,
        readiness_before=readiness_from(weighted_gap, vector.total_weight),
        readiness_after=readiness_from(vector.reaching(levels).weighted_gap, vector.total_weight),
        coverage=1.0 if weighted_gap <= 0 else min(1.0, closed / weighted_gap),
        weighted_gap=weighted_gap,
        closed=closed,
        total_hours=float(index.hours_[rows].sum()),
        total_cost=float(index.cost_[rows].sum()),
        steps=steps,
        unmet=_explain_unmet(ctx, rows, levels),
        constraints=constraints,
        planner=plan.planner,
        optimal=plan.optimal,
        bound=plan.bound,
    )


def _explain_steps(
    ctx: RequestContext, rows: list[int], slots: list[Slot]
) -> tuple[list[Step], dict[str, int]]:
    """Return the explained steps and the levels reached after the last one."""
    index, profile, vector = ctx.index, ctx.profile, ctx.vector
    required = dict(zip(vector.skills, vector.required.tolist(), strict=True))
    weight = dict(zip(vector.skills, vector.weight.tolist(), strict=True))
    levels = {s: int(v) for s, v in profile.levels.items()}
    position_of = {row: pos for pos, row in enumerate(rows, start=1)}
    changes: list[list[LevelChange]] = []
    # First step at which each (skill, level) was reached, to credit unlocks.
    history: list[dict[str, int]] = []
    for row in rows:
        step_changes = []
        for skill, level in index.taught_levels(row):
            before = levels.get(skill, 0)
            if level > before:
                step_changes.append(LevelChange(skill, before, level))
                levels[skill] = level
        changes.append(step_changes)
        history.append(dict(levels))

    unlocks: dict[int, set[int]] = {pos: set() for pos in position_of.values()}
    builds: dict[int, set[str]] = {pos: set() for pos in position_of.values()}
    for row, pos in position_of.items():
        for skill, need in index.prerequisites(row):
            if profile.levels.get(skill, 0) >= need:
                continue
            first = next((k for k in range(1, pos) if history[k - 1].get(skill, 0) >= need), None)
            if first is None:  # only an unorderable list gets here; the planner never returns one
                continue
            unlocks[first].add(pos)
            builds[first].add(skill)
        for needed in index.required_rows(row).tolist():
            if not ctx.completed[needed] and needed in position_of:
                unlocks[position_of[needed]].add(pos)

    steps = []
    for pos, (row, step_changes, slot) in enumerate(zip(rows, changes, slots, strict=True), 1):
        closes = [c for c in step_changes if c.skill in required and c.before < required[c.skill]]
        closing = {c.skill for c in closes}
        built = [c for c in step_changes if c.skill in builds[pos] and c.skill not in closing]
        steps.append(
            Step(
                position=pos,
                item_id=str(index.item_ids_[row]),
                closes=closes,
                builds=built,
                unlocks=sorted(unlocks[pos]),
                hours=float(index.hours_[row]),
                cost=float(index.cost_[row]),
                start_week=slot.start_week,
                end_week=slot.end_week,
                start_date=slot.start_date,
                end_date=slot.end_date,
                why=_why(closes, built, sorted(unlocks[pos]), weight),
            )
        )
    return steps, levels


def _why(closes, builds, unlocks, weight) -> str:
    """Say in one line what a step does for the target and for later steps."""
    parts = []
    if closes:
        changes = (f"{c.skill} {c.before}→{c.after} (weight {weight[c.skill]:g})" for c in closes)
        parts.append("closes " + ", ".join(changes))
    if builds:
        parts.append("builds " + ", ".join(f"{c.skill} {c.before}→{c.after}" for c in builds))
    if unlocks:
        plural = "s" if len(unlocks) > 1 else ""
        parts.append(f"needed before step{plural} " + " and ".join(map(str, unlocks)))
    line = "; ".join(parts) or "part of the plan"
    return line[0].upper() + line[1:]


_FILTERS = ("modality", "language", "kind")


def _explain_unmet(ctx: RequestContext, rows: list[int], levels: dict[str, int]) -> list[Unmet]:
    """Give every requirement the path leaves open a reason, largest weighted gap first."""
    reasons = _Reasons(ctx, rows, levels)
    vector = ctx.vector
    unmet = []
    for skill, current, required, weight in zip(
        vector.skills, vector.current.tolist(), vector.required.tolist(), vector.weight, strict=True
    ):
        reached = max(current, int(levels.get(skill, 0)))
        if reached < required:
            code, reason = reasons.explain(skill, reached)
            unmet.append(Unmet(skill, current, reached, required, float(weight), reason, code))
    return sorted(unmet, key=lambda u: (-u.weight * (u.required - u.reached), u.skill))


class _Reasons:
    """Why a finished path leaves a skill below its required level.

    The items teaching the skill above the level reached are checked in order, and the
    first rule that rules them all out is the reason: none is active; all are completed;
    all fail a filter; all need items outside the catalog; none fits max_hours or the
    budget alone; the path has max_items steps; none fits the hours or money the path
    leaves; none has its prerequisites met after the path. The planner adds any item that
    passes every rule, so the last reason, "not selected", is not expected.
    """

    def __init__(self, ctx: RequestContext, rows: list[int], levels: dict[str, int]):
        self.index = ctx.index
        self.availability = ctx.availability
        self.hours_left, self.budget_left, items_left = ctx.left(rows)
        self.full = items_left <= 0
        self.after = ctx.index.level_vector(levels)
        self.done = ctx.done_with(rows)

    def explain(self, skill: str, reached: int) -> tuple[str, str]:
        """Return ``(code, reason)`` for one skill left below its required level."""
        index = self.index
        col = index.skill_index_.get(skill)
        teaching = np.zeros(0, dtype=np.int64)
        if col is not None:
            taught = index.taught_csc_
            start, end = taught.indptr[col], taught.indptr[col + 1]
            teaching = taught.indices[start:end][taught.data[start:end] > reached].astype(np.int64)
        checks = self.availability.checks(teaching)
        if not checks["active"].any():
            beyond = f" beyond level {reached}" if reached > 0 else ""
            return "no_active_item", f"no active item teaches it{beyond}"
        ok = checks["active"] & checks["not_completed"]
        if not ok.any():
            return "completed", "items teaching it are already completed"
        failed = [f for f in _FILTERS if f in checks and not checks[f][ok].all()]
        for f in failed:
            ok &= checks[f]
        if not ok.any():
            plural = "s" if len(failed) > 1 else ""
            return "filtered", f"filtered out by the {' and '.join(failed)} filter{plural}"
        ok &= checks.get("requires", True)
        if not ok.any():
            return "requires", "items teaching it require items outside the catalog"
        hours_ok = ok & checks.get("hours", True)
        budget_ok = ok & checks.get("budget", True)
        if not hours_ok.any():
            return "max_hours", "needs more hours than max_hours allows"
        if not budget_ok.any():
            return "budget", "over budget"
        if not (hours_ok & budget_ok).any():
            return "hours_or_budget", "needs more hours than max_hours allows or is over budget"
        if self.full:
            return "max_items", "max_items reached"
        fitting = teaching[hours_ok & budget_ok]
        hours_ok = index.hours_[fitting] <= self.hours_left + EPS
        budget_ok = index.cost_[fitting] <= self.budget_left + EPS
        if not hours_ok.any():
            return "max_hours", "needs more hours than max_hours leaves after the planned steps"
        if not budget_ok.any():
            return "budget", "over the budget left after the planned steps"
        if not (hours_ok & budget_ok).any():
            return "hours_or_budget", "needs more hours or money than the planned steps leave"
        if not ready_mask(index, fitting[hours_ok & budget_ok], self.after, self.done).any():
            return "prerequisites", "the prerequisites of the items teaching it cannot be met"
        return "not_selected", "not selected"
