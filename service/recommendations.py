"""The recommender over HTTP: skill resolution, gaps, recommendations, paths and role matches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from catalog.employees import EMPLOYEE
from catalog.errors import RecordError, RowError
from catalog.models import Employee, Item
from catalog.skills import resolve_skill_refs
from catalog.vocabulary import MIN_HOURS_PER_WEEK
from recommender import (
    Constraints,
    Profile,
    Target,
    analyze_gap,
    effective_profile,
    plan_learning_path,
)
from recommender.types import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_HOURS,
    DEFAULT_MAX_ITEMS,
    Competency,
)
from service.auth import requires
from service.common import (
    KINDS,
    LANGUAGE_PATTERN,
    MODALITIES,
    Blueprint,
    Id,
    Level,
    SkillRef,
    StrictSchema,
    get_or_404,
)
from service.db import db, read_only
from service.employees import CompletionSchema
from service.engine import Models, completions, models_for, resolve_skill_names
from service.roles import CompetencySchema

blp = Blueprint(
    "recommendations",
    __name__,
    description="Gap analysis, ranked recommendations and learning paths.",
)


# -- schemas ------------------------------------------------------------------------------------


class TargetRefSchema(StrictSchema):
    """The target as the response names it."""

    role = fields.String(allow_none=True)
    title = fields.String(allow_none=True)


class LevelChangeSchema(StrictSchema):
    """A skill moving from one level to another."""

    skill = fields.String()
    from_ = fields.Integer(data_key="from", attribute="before")
    to = fields.Integer(attribute="after")


class ItemSummarySchema(StrictSchema):
    """The catalog item a step or recommendation points at."""

    id = fields.String()
    title = fields.String()
    kind = fields.String()
    modality = fields.String()
    provider = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    language = fields.String()
    duration_hours = fields.Float()
    cost = fields.Float()
    currency = fields.String()


class ResolveArgsSchema(StrictSchema):
    """What to resolve."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=200))
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class SkillMatchSchema(StrictSchema):
    """A canonical skill for the text, with a similarity score in [0, 1]."""

    skill = fields.String(attribute="skill_id")
    name = fields.String()
    score = fields.Float()
    matched_on = fields.String(metadata={"description": "id, name, alias or description"})


class RoleArgsSchema(StrictSchema):
    """Which role to measure against (default: the employee's first target role)."""

    role = Id(metadata={"description": "Role id; defaults to the employee's first target role"})


class GapSchema(StrictSchema):
    """One competency compared with the employee's level."""

    skill = fields.String()
    current = fields.Integer()
    required = fields.Integer()
    weight = fields.Float()
    gap = fields.Integer()
    weighted_gap = fields.Float()


class GapReportSchema(StrictSchema):
    """How far an employee is from a role."""

    employee = fields.String()
    target = fields.Nested(TargetRefSchema)
    readiness = fields.Float(metadata={"description": "1 - weighted gap / sum(w * required)"})
    weighted_gap = fields.Float()
    gaps = fields.List(fields.Nested(GapSchema), metadata={"description": "Largest first"})
    met = fields.List(fields.Nested(GapSchema))
    catalog_version = fields.Integer()


