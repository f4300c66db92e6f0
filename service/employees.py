"""Employee skill profiles from an HRIS or LXP: /v1/employees."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validate

from catalog.employees import EMPLOYEE, erase_employee, list_employees
from catalog.records import with_skill_ids
from catalog.vocabulary import (
    MAX_CATEGORY_LENGTH,
    MAX_COMPLETIONS,
    MAX_COST,
    MAX_EMAIL_LENGTH,
    MAX_EMPLOYEE_SKILLS,
    MAX_HOURS_PER_WEEK,
    MAX_NAME_LENGTH,
    MAX_PREFERRED_LANGUAGES,
    MAX_PREFERRED_MODALITIES,
    MAX_SOURCE_LENGTH,
    MAX_TARGET_ROLES,
    MIN_HOURS_PER_WEEK,
    MODALITIES,
    SKILL_SOURCES,
)
from service.auth import may_read_profiles, requires
from service.common import (
    ETAG_HEADER,
    LOCATION_HEADER,
    PAGING,
    Blueprint,
    ChangesArgsSchema,
    get_or_404,
    merge_patch,
    paginate_page,
    paging,
    patch_response,
    precondition_for_delete,
    put_response,
    read_response,
)
from service.db import db
from service.engine import resolve_skill_names
from service.fields import (
    NO_NUL,
    EvidenceDate,
    ExpiryDate,
    Flag,
    Id,
    Language,
    Level,
    Number,
    PathId,
    SkillRef,
    StrictSchema,
    Text,
)

blp = Blueprint(
    "employees",
    __name__,
    url_prefix="/v1/employees",
    description="Employee skill profiles and learning evidence.",
)


class EmployeeSkillSchema(StrictSchema):
    """One skill level of the employee, with its source."""

    skill = SkillRef()
    level = Level(minimum=0)
    source = fields.String(load_default="self", validate=validate.OneOf(SKILL_SOURCES))
    assessed_at = EvidenceDate(load_default=None, allow_none=True)


class CompletionSchema(StrictSchema):
    """A completed catalog item (retired items are fine)."""

    item = Id(required=True)
    completed_at = EvidenceDate(load_default=None, allow_none=True)
    expires_at = ExpiryDate(
        load_default=None,
        allow_none=True,
        metadata={"description": "Overrides the item's valid_months when given"},
    )


def Score(**kwargs) -> fields.Float:  # noqa: N802 - reads as a field type
    """A completion's score, as a share from 0 to 1."""
    return fields.Float(
        validate=validate.Range(min=0, max=1),
        metadata={"description": "Result as a share, 0-1 (xAPI's scaled score)"},
        **kwargs,
    )


def Source(**kwargs) -> fields.String:  # noqa: N802
    """Where a completion came from."""
    return Text(
        MAX_SOURCE_LENGTH,
        metadata={"description": "Where the completion came from: xapi, lxp:..., ..."},
        **kwargs,
    )


class StoredCompletionSchema(CompletionSchema):
    """A completed catalog item in a stored profile, with its score and source if known."""

    score = Score(load_default=None, allow_none=True)
    source = Source(load_default=None, allow_none=True)


class PreferencesSchema(StrictSchema):
    """How the employee can learn."""

    hours_per_week = Number(
        validate=validate.Range(min=MIN_HOURS_PER_WEEK, max=MAX_HOURS_PER_WEEK),
        metadata={
            "description": f"Study hours a week, {MIN_HOURS_PER_WEEK:g}-{MAX_HOURS_PER_WEEK:g}"
        },
    )
    budget = Number(validate=validate.Range(min=0, max=MAX_COST))
    modalities = fields.List(
        fields.String(validate=validate.OneOf(MODALITIES)),
        validate=validate.Length(max=MAX_PREFERRED_MODALITIES),
    )
    languages = fields.List(Language(), validate=validate.Length(max=MAX_PREFERRED_LANGUAGES))
    mentor = Flag(
        metadata={"description": "Offers to mentor colleagues (GET /v1/employees/{id}/mentors)"}
    )


