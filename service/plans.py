"""Kept learning paths with live progress: /v1/employees/{id}/plans.

A plan is a learning path kept as it was answered, with an id. Reading it works out its
progress from the employee's completions; replanning keeps the steps done and plans the rest
again from today's profile and catalog, under what is left of the plan's hours, budget and
steps. The forms a plan takes are in :mod:`service.plan_forms`, its schemas in
:mod:`service.plan_schemas`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from flask import request
from flask.views import MethodView
from sqlalchemy.orm import Session

from catalog import plans
from catalog.employees import EMPLOYEE
from catalog.errors import ConflictError, NotFoundError
from catalog.models import Plan, utcnow
from catalog.records import existing_ids
from recommender.gap import GapVector
from recommender.types import Constraints
from service.answers import PathAnswer
from service.auth import requires
from service.common import (
    ETAG_HEADER,
    IF_MATCH,
    LOCATION_HEADER,
    PAGING,
    Blueprint,
    paginate_page,
    paging,
)
from service.db import db
from service.etag import check_if_match, etag_of
from service.plan_forms import join_kept_steps, json_safe, kept_form, plan_view
from service.plan_schemas import PlanQueryArgsSchema, PlanSchema
from service.planning import path_answer
from service.planning_inputs import StoredEmployee, constraints_for, stored_employee, today
from service.recommendation_args import ConstraintsSchema, EmployeePathRequestSchema
from service.recommendation_schemas import LearningPathSchema

blp = Blueprint(
    "plans",
    __name__,
    url_prefix="/v1/employees",
    description="Kept learning paths (plans): progress, schedule, replanning.",
)


def _views(session: Session, employee_id: str, kept: Sequence[Plan]) -> list[dict[str, Any]]:
    """Return plans as the API shows them, with their progress as of today."""
    days = plans.completions_for(session=session, employee_id=employee_id, plans=kept)
    return [plan_view(plan, plans.progress(plan, days, today())) for plan in kept]


def _employee_exists(session: Session, employee_id: str) -> None:
    """Raise NotFoundError unless the employee is stored."""
    if not existing_ids(session, EMPLOYEE.model, [employee_id]):
        raise NotFoundError("employee", employee_id)


def _planned(
    employee: StoredEmployee, constraints: Constraints, *, as_of: dt.date
) -> tuple[PathAnswer, dict[str, Any], list[dict[str, Any]]]:
    """Plan a path for a stored employee under ``constraints``: the answer and its kept form."""
    answer = path_answer(
        employee.models,
        employee.profile,
        employee.target,
        constraints,
        as_of=as_of,
        excluded=employee.feedback.excluded,
    )
    path, steps = kept_form(answer, GapVector.build(employee.profile, employee.target))
    return answer, path, steps


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
    _, path, steps = _planned(employee, applied, as_of=as_of)
    plan = plans.keep_plan(
        session=session,
        employee_id=employee_id,
        role_id=employee.target.role_id,
        requested=json_safe(constraints),
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
    answer, path, steps = _planned(employee, rest, as_of=as_of)
    path["constraints"] = LearningPathSchema().dump(
        dataclasses.replace(answer, path=dataclasses.replace(answer.path, constraints=applied))
    )["constraints"]
    path, steps = join_kept_steps(kept, path, steps)
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
