"""Kept learning paths (plans): storing them, their progress, and their life.

A plan keeps its path as the answer showed it: ``path`` (target, readiness, coverage, totals,
what was left unmet or excluded, the constraints, the model, and the gap it was planned
against) and ``steps`` (each with its item's summary, hours, what it closes and its dates).
Progress is worked out on each read from the employee's completions: a step is done when its
item was completed on or after the plan's creation day (until the plan ended, for an abandoned
or superseded one). Steps carried over from a replaced plan stay done as they were.

Keeping a plan writes a ``plan.created`` webhook event; a write of completions that finishes
a step writes ``plan.step_completed``, and one that finishes the last ``plan.completed``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.errors import ConflictError, NotFoundError
from catalog.models import Completion, Plan, utcnow
from catalog.queries import Page, chunks, paginate
from catalog.webhooks import emit

ACTIVE = "active"
# Share and hours roundings, as the learning-path answer rounds them.
SHARE_DIGITS = 4
HOURS_DIGITS = 2


class ActivePlanError(ConflictError):
    """The employee already has an active plan for this role."""

    def __init__(self, plan_id: str, role_id: str):
        super().__init__(
            f"plan {plan_id!r} is already active for role {role_id!r}: replan it "
            "(POST .../replan) or abandon it (DELETE) first"
        )
        self.plan_id = plan_id
        self.role_id = role_id


@dataclass(frozen=True, slots=True)
class StepProgress:
    """Whether one step is done, and on which day its item was completed."""

    status: str  # pending or completed
    completed_at: dt.date | None


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a plan has come, and whether that keeps up with its dates."""

    steps: list[StepProgress]
    steps_done: int
    steps_total: int
    hours_done: float
    coverage_done: float
    schedule: str  # on_track, behind or ahead
    finished_on: dt.date | None  # the day the last step was done, once all are


def new_plan_id() -> str:
    """Return a fresh plan id."""
    return str(uuid.uuid4())


def active_plan(*, session: Session, employee_id: str, role_id: str) -> Plan | None:
    """Return the employee's active plan for a role, locked for the write to come, or None."""
    return session.scalars(
        select(Plan)
        .where(Plan.employee_id == employee_id, Plan.role_id == role_id, Plan.status == ACTIVE)
        .with_for_update()
    ).one_or_none()


def get_plan(*, session: Session, employee_id: str, plan_id: str, for_update: bool = False) -> Plan:
    """Return one of an employee's plans.

    :raise NotFoundError: the employee has no such plan.
    """
    query = select(Plan).where(Plan.id == plan_id, Plan.employee_id == employee_id)
    if for_update:
        query = query.with_for_update()
    plan = session.scalars(query).one_or_none()
    if plan is None:
        raise NotFoundError("plan", plan_id)
    return plan


def list_plans(
    *, session: Session, employee_id: str, page: int, page_size: int, status: str | None = None
) -> Page[Plan]:
    """List an employee's plans, newest first."""
    query = (
        select(Plan)
        .where(Plan.employee_id == employee_id)
        .order_by(Plan.created_at.desc(), Plan.id)
    )
    if status:
        query = query.where(Plan.status == status)
    return paginate(session, query, page=page, page_size=page_size)


def keep_plan(
    *,
    session: Session,
    employee_id: str,
    role_id: str,
    requested: Mapping[str, Any],
    path: Mapping[str, Any],
    steps: Sequence[Mapping[str, Any]],
    created: dt.datetime,
    replaces: Plan | None = None,
) -> Plan:
    """Keep a new active plan; a plan it replaces becomes superseded and points at it.

    :raise ActivePlanError: another plan is active for this employee and role.
    """
    current = active_plan(session=session, employee_id=employee_id, role_id=role_id)
    if current is not None and (replaces is None or current.id != replaces.id):
        raise ActivePlanError(current.id, role_id)
    plan = Plan(
        id=new_plan_id(),
        employee_id=employee_id,
        role_id=role_id,
        status=ACTIVE,
        created_at=created,
        created_on=created.date(),
        replaces=replaces.id if replaces is not None else None,
        requested=dict(requested),
        path=dict(path),
        steps=[dict(step) for step in steps],
    )
    if replaces is not None:
        replaces.status = "superseded"
        replaces.ended_at = created
        replaces.superseded_by = plan.id
        # The old plan leaves "active" before the new one takes its place.
        session.flush()
    session.add(plan)
    session.flush()
    emit(
        session=session,
        event_type="plan.created",
        payload={
            **_plan_reference(plan),
            "replaces": plan.replaces,
            "created_at": plan.created_at.isoformat(),
            "steps": [step["item"]["id"] for step in plan.steps],
        },
    )
    return plan