class EmployeeSchema(StrictSchema):
    """An employee's profile; ``id`` is the HRIS id."""

    id = PathId()
    resolve = Flag(
        load_only=True,
        metadata={
            "description": "Resolve skill names that match no id, name or alias with the fuzzy "
            "skill resolver (not stored)"
        },
    )
    display_name = Text(MAX_NAME_LENGTH, load_default=None, allow_none=True)
    email = fields.Email(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=MAX_EMAIL_LENGTH), NO_NUL],
        metadata={"description": "Work email: xAPI statements with this mbox are theirs"},
    )
    team = Text(MAX_CATEGORY_LENGTH, load_default=None, allow_none=True)
    current_role = Id(load_default=None, allow_none=True)
    target_roles = fields.List(
        Id(), load_default=list, validate=validate.Length(max=MAX_TARGET_ROLES)
    )
    skills = fields.List(
        fields.Nested(EmployeeSkillSchema),
        load_default=list,
        validate=validate.Length(max=MAX_EMPLOYEE_SKILLS),
    )
    completed = fields.List(
        fields.Nested(StoredCompletionSchema),
        load_default=list,
        validate=validate.Length(max=MAX_COMPLETIONS),
        metadata={
            "description": "Replaced whole by PUT; POST .../completions appends one at a time"
        },
    )
    preferences = fields.Nested(PreferencesSchema, load_default=dict)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class EmployeeImportSchema(EmployeeSchema):
    """An employee row of a bulk import: the id travels in the row."""

    id = Id(required=True)


class EmployeeQueryArgsSchema(ChangesArgsSchema):
    """Filters of the employees listing."""

    team = Text(MAX_CATEGORY_LENGTH)
    role = Id(metadata={"description": "Employees currently in this role"})


@blp.route("")
class Employees(MethodView):
    """Employees as a collection."""

    @requires("employees:read")
    @blp.arguments(EmployeeQueryArgsSchema, location="query")
    @blp.response(200, EmployeeSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List employees"""
        page = list_employees(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters)


@blp.route("/<id:employee_id>")
class EmployeeById(MethodView):
    """One employee."""

    @requires("employees:read")
    @blp.response(200, EmployeeSchema, headers=ETAG_HEADER)
    @blp.reads_one()
    def get(self, employee_id):
        """Get an employee's profile"""
        return read_response(get_or_404(EMPLOYEE, employee_id), EmployeeSchema())

    @requires("employees:write")
    @blp.arguments(EmployeeSchema)
    @blp.response(200, EmployeeSchema, headers=ETAG_HEADER)
    @blp.alt_response(
        201,
        schema=EmployeeSchema,
        description="Created",
        headers={**ETAG_HEADER, **LOCATION_HEADER},
    )
    @blp.writes_or_creates()
    def put(self, data, employee_id):
        """Create or replace an employee's profile

        Without `employees:read` the answer carries only the id and timestamps.
        """
        reply = put_response(EMPLOYEE, employee_id, _resolved(data), EmployeeSchema())
        return _unless_readable(reply)

    @requires("employees:write")
    @blp.arguments(merge_patch(EmployeeSchema))
    @blp.response(200, EmployeeSchema, headers=ETAG_HEADER)
    @blp.writes_existing()
    def patch(self, changes, employee_id):
        """Change some fields of an employee's profile

        Without `employees:read` the answer carries only the id and timestamps.
        """
        reply = patch_response(EMPLOYEE, employee_id, _resolved(changes), EmployeeSchema())
        return _unless_readable(reply)

    @requires("employees:write")
    @blp.response(204)
    @blp.writes_existing()
    def delete(self, employee_id):
        """Erase everything stored about an employee"""
        precondition_for_delete(EMPLOYEE, employee_id, EmployeeSchema())
        erase_employee(session=db.session, employee_id=employee_id)
        db.session.commit()


def _unless_readable(reply):
    """Keep a written profile to callers that may read it; others see only its id and times.

    A key that may write profiles but not read them (an HRIS pushing changes) must not be
    able to read one back by writing it.
    """
    row, status, headers = reply
    if may_read_profiles():
        return reply
    summary = {"id": row.id, "created_at": row.created_at, "updated_at": row.updated_at}
    return summary, status, headers


def _resolved(data: dict) -> dict:
    """Drop the ``resolve`` flag, resolving the profile's skill names first if it is set."""
    data = dict(data)
    if data.pop("resolve", False) and data.get("skills"):
        refs = [row["skill"] for row in data["skills"]]
        data = with_skill_ids(EMPLOYEE, data, resolve_skill_names(db.session, refs))
    return data