class RecommendationArgsSchema(RoleArgsSchema):
    """Which role, how many items, and optional filters."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    goal = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "Free text matched against item titles and descriptions"},
    )
    modality = fields.List(
        fields.String(validate=validate.OneOf(MODALITIES)),
        metadata={"description": "Allowed modalities (default: preferences.modalities, else all)"},
    )
    language = fields.List(
        fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
        metadata={"description": "Allowed languages (default: preferences.languages, else all)"},
    )
    kind = fields.List(fields.String(validate=validate.OneOf(KINDS)))


class RecommendationSchema(StrictSchema):
    """One ranked item and what it would close."""

    item = fields.Nested(ItemSummarySchema)
    score = fields.Float()
    gain = fields.Float(metadata={"description": "Weighted gap this item alone closes"})
    similarity = fields.Float(metadata={"description": "Cosine of item and gap vectors"})
    closes = fields.List(fields.Nested(LevelChangeSchema))
    ready = fields.Boolean(metadata={"description": "The employee meets its prerequisites"})


class RecommendationListSchema(StrictSchema):
    """Ranked items for an employee and a role."""

    employee = fields.String()
    target = fields.Nested(TargetRefSchema)
    readiness = fields.Float()
    items = fields.List(fields.Nested(RecommendationSchema))
    catalog_version = fields.Integer()


class ConstraintsSchema(StrictSchema):
    """Limits and filters of a path; absent ones take the employee's preferences or defaults."""

    max_hours = fields.Float(
        validate=validate.Range(min=0, max=10_000, min_inclusive=False),
        metadata={"description": f"Total study hours (default {DEFAULT_MAX_HOURS:g})"},
    )
    budget = fields.Float(
        allow_none=True,
        validate=validate.Range(min=0, max=10_000_000),
        metadata={"description": "Total cost (default: preferences.budget, else unlimited)"},
    )
    max_items = fields.Integer(
        validate=validate.Range(min=1, max=50),
        metadata={"description": f"Most steps (default {DEFAULT_MAX_ITEMS})"},
    )
    hours_per_week = fields.Float(
        validate=validate.Range(min=MIN_HOURS_PER_WEEK, max=80),
        metadata={
            "description": "Pace of the schedule (default: preferences.hours_per_week, "
            f"else {DEFAULT_HOURS_PER_WEEK:g})"
        },
    )
    start_date = fields.Date(metadata={"description": "First day of the schedule (default today)"})
    modalities = fields.List(
        fields.String(validate=validate.OneOf(MODALITIES)),
        validate=validate.Length(min=1, max=10),
        metadata={"description": "Allowed modalities (default: preferences.modalities, else all)"},
    )
    languages = fields.List(
        fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
        validate=validate.Length(min=1, max=20),
        metadata={"description": "Allowed languages (default: preferences.languages, else all)"},
    )
    kinds = fields.List(
        fields.String(validate=validate.OneOf(KINDS)),
        validate=validate.Length(min=1, max=10),
        metadata={"description": "Allowed item kinds (default all)"},
    )
    goal = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "Free text that favours matching items among candidates"},
    )


class EmployeePathRequestSchema(StrictSchema):
    """A path for a stored employee."""

    role = Id(metadata={"description": "Target role (default: the employee's first target role)"})
    constraints = fields.Nested(ConstraintsSchema, load_default=dict)


class ProfileSkillSchema(StrictSchema):
    """A stated skill level."""

    skill = SkillRef()
    level = Level(minimum=0)


class InlineProfileSchema(StrictSchema):
    """A profile carried in the request: nothing is stored."""

    skills = fields.List(
        fields.Nested(ProfileSkillSchema), load_default=list, validate=validate.Length(max=500)
    )
    completed = fields.List(
        fields.Nested(CompletionSchema), load_default=list, validate=validate.Length(max=2000)
    )
    resolve = fields.Boolean(
        load_default=False,
        metadata={"description": "Resolve skill names that match no id, name or alias fuzzily"},
    )


class InlineTargetSchema(StrictSchema):
    """A role id, or inline competencies: exactly one of the two."""

    # Added to the OpenAPI document by create_app, which apispec cannot derive.
    ONE_OF = [{"required": ["role"]}, {"required": ["competencies"]}]

    role = Id()
    title = fields.String(validate=validate.Length(max=300))
    competencies = fields.List(
        fields.Nested(CompetencySchema), validate=validate.Length(min=1, max=200)
    )

    @validates_schema
    def _one_of(self, data, **kwargs):
        if ("role" in data) == ("competencies" in data):
            raise ValidationError("Give either role or competencies.", "_schema")


class StatelessPathRequestSchema(StrictSchema):
    """A path for a profile sent in the request."""

    profile = fields.Nested(InlineProfileSchema, required=True)
    target = fields.Nested(InlineTargetSchema, required=True)
    constraints = fields.Nested(ConstraintsSchema, load_default=dict)


