"""Workforce analytics for HR and IT leaders and L&D: /v1/analytics, candidates and mentors."""

from __future__ import annotations

import csv
import io

from flask import Response, request
from flask.views import MethodView

from service import workforce, workforce_candidates, workforce_time
from service.analytics_schemas import (
    CandidateArgsSchema,
    CandidateListSchema,
    CertificationArgsSchema,
    CertificationHeldSchema,
    HeatmapArgsSchema,
    HeatmapSchema,
    KpiArgsSchema,
    KpiSeriesSchema,
    MentorArgsSchema,
    MentorListSchema,
    SkillsArgsSchema,
    SkillSupplySchema,
)
from service.auth import requires
from service.common import PAGING, Blueprint
from service.csv_records import spreadsheet_safe
from service.db import db

blp = Blueprint(
    "analytics",
    __name__,
    description="Workforce views: skills supply and demand, team heatmaps, succession "
    "candidates, mentors, expiring certifications and KPIs over time.",
)

CSV_COLUMNS = (
    ["skill", "name"]
    + [f"level_{n}" for n in range(6)]
    + ["demand"]
    + [f"demand_level_{n}" for n in range(6)]
    + ["met", "shortfall", "covered"]
)
CSV_EXAMPLE = ",".join(CSV_COLUMNS) + "\r\naws,AWS,3,1,2,1,0,0,4,0,0,0,3,1,0,1,2.5,0.25\r\n"
CSV_ANSWER = {
    "text/csv": {
        "schema": {"type": "string"},
        "example": CSV_EXAMPLE,
    }
}


def _page(rows: list, pagination_parameters) -> list:
    """Record the total and return the requested page of rows computed in memory."""
    pagination_parameters.item_count = len(rows)
    start = (pagination_parameters.page - 1) * pagination_parameters.page_size
    return rows[start : start + pagination_parameters.page_size]


def wants_csv() -> bool:
    """Tell whether the client asked for CSV rather than JSON."""
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def skills_csv(rows: list) -> Response:
    """Write skill rows as CSV, every cell safe to open in a spreadsheet."""
    dumped = SkillSupplySchema(many=True).dump(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in dumped:
        cells = [row["skill"], row["name"], *row["employees_by_level"], row["demand"]["employees"]]
        cells += [*row["demand"]["by_level"], row["met"], row["shortfall"], row["covered"]]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return Response(out.getvalue(), mimetype="text/csv")


@blp.route("/v1/analytics/skills")
class SkillsAnalytics(MethodView):
    """Skills across the organisation."""

    @requires("analytics:read")
    @blp.arguments(SkillsArgsSchema, location="query")
    @blp.response(200, SkillSupplySchema(many=True))
    @blp.doc(responses={200: {"content": CSV_ANSWER}})
    @blp.paginate(**PAGING)
    @blp.problems(404)
    def get(self, args, pagination_parameters):
        """Count skills held and required across the organisation

        Largest weighted shortfall first. `Accept: text/csv` answers the same page as CSV.
        """
        rows = _page(workforce.skills_view(session=db.session, **args), pagination_parameters)
        return skills_csv(rows) if wants_csv() else rows


@blp.route("/v1/analytics/teams/<team>/gaps")
class TeamHeatmap(MethodView):
    """A team's skills heatmap."""

    @requires("analytics:read")
    @blp.arguments(HeatmapArgsSchema, location="query")
    @blp.response(200, HeatmapSchema)
    @blp.problems(404)
    def get(self, args, team):
        """Lay a team's employees against a role, skill by skill"""
        return workforce.team_heatmap(session=db.session, team=team, role=args.get("role"))


@blp.route("/v1/roles/<id:role_id>/candidates")
class RoleCandidates(MethodView):
    """Succession and internal mobility."""

    @requires("analytics:read")
    @blp.arguments(CandidateArgsSchema, location="query")
    @blp.response(200, CandidateListSchema)
    @blp.problems(404)
    def get(self, args, role_id):
        """Rank employees by readiness for a role"""
        return workforce_candidates.role_candidates(session=db.session, role=role_id, **args)


@blp.route("/v1/employees/<id:employee_id>/mentors")
class EmployeeMentors(MethodView):
    """Colleagues who could mentor an employee."""

    @requires("recommend", "employees:read")
    @blp.arguments(MentorArgsSchema, location="query")
    @blp.response(200, MentorListSchema)
    @blp.problems(404, 422)
    def get(self, args, employee_id):
        """Rank mentors by how much of an employee's gap they cover"""
        return workforce.employee_mentors(
            session=db.session, employee_id=employee_id, role=args.get("role"), limit=args["limit"]
        )


@blp.route("/v1/analytics/certifications")
class CertificationsAnalytics(MethodView):
    """Certifications that lapse."""

    @requires("analytics:read")
    @blp.arguments(CertificationArgsSchema, location="query")
    @blp.response(200, CertificationHeldSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List certifications expiring soon or expired, soonest first"""
        rows = workforce_time.certifications(
            session=db.session, within_days=args["expiring_within_days"], team=args.get("team")
        )
        return _page(rows, pagination_parameters)


@blp.route("/v1/analytics/kpis")
class KpiAnalytics(MethodView):
    """Workforce KPIs over time."""

    @requires("analytics:read")
    @blp.arguments(KpiArgsSchema, location="query")
    @blp.response(200, KpiSeriesSchema)
    @blp.problems(404)
    def get(self, args):
        """Report workforce KPIs per period"""
        return workforce_time.kpi_series(
            session=db.session,
            first=args["from_"],
            last=args["to"],
            interval=args["interval"],
            team=args.get("team"),
            role=args.get("role"),
        )
