"""Kept learning paths with live progress: /v1/employees/{id}/plans.

A plan is a learning path kept as it was answered, with an id. Reading it works out its
progress from the employee's completions; replanning keeps the steps done and plans the rest
again from today's profile and catalog, under what is left of the plan's hours, budget and
steps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from flask import request
from flask.views import MethodView
from marshmallow import fields
from sqlalchemy.orm import Session

from catalog import plans
from catalog.employees import EMPLOYEE
from catalog.errors import ConflictError, NotFoundError
from catalog.models import Plan, utcnow
from catalog.records import existing_ids
from catalog.vocabulary import PLAN_STATUSES
from recommender.gap import GapVector
from service.answers import PathAnswer
from service.auth import requires
from service.common import (
    ETAG_HEADER,
    IF_MATCH,
    LOCATION_HEADER,
    PAGING,
    Blueprint,
    ListArgsSchema,
    paginate_page,
    paging,
)
from service.db import db
from service.etag import check_if_match, etag_of
from service.fields import StrictSchema
from service.planning import (
    constraints_for,
    path_answer,
    stored_employee,
    today,
)
from service.recommendation_schemas import (
    ConstraintsSchema,
    EmployeePathRequestSchema,
    ItemSummarySchema,
    LearningPathSchema,
)

blp = Blueprint(
    "plans",
    __name__,
    url_prefix="/v1/employees",
    description="Kept learning paths (plans): progress, schedule, replanning.",
)


# -- what a plan keeps -------------------------------------------------------------------------


def _json_safe(constraints: Mapping[str, Any]) -> dict[str, Any]:
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


def _joined(
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


def _views(session: Session, employee_id: str, kept: Sequence[Plan]) -> list[dict[str, Any]]:
    days = plans.completions_for(session=session, employee_id=employee_id, plans=kept)
    return [plan_view(plan, plans.progress(plan, days, today())) for plan in kept]


def _employee_exists(session: Session, employee_id: str) -> None:
    if not existing_ids(session, EMPLOYEE.model, [employee_id]):
        raise NotFoundError("employee", employee_id)


# -- one function per request -------------------------------------------------------------------


def create_plan(
    *, session: Session, employee_id: str, role_id: str | None, constraints: Mapping[str, Any]
) -> dict[str, Any]:
    """Plan a path for a stored employee and keep it as their active plan for the role.

    :raise ActivePlanError: the employee already has an active plan for the role.
    """
    as_of = today()
    employee = stored_employee(
        session=session, employee_id=employee_id, role_id=role_id, as_of=as_of
    )
    applied = constraints_for(constraints, employee.preferences, as_of=as_of)
    answer = path_answer(
        employee.models,
        employee.profile,
        employee.target,
        applied,
        as_of=as_of,
        excluded=employee.feedback.excluded,
    )
    path, steps = kept_form(answer, GapVector.build(employee.profile, employee.target))
    plan = plans.keep_plan(
        session=session,
        employee_id=employee_id,
        role_id=employee.target.role_id,
        requested=_json_safe(constraints),
        path=path,
        steps=steps,
        created=utcnow(),
    )
    return _views(session, employee_id, [plan])[0]


def replan(*, session: Session, employee_id: str, plan_id: str) -> dict[str, Any]:
    """Keep an active plan's steps done and plan the rest again from today's profile.

    The rest is planned under what the steps kept leave of the plan's hours, budget and
    number of steps; the old plan becomes superseded and points at the new one.

    :raise NotFoundError: no such employee or plan, or the plan's role is gone.
    :raise ConflictError: the plan is not active.
    """
    old = plans.get_plan(session=session, employee_id=employee_id, plan_id=plan_id, for_update=True)
    if old.status != plans.ACTIVE:
        raise ConflictError(f"plan {plan_id!r} is {old.status}; only an active plan is replanned")
    days = plans.completions_for(session=session, employee_id=employee_id, plans=[old])
    progress = plans.progress(old, days, today())
    kept = [
        {**step, "kept_completed_at": mine.completed_at.isoformat()}
        for step, mine in zip(old.steps, progress.steps, strict=True)
        if mine.completed_at is not None
    ]
    as_of = today()
    employee = stored_employee(
        session=session, employee_id=employee_id, role_id=old.role_id, as_of=as_of
    )
    requested = ConstraintsSchema().load(
        {k: v for k, v in old.requested.items() if k != "start_date"}
    )
    applied = constraints_for(requested, employee.preferences, as_of=as_of)
    used_hours = sum(step["hours"] for step in kept)
    used_cost = sum(step["item"]["cost"] for step in kept)
    rest = dataclasses.replace(
        applied,
        max_hours=None if applied.max_hours is None else max(0.0, applied.max_hours - used_hours),
        budget=None if applied.budget is None else max(0.0, applied.budget - used_cost),
        max_items=None if applied.max_items is None else max(0, applied.max_items - len(kept)),
    )
    answer = path_answer(
        employee.models,
        employee.profile,
        employee.target,
        rest,
        as_of=as_of,
        excluded=employee.feedback.excluded,
    )
    path, steps = kept_form(answer, GapVector.build(employee.profile, employee.target))
    path["constraints"] = LearningPathSchema().dump(
        dataclasses.replace(answer, path=dataclasses.replace(answer.path, constraints=applied))
    )["constraints"]
    path, steps = _joined(kept, path, steps)
    plan = plans.keep_plan(
        session=session,
        employee_id=employee_id,
        role_id=old.role_id,
        requested=old.requested,
        path=path,
        steps=steps,
        created=utcnow(),
        replaces=old,
    )
    return _views(session, employee_id, [plan])[0]


def read_plan(*, session: Session, employee_id: str, plan_id: str) -> dict[str, Any]:
    """Return one of an employee's plans with its progress.

    :raise NotFoundError: no such employee or plan.
    """
    _employee_exists(session, employee_id)
    plan = plans.get_plan(session=session, employee_id=employee_id, plan_id=plan_id)
    return _views(session, employee_id, [plan])[0]


def list_employee_plans(
    *, session: Session, employee_id: str, page: int, page_size: int, status: str | None
):
    """Return a page of an employee's plans with their progress, newest first."""
    _employee_exists(session, employee_id)
    found = plans.list_plans(
        session=session, employee_id=employee_id, page=page, page_size=page_size, status=status
    )
    return dataclasses.replace(found, items=_views(session, employee_id, found.items))