class StepSchema(StrictSchema):
    """One step of a learning path."""

    position = fields.Integer()
    item = fields.Nested(ItemSummarySchema)
    closes = fields.List(fields.Nested(LevelChangeSchema))
    builds = fields.List(
        fields.Nested(LevelChangeSchema),
        metadata={"description": "Other skills raised that later steps need"},
    )
    unlocks = fields.List(fields.Integer(), metadata={"description": "Later step positions"})
    start_week = fields.Integer()
    end_week = fields.Integer()
    start_date = fields.Date()
    end_date = fields.Date()
    why = fields.String()


class UnmetSchema(StrictSchema):
    """A requirement the path leaves open, and why."""

    skill = fields.String()
    current = fields.Integer()
    reached = fields.Integer(metadata={"description": "Level after the path"})
    required = fields.Integer()
    weight = fields.Float()
    reason = fields.String()
    code = fields.String()


class AppliedConstraintsSchema(StrictSchema):
    """The constraints the path was planned under, defaults filled in."""

    max_hours = fields.Float(allow_none=True)
    budget = fields.Float(allow_none=True)
    max_items = fields.Integer(allow_none=True)
    hours_per_week = fields.Float()
    start_date = fields.Date(allow_none=True)
    modalities = fields.List(fields.String(), allow_none=True)
    languages = fields.List(fields.String(), allow_none=True)
    kinds = fields.List(fields.String(), allow_none=True)
    goal = fields.String(allow_none=True)


class ModelInfoSchema(StrictSchema):
    """Which model answered."""

    catalog_version = fields.Integer()
    planner = fields.String(metadata={"description": "milp, greedy or none"})
    optimal = fields.Boolean(metadata={"description": "Proven optimal over the candidates"})


class LearningPathSchema(StrictSchema):
    """An ordered, scheduled and explained learning path."""

    target = fields.Nested(TargetRefSchema)
    readiness_before = fields.Float()
    readiness_after = fields.Float()
    coverage = fields.Float(metadata={"description": "Share of the weighted gap the path closes"})
    total_hours = fields.Float()
    total_cost = fields.Float()
    currency = fields.String(allow_none=True)
    steps = fields.List(fields.Nested(StepSchema))
    unmet = fields.List(fields.Nested(UnmetSchema))
    constraints = fields.Nested(AppliedConstraintsSchema)
    model = fields.Nested(ModelInfoSchema)


class RoleMatchArgsSchema(StrictSchema):
    """How many roles to list."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class RoleMatchSchema(StrictSchema):
    """A role and the employee's readiness for it."""

    role = fields.String(attribute="role_id")
    title = fields.String(allow_none=True)
    readiness = fields.Float()
    weighted_gap = fields.Float()
    gaps = fields.Integer(attribute="n_gaps")


class RoleMatchListSchema(StrictSchema):
    """Roles ranked by the employee's readiness."""

    employee = fields.String()
    matches = fields.List(fields.Nested(RoleMatchSchema))
    catalog_version = fields.Integer()


# -- helpers ------------------------------------------------------------------------------------


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _target_ref(target: Target) -> dict[str, Any]:
    return {"role": target.role_id, "title": target.title}


def _role_target(models: Models, role_id: str | None, employee: Employee | None = None) -> Target:
    """Return the target role, defaulting to the employee's first target role."""
    if role_id is None and employee is not None and employee.target_roles:
        role_id = employee.target_roles[0]
    if role_id is None:
        abort(422, message="Name a role: ?role=<id>, or give the employee target_roles.")
    target = models.role_targets.get(role_id)
    if target is None:
        abort(404, message=f"There is no role {role_id!r}.")
    return target


def _employee_profile(models: Models, employee: Employee) -> Profile:
    return effective_profile(
        skills={s.skill_id: s.level for s in employee.skills},
        completions=completions(employee.completed),
        items=models.index,
        as_of=_today(),
    )


def _stored_employee(employee_id: str, role_id: str | None):
    """Return a stored employee, the fitted models, the target role and the effective profile."""
    employee = get_or_404(EMPLOYEE, employee_id)
    models = models_for(db.session)
    target = _role_target(models, role_id, employee)
    return employee, models, target, _employee_profile(models, employee)


