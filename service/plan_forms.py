"""The forms a plan takes: a path answer as a plan keeps it, and a kept plan as the API shows it.

Replanning joins the steps a plan has done to a new path's steps; the joined plan's figures
(coverage, readiness, totals) are worked out here from the kept JSON alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from catalog import plans
from catalog.models import Plan
from recommender.gap import GapVector
from service.answers import PathAnswer
from service.recommendation_schemas import LearningPathSchema

# -- what a plan keeps -------------------------------------------------------------------------


def json_safe(constraints: Mapping[str, Any]) -> dict[str, Any]:
    """Return request constraints as JSON can hold them (dates as ISO text)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in constraints.items()}


def kept_form(answer: PathAnswer, gaps: GapVector) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return a path answer as a plan keeps it: the path, and its steps with their hours."""
    path = LearningPathSchema().dump(answer)
    steps = path.pop("steps")
    for step, answered in zip(steps, answer.steps, strict=True):
        step["hours"] = answered.step.hours
    path["gaps"] = [
        {"skill": skill, "current": int(current), "required": int(required), "weight": weight}
        for skill, current, required, weight in zip(
            gaps.skills,
            gaps.current.tolist(),
            gaps.required.tolist(),
            gaps.weight.tolist(),
            strict=True,
        )
    ]
    return path, steps


def _readiness(gaps: Sequence[Mapping[str, Any]], reached: Mapping[str, int]) -> float:
    """Return readiness with the target's skills at ``reached`` (or their current level)."""
    total = sum(g["weight"] * g["required"] for g in gaps)
    if total <= 0:
        return 1.0
    left = sum(
        g["weight"] * max(0, g["required"] - max(g["current"], reached.get(g["skill"], 0)))
        for g in gaps
    )
    return round(1 - left / total, plans.SHARE_DIGITS)


def join_kept_steps(
    kept: Sequence[Mapping[str, Any]], path: dict[str, Any], steps: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Put the steps done of a replaced plan before a new path's steps, as one plan.

    The plan's gap is measured from before the kept steps, so what they closed still counts
    in its coverage and progress.
    """
    shift = len(kept)
    joined = [{**step, "position": n, "unlocks": []} for n, step in enumerate(kept, 1)]
    for step in steps:
        joined.append(
            {
                **step,
                "position": step["position"] + shift,
                "unlocks": [p + shift for p in step["unlocks"]],
            }
        )
    start: dict[str, int] = {}
    for step in kept:
        for change in step["closes"]:
            start[change["skill"]] = min(start.get(change["skill"], 5), change["from"])
    gaps = [{**g, "current": min(g["current"], start.get(g["skill"], 5))} for g in path["gaps"]]
    reached: dict[str, int] = {}
    for step in joined:
        for change in step["closes"]:
            reached[change["skill"]] = max(reached.get(change["skill"], 0), change["to"])
    path = {**path, "gaps": gaps, "coverage": 1.0}
    path["coverage"] = plans.coverage_of(path, joined)
    path["readiness_before"] = _readiness(gaps, {})
    path["readiness_after"] = _readiness(gaps, reached)
    path["total_hours"] = round(sum(s["hours"] for s in joined), plans.HOURS_DIGITS)
    path["total_cost"] = round(sum(s["item"]["cost"] for s in joined), plans.HOURS_DIGITS)
    return path, joined


# -- what a plan reads as ----------------------------------------------------------------------


def plan_view(plan: Plan, progress: plans.Progress) -> dict[str, Any]:
    """Return a plan as the API shows it: the kept path, each step's state, the progress."""
    path = {k: v for k, v in plan.path.items() if k != "gaps"}
    return {
        "id": plan.id,
        "employee": plan.employee_id,
        "status": plan.status,
        "created_at": plan.created_at,
        "ended_at": plan.ended_at,
        "replaces": plan.replaces,
        "superseded_by": plan.superseded_by,
        **path,
        "steps": [
            {
                **{k: v for k, v in step.items() if k != "kept_completed_at"},
                "status": mine.status,
                "completed_at": mine.completed_at.isoformat() if mine.completed_at else None,
            }
            for step, mine in zip(plan.steps, progress.steps, strict=True)
        ],
        "progress": {
            "steps_done": progress.steps_done,
            "steps_total": progress.steps_total,
            "hours_done": progress.hours_done,
            "coverage_done": progress.coverage_done,
        },
        "schedule": progress.schedule,
    }