def _plan_reference(plan: Plan) -> dict[str, Any]:
    """Return what every plan event says of its plan."""
    return {"plan": plan.id, "employee": plan.employee_id, "role": plan.role_id}


def abandon_plan(*, session: Session, plan: Plan) -> Plan:
    """Abandon an active plan; it is kept, with its progress as it stood.

    :raise ConflictError: the plan has already ended.
    """
    if plan.status != ACTIVE:
        raise ConflictError(f"plan {plan.id!r} is {plan.status}; only an active plan is abandoned")
    plan.status = "abandoned"
    plan.ended_at = utcnow()
    session.flush()
    return plan


def completions_for(
    *, session: Session, employee_id: str, plans: Sequence[Plan]
) -> dict[str, list[dt.date]]:
    """Return the days on which the employee completed the items of ``plans``, sorted."""
    if not plans:
        return {}
    since = min(plan.created_on for plan in plans)
    items = {step["item"]["id"] for plan in plans for step in plan.steps}
    days: dict[str, list[dt.date]] = {}
    for chunk in chunks(sorted(items)):
        for item, day in session.execute(
            select(Completion.item_id, Completion.completed_at).where(
                Completion.employee_id == employee_id,
                Completion.item_id.in_(chunk),
                Completion.completed_at >= since,
            )
        ):
            days.setdefault(item, []).append(day)
    return {item: sorted(found) for item, found in days.items()}


def progress(plan: Plan, completed: Mapping[str, Sequence[dt.date]], today: dt.date) -> Progress:
    """Work out a plan's progress from the days its items were completed (sorted, per item).

    Ended plans count completions up to the day they ended, and are judged on that day.
    """
    last = plan.ended_at.date() if plan.ended_at and plan.status != "completed" else None
    steps = []
    for step in plan.steps:
        kept = step.get("kept_completed_at")
        if kept:
            steps.append(StepProgress("completed", dt.date.fromisoformat(kept)))
            continue
        day = next(
            (
                d
                for d in completed.get(step["item"]["id"], ())
                if d >= plan.created_on and (last is None or d <= last)
            ),
            None,
        )
        steps.append(StepProgress("completed" if day else "pending", day))
    done = [(step, mine) for step, mine in zip(plan.steps, steps, strict=True) if mine.completed_at]
    hours_done = round(sum(step["hours"] for step, _ in done), HOURS_DIGITS)
    total = len(steps)
    finished = max((mine.completed_at for _, mine in done), default=None)
    finished_on = finished if total and len(done) == total else None
    return Progress(
        steps=steps,
        steps_done=len(done),
        steps_total=total,
        hours_done=hours_done,
        coverage_done=coverage_of(plan.path, [step for step, _ in done]),
        schedule=schedule_state(plan.steps, steps, last or finished_on or today, finished_on),
        finished_on=finished_on,
    )


def coverage_of(path: Mapping[str, Any], steps: Sequence[Mapping[str, Any]]) -> float:
    """Return the share of the plan's weighted gap that ``steps`` close, levels counted once.

    Never more than the plan's own coverage: done steps are some of its steps.
    """
    gaps = path.get("gaps") or []
    reached = {gap["skill"]: gap["current"] for gap in gaps}
    required = {gap["skill"]: gap["required"] for gap in gaps}
    for step in steps:
        for change in step["closes"]:
            skill = change["skill"]
            if skill in required:
                reached[skill] = max(reached[skill], min(change["to"], required[skill]))
    total = sum(g["weight"] * max(0, g["required"] - g["current"]) for g in gaps)
    if total <= 0:
        return path["coverage"]
    closed = sum(g["weight"] * (reached[g["skill"]] - g["current"]) for g in gaps)
    return min(path["coverage"], round(closed / total, SHARE_DIGITS))