def abandon(*, session: Session, employee_id: str, plan_id: str) -> dict[str, Any]:
    """Abandon an active plan, under the request's If-Match."""
    _employee_exists(session, employee_id)
    plan = plans.get_plan(
        session=session, employee_id=employee_id, plan_id=plan_id, for_update=True
    )
    check_if_match(etag_of(_views(session, employee_id, [plan])[0]))
    plans.abandon_plan(session=session, plan=plan)
    return _views(session, employee_id, [plan])[0]


# -- schemas ------------------------------------------------------------------------------------


class StoredLevelChangeSchema(StrictSchema):
    """A skill moving from one level to another, as a kept plan stores it."""

    skill = fields.String()
    from_ = fields.Integer(data_key="from", attribute="from")
    to = fields.Integer()


class PlanStepSchema(StrictSchema):
    """A learning-path step of a plan, and whether it is done."""

    position = fields.Integer()
    item = fields.Nested(ItemSummarySchema)
    closes = fields.List(fields.Nested(StoredLevelChangeSchema))
    builds = fields.List(fields.Nested(StoredLevelChangeSchema))
    unlocks = fields.List(fields.Integer())
    start_week = fields.Integer()
    end_week = fields.Integer()
    start_date = fields.String(metadata={"format": "date"})
    end_date = fields.String(metadata={"format": "date"})
    why = fields.String()
    hours = fields.Float()
    status = fields.String(metadata={"description": "pending or completed"})
    completed_at = fields.Date(
        allow_none=True,
        metadata={"description": "First completion of the item on or after the plan's day"},
    )


class ProgressSchema(StrictSchema):
    """How far the plan has come."""

    steps_done = fields.Integer()
    steps_total = fields.Integer()
    hours_done = fields.Float()
    coverage_done = fields.Float(
        metadata={"description": "Share of the plan's weighted gap the done steps close"}
    )


