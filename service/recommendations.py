"""The recommender over HTTP: skill resolution, gaps, recommendations, paths and role matches."""

from __future__ import annotations

from flask.views import MethodView

from service import planning
from service.auth import requires
from service.common import Blueprint
from service.db import db, read_only
from service.recommendation_args import (
    EmployeePathRequestSchema,
    RecommendationArgsSchema,
    ResolveArgsSchema,
    RoleArgsSchema,
    RoleMatchArgsSchema,
    StatelessPathRequestSchema,
)
from service.recommendation_schemas import (
    GapReportSchema,
    LearningPathSchema,
    RecommendationListSchema,
    RoleMatchListSchema,
    SkillMatchSchema,
)

blp = Blueprint(
    "recommendations",
    __name__,
    description="Gap analysis, ranked recommendations and learning paths.",
)


@blp.route("/v1/skills/resolve")
class Resolve(MethodView):
    """Free text to canonical skills."""

    @requires("recommend")
    @blp.arguments(ResolveArgsSchema, location="query")
    @blp.response(200, SkillMatchSchema(many=True))
    def get(self, args):
        """Resolve free text to ranked canonical skills"""
        return planning.skill_matches(session=db.session, text=args["text"], limit=args["limit"])


@blp.route("/v1/employees/<id:employee_id>/gaps")
class Gaps(MethodView):
    """Gap analysis for a stored employee."""

    @requires("recommend", "employees:read")
    @blp.arguments(RoleArgsSchema, location="query")
    @blp.response(200, GapReportSchema)
    def get(self, args, employee_id):
        """Measure an employee's gap to a role"""
        return planning.employee_gaps(
            session=db.session, employee_id=employee_id, role_id=args.get("role")
        )


@blp.route("/v1/employees/<id:employee_id>/recommendations")
class Recommendations(MethodView):
    """Ranked catalog items for a stored employee."""

    @requires("recommend", "employees:read")
    @blp.arguments(RecommendationArgsSchema, location="query")
    @blp.response(200, RecommendationListSchema)
    def get(self, args, employee_id):
        """Rank catalog items for an employee and a role"""
        return planning.employee_recommendations(
            session=db.session,
            employee_id=employee_id,
            role_id=args.get("role"),
            limit=args["limit"],
            goal=args.get("goal"),
            modalities=args.get("modality"),
            languages=args.get("language"),
            kinds=args.get("kind"),
        )


@blp.route("/v1/employees/<id:employee_id>/learning-paths")
class EmployeeLearningPaths(MethodView):
    """Learning paths for a stored employee."""

    @read_only
    @requires("recommend", "employees:read")
    @blp.arguments(EmployeePathRequestSchema)
    @blp.response(200, LearningPathSchema)
    def post(self, data, employee_id):
        """Plan a learning path for an employee (nothing is stored)"""
        return planning.employee_path(
            session=db.session,
            employee_id=employee_id,
            role_id=data.get("role"),
            constraints=data["constraints"],
        )


@blp.route("/v1/learning-paths")
class LearningPaths(MethodView):
    """Stateless learning paths."""

    @read_only
    @requires("recommend")
    @blp.arguments(StatelessPathRequestSchema)
    @blp.response(200, LearningPathSchema)
    def post(self, data):
        """Plan a learning path for a profile sent in the request"""
        return planning.stateless_path(
            session=db.session,
            profile=data["profile"],
            target=data["target"],
            constraints=data["constraints"],
        )


@blp.route("/v1/employees/<id:employee_id>/role-matches")
class RoleMatches(MethodView):
    """Internal mobility."""

    @requires("recommend", "employees:read")
    @blp.arguments(RoleMatchArgsSchema, location="query")
    @blp.response(200, RoleMatchListSchema)
    def get(self, args, employee_id):
        """Rank roles by an employee's readiness"""
        return planning.employee_role_matches(
            session=db.session, employee_id=employee_id, limit=args["limit"]
        )
