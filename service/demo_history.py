"""The demo organisation's year, replayed through the service's own writes.

``catalog/demo/employees.json`` holds the organisation as its history starts and
``catalog/demo/history.json`` what happened since (its steps are described in
``scripts/demo/history.py``). Each step runs at its moment (:func:`catalog.clock.replaying_at`)
through the writes the API uses: completions through :func:`record_completions`, plans
through :func:`service.plans.create_plan` and :func:`service.plans.replan`, a role change as a
profile write. So the skill history, plan statuses and dates the analytics read are real.

Only employees not stored yet are imported and replayed: seeding again changes nothing, and
an employee erased since is seeded again with their year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from catalog import clock, plans
from catalog.completions import NewCompletion, record_completions
from catalog.employees import EMPLOYEE, employee_state, get_employee
from catalog.models import Employee, Item
from catalog.records import existing_ids, put
from recommender.profile import add_months
from service import plans as plan_service
from service.imports import EMPLOYEE_IMPORT, import_records
from service.recommendation_args import ConstraintsSchema

# The demo's learning platform, as completions name where they came from.
SOURCE = "lms"


def moment_of(step: Mapping[str, Any]) -> dt.datetime:
    """Return when a step happened (its ``at``, UTC)."""
    return dt.datetime.fromisoformat(step["at"].replace("Z", "+00:00"))


def new_employees(
    *, session: Session, employees: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Return the demo employees not stored yet."""
    stored = existing_ids(session, Employee, (e["id"] for e in employees))
    return [e for e in employees if e["id"] not in stored]


def replay(
    *,
    sessions: Callable[[], Session],
    employees: Sequence[Mapping[str, Any]],
    steps: Sequence[Mapping[str, Any]],
    start: dt.datetime,
) -> Counter:
    """Import the employees not stored yet at ``start``, then replay their steps in order.

    Each step is its own transaction, committed at its moment.

    :return: how many steps of each kind were replayed (``employees`` counts those imported).
    """
    done: Counter = Counter()
    with sessions() as session:
        fresh = new_employees(session=session, employees=employees)
    if not fresh:
        return done
    with clock.replaying_at(start), sessions() as session:
        import_records(
            session=session,
            spec=EMPLOYEE_IMPORT,
            rows=list(fresh),
            dry_run=False,
            max_rows=len(fresh),
        )
    done["employees"] = len(fresh)
    wanted = {e["id"] for e in fresh}
    named: dict[str, str] = {}
    for step in steps:
        if step["employee"] not in wanted:
            continue
        with clock.replaying_at(moment_of(step)), sessions() as session:
            STEPS[step["kind"]](session, step, named)
            session.commit()
        done[step["kind"]] += 1
    return done


def _complete(session: Session, employee_id: str, item_id: str, day: dt.date, expires=None):
    if expires is None:
        valid = session.get(Item, item_id).valid_months
        expires = add_months(day, valid) if valid else None
    record_completions(
        session=session,
        employee_id=employee_id,
        records=[NewCompletion(item_id, day, expires_at=expires, source=SOURCE)],
    )


def _completion(session: Session, step: Mapping[str, Any], named: dict[str, str]) -> None:
    expires = step.get("expires_at")
    _complete(
        session,
        step["employee"],
        step["item"],
        moment_of(step).date(),
        dt.date.fromisoformat(expires) if expires else None,
    )


def _plan(session: Session, step: Mapping[str, Any], named: dict[str, str]) -> None:
    plan = plan_service.create_plan(
        session=session,
        employee_id=step["employee"],
        role_id=step["role"],
        constraints=ConstraintsSchema().load(step["constraints"]),
    )
    named[step["plan"]] = plan["id"]


def _plan_step(session: Session, step: Mapping[str, Any], named: dict[str, str]) -> None:
    """Complete the plan's next pending step (every one left, with ``rest``) that day."""
    plan = plan_service.read_plan(
        session=session, employee_id=step["employee"], plan_id=named[step["plan"]]
    )
    if plan["status"] != plans.ACTIVE:
        return
    pending = [s["item"]["id"] for s in plan["steps"] if s["status"] == "pending"]
    for item_id in pending if step.get("rest") else pending[:1]:
        _complete(session, step["employee"], item_id, moment_of(step).date())


def _abandon(session: Session, step: Mapping[str, Any], named: dict[str, str]) -> None:
    plan = plans.get_plan(
        session=session, employee_id=step["employee"], plan_id=named[step["plan"]], for_update=True
    )
    if plan.status == plans.ACTIVE:
        plans.abandon_plan(session=session, plan=plan)


def _replan(session: Session, step: Mapping[str, Any], named: dict[str, str]) -> None:
    plan = plan_service.replan(
        session=session, employee_id=step["employee"], plan_id=named[step["plan"]]
    )
    named[step["as"]] = plan["id"]


def _move(session: Session, step: Mapping[str, Any], named: dict[str, str]) -> None:
    """Write the employee's new current and target roles, as an HRIS would."""
    state = employee_state(get_employee(session=session, employee_id=step["employee"]))
    state.update(current_role=step["current_role"], target_roles=list(step["target_roles"]))
    put(session=session, record_type=EMPLOYEE, ident=step["employee"], data=state)


STEPS: dict[str, Callable[[Session, Mapping[str, Any], dict[str, str]], None]] = {
    "completion": _completion,
    "plan": _plan,
    "plan_step": _plan_step,
    "abandon": _abandon,
    "replan": _replan,
    "move": _move,
}