class Kept(fields.Nested):
    """A nested schema in the document; the value, kept as JSON already, is answered as it is.

    A plan's steps are stored in the shape the API shows them: dumping them again field by
    field would cost more than the rest of a plan's read.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class PlanSchema(StrictSchema):
    """A kept learning path with its live progress."""

    id = fields.String()
    employee = fields.String()
    status = fields.String(metadata={"description": " / ".join(PLAN_STATUSES)})
    created_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    replaces = fields.String(allow_none=True, metadata={"description": "The plan this one replans"})
    superseded_by = fields.String(allow_none=True, metadata={"description": "Its replan"})
    target = fields.Dict()
    readiness_before = fields.Float()
    readiness_after = fields.Float()
    coverage = fields.Float()
    total_hours = fields.Float()
    total_cost = fields.Float()
    currency = fields.String(allow_none=True)
    constraints = fields.Dict()
    steps = Kept(PlanStepSchema, many=True)
    unmet = fields.List(fields.Dict())
    excluded = fields.List(fields.Dict())
    model = fields.Dict()
    progress = fields.Nested(ProgressSchema)
    schedule = fields.String(
        metadata={
            "description": "behind: a step not done should have ended; ahead: more hours done "
            "than the dates expect by now; on_track otherwise"
        }
    )


class PlanQueryArgsSchema(ListArgsSchema):
    """Which plans to list."""

    status = fields.String(metadata={"enum": list(PLAN_STATUSES)})


# -- views ---------------------------------------------------------------------------------------


@blp.route("/<id:employee_id>/plans")
class Plans(MethodView):
    """An employee's plans."""

    @requires("recommend", "employees:read")
    @blp.arguments(EmployeePathRequestSchema)
    @blp.response(201, PlanSchema, headers=LOCATION_HEADER)
    @blp.problems(404, 409)
    def post(self, data, employee_id):
        """Plan a learning path and keep it as the employee's active plan for the role

        One plan per employee and role is active: a second is a 409 naming the active one
        (replan it, or abandon it first).
        """
        plan = create_plan(
            session=db.session,
            employee_id=employee_id,
            role_id=data.get("role"),
            constraints=data["constraints"],
        )
        db.session.commit()
        return plan, 201, {"Location": f"{request.path}/{plan['id']}"}

    @requires("employees:read")
    @blp.arguments(PlanQueryArgsSchema, location="query")
    @blp.response(200, PlanSchema(many=True))
    @blp.paginate(**PAGING)
    @blp.problems(404)
    def get(self, args, employee_id, pagination_parameters):
        """List an employee's plans with their progress, newest first"""
        page = list_employee_plans(
            session=db.session,
            employee_id=employee_id,
            status=args.get("status"),
            **paging(pagination_parameters),
        )
        return paginate_page(page, pagination_parameters)


@blp.route("/<id:employee_id>/plans/<id:plan_id>")
class PlanById(MethodView):
    """One plan."""

    @requires("employees:read")
    @blp.response(200, PlanSchema, headers=ETAG_HEADER)
    @blp.problems(404)
    def get(self, employee_id, plan_id):
        """Get a plan with its live progress"""
        plan = read_plan(session=db.session, employee_id=employee_id, plan_id=plan_id)
        return plan, 200, {"ETag": etag_of(plan)}

    @requires("employees:write")
    @blp.response(200, PlanSchema)
    @blp.doc(parameters=[IF_MATCH])
    @blp.problems(404, 409, 412, 428)
    def delete(self, employee_id, plan_id):
        """Abandon a plan (it is kept, with status abandoned)"""
        plan = abandon(session=db.session, employee_id=employee_id, plan_id=plan_id)
        db.session.commit()
        return plan


@blp.route("/<id:employee_id>/plans/<id:plan_id>/replan")
class Replan(MethodView):
    """Planning a plan again."""

    @requires("recommend", "employees:read")
    @blp.response(201, PlanSchema, headers=LOCATION_HEADER)
    @blp.problems(404, 409)
    def post(self, employee_id, plan_id):
        """Keep a plan's done steps and plan the rest again from today's profile and catalog

        The new plan is active; the old one becomes superseded and points at it.
        """
        plan = replan(session=db.session, employee_id=employee_id, plan_id=plan_id)
        db.session.commit()
        location = request.path.rsplit("/", 2)[0] + f"/{plan['id']}"
        return plan, 201, {"Location": location}