def _resolve_refs(
    models: Models, refs: Iterable[tuple[str, str]], *, fuzzy: bool
) -> dict[str, str]:
    """Map skill references to ids: exactly as stored, then (if ``fuzzy``) by the resolver.

    :raise RecordError: naming every reference that matches nothing.
    """
    refs = list(refs)
    names = [r for _, r in refs]
    if fuzzy:
        found = resolve_skill_names(db.session, names)
    else:
        found, _ = resolve_skill_refs(session=db.session, refs=names)
    unknown = [ref for ref in dict.fromkeys(names) if ref not in found]
    if unknown:
        missing = set(unknown)
        raise RecordError(
            [
                RowError(0, field, f"unknown skill {ref!r}", unknown_skill=ref)
                for field, ref in refs
                if ref in missing
            ]
        )
    return found


def _constraints(args: Mapping[str, Any], preferences: Mapping[str, Any]) -> Constraints:
    """Fill absent constraints from the employee's preferences, then the documented defaults."""

    def pick(name: str, pref: str | None, default: Any) -> Any:
        if name in args:
            return args[name]
        if pref and preferences.get(pref) is not None:
            return preferences[pref]
        return default

    return Constraints(
        max_hours=pick("max_hours", None, DEFAULT_MAX_HOURS),
        budget=pick("budget", "budget", None),
        max_items=pick("max_items", None, DEFAULT_MAX_ITEMS),
        hours_per_week=pick("hours_per_week", "hours_per_week", DEFAULT_HOURS_PER_WEEK),
        start_date=args.get("start_date") or _today(),
        modalities=_as_set(pick("modalities", "modalities", None)),
        languages=_as_set(pick("languages", "languages", None)),
        kinds=_as_set(args.get("kinds")),
        goal=args.get("goal"),
    )


