"""Employee pages: the list, and one employee's gaps, active plan timeline, history and links."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request

from catalog.console import revoke_share_link
from catalog.employees import get_employee, list_employees
from catalog.errors import CatalogError
from catalog.history import list_history
from service.console.base import blp, may, require
from service.console.charts import gap_bars, timeline
from service.db import db
from service.planning import employee_gaps
from service.plans import list_employee_plans
from service.share_links import new_share_link

PAGE_SIZE = 25
HISTORY_SHOWN = 30
MAX_TARGETS_SHOWN = 3


@blp.get("/people")
def people():
    """List employees, by team."""
    require("employees:read")
    team = request.args.get("team", "").strip() or None
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    found = list_employees(session=db.session, page=page, page_size=PAGE_SIZE, team=team)
    pages = max(1, -(-found.total // PAGE_SIZE))
    return render_template("ui/people.html", found=found, team=team or "", page=page, pages=pages)


def _gaps(employee) -> list[dict[str, Any]]:
    """Return gap bars for each of the employee's target roles (``recommend`` reads them)."""
    charts = []
    for role_id in list(employee.target_roles)[:MAX_TARGETS_SHOWN]:
        try:
            answer = employee_gaps(session=db.session, employee_id=employee.id, role_id=role_id)
        except CatalogError as exc:
            charts.append({"role": role_id, "error": str(exc)})
            continue
        bars, height = gap_bars(answer.report)
        charts.append(
            {
                "role": role_id,
                "title": answer.target.title or role_id,
                "readiness": round(answer.report.readiness * 100),
                "bars": bars,
                "height": height,
            }
        )
    return charts


def active_plans(employee_id: str) -> list[dict[str, Any]]:
    """Return the employee's active plans, each with its steps laid on a timeline."""
    found = list_employee_plans(
        session=db.session, employee_id=employee_id, page=1, page_size=10, status="active"
    )
    shown = []
    for plan in found.items:
        bars, height, first, last = timeline(plan["steps"])
        shown.append({**plan, "bars": bars, "height": height, "first": first, "last": last})
    return shown


def _employee_page(employee_id: str, **extra: Any):
    employee = get_employee(session=db.session, employee_id=employee_id)
    if employee is None:
        abort(404, description=f"There is no employee {employee_id!r}.")
    history = list_history(session=db.session, employee_id=employee_id, page=1, page_size=1)
    last_page = max(1, -(-history.total // HISTORY_SHOWN))
    events = list_history(
        session=db.session, employee_id=employee_id, page=last_page, page_size=HISTORY_SHOWN
    ).items
    return render_template(
        "ui/employee.html",
        employee=employee,
        gaps=_gaps(employee) if may("recommend") else None,
        plans=active_plans(employee_id),
        events=list(reversed(events)),
        history_total=history.total,
        **extra,
    )


@blp.get("/people/<employee_id>")
def employee(employee_id: str):
    """Show an employee: gap bars, the active plan as a timeline, the skill history."""
    require("employees:read")
    return _employee_page(employee_id)


@blp.post("/people/<employee_id>/share-links")
def create_link(employee_id: str):
    """Create a share link to the employee's active plan and show its url once."""
    require("recommend", "employees:read")
    if get_employee(session=db.session, employee_id=employee_id) is None:
        abort(404, description=f"There is no employee {employee_id!r}.")
    link = new_share_link(
        session=db.session,
        employee_id=employee_id,
        days=current_app.config["SKILLPATH_SHARE_LINK_DAYS"],
    )
    db.session.commit()
    return _employee_page(employee_id, link=link), 201


@blp.post("/people/<employee_id>/share-links/<link_id>/revoke")
def revoke_link(employee_id: str, link_id: str):
    """Revoke a share link: its page answers 410 from now on."""
    require("recommend", "employees:read")
    try:
        revoke_share_link(session=db.session, employee_id=employee_id, link_id=link_id)
    except CatalogError:
        abort(404, description="There is no such share link.")
    db.session.commit()
    return _employee_page(employee_id, revoked=link_id)
