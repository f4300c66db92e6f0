"""Workforce pages for HR and IT leaders: KPIs over time, skills, team heatmap, candidates,
certifications. Each calls the same functions as ``/v1/analytics`` and dumps with its schemas.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import render_template, request

from catalog.console import teams
from catalog.errors import CatalogError
from catalog.roles import list_roles
from service import workforce, workforce_candidates, workforce_time
from service.analytics_schemas import (
    CandidateArgsSchema,
    CandidateListSchema,
    CertificationArgsSchema,
    CertificationHeldSchema,
    HeatmapSchema,
    KpiArgsSchema,
    KpiSeriesSchema,
    SkillsArgsSchema,
    SkillSupplySchema,
)
from service.api import _flatten
from service.console.base import blp, require
from service.console.charts import GAP_COLOURS, LINE_HEIGHT, line_chart
from service.db import db

KPIS = (
    ("skills_gap_closure_rate", "Skills gap closure rate"),
    ("certifications_active", "Certifications active"),
    ("certifications_earned", "Certifications earned"),
    ("plans_completed", "Plans completed"),
    ("plan_completion_rate", "Plan completion rate"),
    ("learning_hours", "Learning hours"),
    ("internal_moves", "Internal moves"),
)
SHOWN_ROWS = 50


def _args(schema: ma.Schema) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Load the page's query with the API's own argument schema; name what is wrong."""
    raw = {k: v for k, v in request.args.items() if v}
    try:
        return schema.load(raw), []
    except ma.ValidationError as exc:
        return {}, list(_flatten(exc.messages))


def _choices() -> dict[str, Any]:
    roles = list_roles(session=db.session, page=1, page_size=500).items
    return {"teams": teams(session=db.session), "roles": [(r.id, r.title) for r in roles]}


def _page(template: str, **context: Any):
    status = 422 if context.get("errors") else 200
    return render_template(template, args=request.args, **_choices(), **context), status


@blp.get("/analytics/kpis")
def kpis():
    """Show workforce KPIs per period as charts and a table."""
    require("analytics:read")
    args, errors = _args(KpiArgsSchema())
    series, charts = None, []
    if not errors:
        try:
            series = KpiSeriesSchema().dump(
                workforce_time.kpi_series(
                    session=db.session,
                    first=args["from_"],
                    last=args["to"],
                    interval=args["interval"],
                    team=args.get("team"),
                    role=args.get("role"),
                )
            )
        except CatalogError as exc:
            errors = [("role", str(exc))]
    if series:
        labels = [p["start"] for p in series["periods"]]
        for key, title in KPIS:
            chart = line_chart(labels, [p.get(key) for p in series["periods"]])
            charts.append({"key": key, "title": title, "chart": chart})
    return _page(
        "ui/kpis.html", series=series, charts=charts, kpis=KPIS, errors=errors, height=LINE_HEIGHT
    )


@blp.get("/analytics/skills")
def skills():
    """Show skills held and required across the organisation, largest shortfall first."""
    require("analytics:read")
    args, errors = _args(SkillsArgsSchema())
    rows: list[dict[str, Any]] = []
    if not errors:
        try:
            rows = SkillSupplySchema(many=True).dump(
                workforce.skills_view(session=db.session, **args)
            )
        except CatalogError as exc:
            errors = [("role", str(exc))]
    return _page("ui/skills.html", rows=rows[:SHOWN_ROWS], total=len(rows), errors=errors)


@blp.get("/analytics/heatmap")
def heatmap():
    """Show a team's employees against their roles, skill by skill, coloured by gap."""
    require("analytics:read")
    team = request.args.get("team", "").strip()
    args, errors = _args(
        ma.Schema.from_dict({"role": ma.fields.String(), "team": ma.fields.String()})()
    )
    data = None
    if team and not errors:
        try:
            data = HeatmapSchema().dump(
                workforce.team_heatmap(session=db.session, team=team, role=args.get("role"))
            )
        except CatalogError as exc:
            errors = [("team", str(exc))]
    return _page("ui/heatmap.html", data=data, team=team, colours=GAP_COLOURS, errors=errors)


@blp.get("/analytics/candidates")
def candidates():
    """Rank employees by readiness for a role, with the hours each would need."""
    require("analytics:read")
    role = request.args.get("role", "").strip()
    raw = {k: v for k, v in request.args.items() if v and k != "role"}
    errors: list[tuple[str, str]] = []
    data = None
    try:
        args = CandidateArgsSchema().load(raw)
    except ma.ValidationError as exc:
        args, errors = {}, list(_flatten(exc.messages))
    if role and not errors:
        try:
            data = CandidateListSchema().dump(
                workforce_candidates.role_candidates(session=db.session, role=role, **args)
            )
        except CatalogError as exc:
            errors = [("role", str(exc))]
    return _page("ui/candidates.html", data=data, role=role, errors=errors)


@blp.get("/analytics/certifications")
def certifications():
    """List certifications expiring soon or expired, soonest first."""
    require("analytics:read")
    args, errors = _args(CertificationArgsSchema())
    rows: list[dict[str, Any]] = []
    if not errors:
        rows = CertificationHeldSchema(many=True).dump(
            workforce_time.certifications(
                session=db.session,
                within_days=args["expiring_within_days"],
                team=args.get("team"),
            )
        )
    within = args.get("expiring_within_days", 90)
    return _page("ui/certifications.html", rows=rows, within=within, errors=errors)