def schedule_state(
    steps: Sequence[Mapping[str, Any]],
    progress: Sequence[StepProgress],
    day: dt.date,
    finished_on: dt.date | None,
) -> str:
    """Compare what is done with what the dates expect by ``day``.

    A finished plan is ahead, on track or behind as it finished before, on or after its last
    step's end date. Otherwise it is behind when a step not done should have ended before
    ``day``, and ahead when more hours are done than the schedule expects by then (each
    step's hours spread evenly over its days).
    """
    if not steps:
        return "on_track"
    if finished_on is not None:
        planned_end = max(dt.date.fromisoformat(step["end_date"]) for step in steps)
        if finished_on < planned_end:
            return "ahead"
        return "on_track" if finished_on == planned_end else "behind"
    expected = 0.0
    done = 0.0
    for step, mine in zip(steps, progress, strict=True):
        start = dt.date.fromisoformat(step["start_date"])
        end = dt.date.fromisoformat(step["end_date"])
        if mine.completed_at is None and end < day and not step.get("kept_completed_at"):
            return "behind"
        elapsed = min(max((day - start).days + 1, 0), (end - start).days + 1)
        expected += step["hours"] * elapsed / ((end - start).days + 1)
        if mine.completed_at is not None:
            done += step["hours"]
    return "ahead" if done > expected + 1e-9 else "on_track"


def refresh_status(
    *,
    session: Session,
    employee_ids: Iterable[str],
    before: Mapping[str, Iterable[tuple[str, dt.date | None]]] | None = None,
) -> list[Plan]:
    """Mark completed the active plans of these employees whose every step is now done.

    Each step done now but not with the completions ``before`` the write (item and day, by
    employee) writes a ``plan.step_completed`` event, and each plan finished a
    ``plan.completed`` event.

    :return: the plans that became completed.
    """
    wanted = sorted(set(employee_ids))
    finished = []
    today = utcnow().date()
    for chunk in chunks(wanted):
        plans = session.scalars(
            select(Plan)
            .where(Plan.employee_id.in_(chunk), Plan.status == ACTIVE)
            .order_by(Plan.created_at, Plan.id)
        ).all()
        by_employee: dict[str, list[Plan]] = {}
        for plan in plans:
            if plan.steps:
                by_employee.setdefault(plan.employee_id, []).append(plan)
        for employee_id, mine in by_employee.items():
            days = completions_for(session=session, employee_id=employee_id, plans=mine)
            earlier = None
            if before is not None:
                earlier = _days_of(before.get(employee_id, ()))
            for plan in mine:
                state = progress(plan, days, today)
                if earlier is not None:
                    _emit_steps(session, plan, progress(plan, earlier, today), state)
                if state.finished_on is not None:
                    plan.status = "completed"
                    plan.ended_at = utcnow()
                    finished.append(plan)
                    emit(
                        session=session,
                        event_type="plan.completed",
                        payload={
                            **_plan_reference(plan),
                            "finished_on": state.finished_on.isoformat(),
                            "steps_total": state.steps_total,
                        },
                    )
    if finished:
        session.flush()
    return finished


def _days_of(completions: Iterable[tuple[str, dt.date | None]]) -> dict[str, list[dt.date]]:
    """Return the days each item was completed on, sorted, as :func:`completions_for` does."""
    days: dict[str, list[dt.date]] = {}
    for item, day in completions:
        if day is not None:
            days.setdefault(item, []).append(day)
    return {item: sorted(found) for item, found in days.items()}


def _emit_steps(session: Session, plan: Plan, was: Progress, now: Progress) -> None:
    """Write a ``plan.step_completed`` event for each step done now and not before."""
    done = was.steps_done
    for position, (step, old, new) in enumerate(zip(plan.steps, was.steps, now.steps, strict=True)):
        if new.completed_at is not None and old.completed_at is None:
            done += 1  # each event counts the steps done up to it, as if sent one by one
            emit(
                session=session,
                event_type="plan.step_completed",
                payload={
                    **_plan_reference(plan),
                    "step": position,
                    "item": step["item"]["id"],
                    "completed_at": new.completed_at.isoformat(),
                    "steps_done": done,
                    "steps_total": now.steps_total,
                },
            )