def _as_set(values: Iterable[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values else None


def _items_by_id(ids: Iterable[str]) -> dict[str, Item]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {item.id: item for item in db.session.scalars(select(Item).where(Item.id.in_(ids)))}


def _path_response(models: Models, profile: Profile, target: Target, constraints: Constraints):
    path = plan_learning_path(
        models.index, profile, target, constraints, planner=models.planner, as_of=_today()
    )
    items = _items_by_id(step.item_id for step in path.steps)
    currencies = {items[s.item_id].currency for s in path.steps if items[s.item_id].cost}
    return {
        "target": _target_ref(target),
        "readiness_before": path.readiness_before,
        "readiness_after": path.readiness_after,
        "coverage": path.coverage,
        "total_hours": path.total_hours,
        "total_cost": path.total_cost,
        "currency": ", ".join(sorted(currencies)) if currencies else None,
        "steps": [{**_fields_of(step), "item": items[step.item_id]} for step in path.steps],
        "unmet": path.unmet,
        "constraints": {
            **_fields_of(constraints),
            **{
                name: sorted(getattr(constraints, name))
                for name in ("modalities", "languages", "kinds")
                if getattr(constraints, name)
            },
        },
        "model": {
            "catalog_version": models.version,
            "planner": path.planner,
            "optimal": path.optimal,
        },
    }


def _fields_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


# -- views --------------------------------------------------------------------------------------


@blp.route("/v1/skills/resolve")
class Resolve(MethodView):
    """Free text to canonical skills."""

    @requires("recommend")
    @blp.arguments(ResolveArgsSchema, location="query")
    @blp.response(200, SkillMatchSchema(many=True))
    def get(self, args):
        """Resolve free text to ranked canonical skills"""
        models = models_for(db.session)
        return models.resolver.resolve(args["text"], limit=args["limit"])


@blp.route("/v1/employees/<id:employee_id>/gaps")
class Gaps(MethodView):
    """Gap analysis for a stored employee."""

    @requires("recommend")
    @blp.arguments(RoleArgsSchema, location="query")
    @blp.response(200, GapReportSchema)
    def get(self, args, employee_id):
        """Measure an employee's gap to a role"""
        _, models, target, profile = _stored_employee(employee_id, args.get("role"))
        report = analyze_gap(profile, target)
        return {
            "employee": employee_id,
            "target": _target_ref(target),
            "readiness": report.readiness,
            "weighted_gap": report.weighted_gap,
            "gaps": report.gaps,
            "met": report.met,
            "catalog_version": models.version,
        }


@blp.route("/v1/employees/<id:employee_id>/recommendations")
class Recommendations(MethodView):
    """Ranked catalog items for a stored employee."""

    @requires("recommend")
    @blp.arguments(RecommendationArgsSchema, location="query")
    @blp.response(200, RecommendationListSchema)
    def get(self, args, employee_id):
        """Rank catalog items for an employee and a role"""
        employee, models, target, profile = _stored_employee(employee_id, args.get("role"))
        preferences = employee.preferences or {}
        filters = Constraints(
            max_hours=None,
            budget=None,
            max_items=None,
            modalities=_as_set(args.get("modality") or preferences.get("modalities")),
            languages=_as_set(args.get("language") or preferences.get("languages")),
            kinds=_as_set(args.get("kind")),
        )
        ranked = models.ranker.rank(
            profile, target, limit=args["limit"], constraints=filters, goal=args.get("goal")
        )
        items = _items_by_id(r.item_id for r in ranked)
        return {
            "employee": employee_id,
            "target": _target_ref(target),
            "readiness": analyze_gap(profile, target).readiness,
            "items": [{**_fields_of(r), "item": items[r.item_id]} for r in ranked],
            "catalog_version": models.version,
        }


@blp.route("/v1/employees/<id:employee_id>/learning-paths")
class EmployeeLearningPaths(MethodView):
    """Learning paths for a stored employee."""

    @read_only
    @requires("recommend")
    @blp.arguments(EmployeePathRequestSchema)
    @blp.response(200, LearningPathSchema)
    def post(self, data, employee_id):
        """Plan a learning path for an employee (nothing is stored)"""
        employee, models, target, profile = _stored_employee(employee_id, data.get("role"))
        constraints = _constraints(data["constraints"], employee.preferences or {})
        return _path_response(models, profile, target, constraints)


@blp.route("/v1/learning-paths")
class LearningPaths(MethodView):
    """Stateless learning paths."""

    @read_only
    @requires("recommend")
    @blp.arguments(StatelessPathRequestSchema)
    @blp.response(200, LearningPathSchema)
    def post(self, data):
        """Plan a learning path for a profile sent in the request"""
        models = models_for(db.session)
        profile_in, target_in = data["profile"], data["target"]
        refs = [
            (f"profile.skills[{n}].skill", s["skill"]) for n, s in enumerate(profile_in["skills"])
        ]
        refs += [
            (f"target.competencies[{n}].skill", c["skill"])
            for n, c in enumerate(target_in.get("competencies") or ())
        ]
        ids = _resolve_refs(models, refs, fuzzy=profile_in["resolve"])
        if "role" in target_in:
            target = _role_target(models, target_in["role"])
        else:
            target = Target(
                competencies=tuple(
                    Competency(ids[c["skill"]], c["level"], c["weight"])
                    for c in target_in["competencies"]
                ),
                title=target_in.get("title"),
            )
        levels: dict[str, int] = {}
        for s in profile_in["skills"]:
            levels[ids[s["skill"]]] = max(levels.get(ids[s["skill"]], 0), s["level"])
        profile = effective_profile(
            skills=levels,
            completions=completions(profile_in["completed"]),
            items=models.index,
            as_of=_today(),
        )
        return _path_response(models, profile, target, _constraints(data["constraints"], {}))


@blp.route("/v1/employees/<id:employee_id>/role-matches")
class RoleMatches(MethodView):
    """Internal mobility."""

    @requires("recommend")
    @blp.arguments(RoleMatchArgsSchema, location="query")
    @blp.response(200, RoleMatchListSchema)
    def get(self, args, employee_id):
        """Rank roles by an employee's readiness"""
        employee = get_or_404(EMPLOYEE, employee_id)
        models = models_for(db.session)
        profile = _employee_profile(models, employee)
        return {
            "employee": employee_id,
            "matches": models.roles.match(profile, limit=args["limit"]),
            "catalog_version": models.version,
        }
