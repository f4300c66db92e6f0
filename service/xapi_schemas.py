"""Request and response schemas of /v1/xapi/statements.

Statements are checked against xAPI 1.0.3's structure (the parts this service reads strictly,
extensions and activity definitions as the free objects they are), so a malformed one is a
422 naming its index and field, like every other body of the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from catalog.vocabulary import (
    COMPLETING_VERBS,
    EARLIEST_DATE,
    MAX_CLOCK_SKEW_DAYS,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_URL_LENGTH,
)
from service.batches import BatchSchema
from service.common import ListArgsSchema
from service.fields import LANGUAGE_PATTERN, Flag, Number, Pattern, StrictSchema

# No space or control character (RFC 3987), spelled out: "\s" means more to Python (the
# separators U+001C-U+001F) than to the ECMA regular expressions of the document's readers.
IRI = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20\x7f-\x9f]+$"
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
DURATION = r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"  # noqa: E501


def Iri(**kwargs: Any) -> fields.String:  # noqa: N802 - reads as a field type
    """An IRI (an absolute URI, possibly with non-ASCII characters)."""
    return fields.String(
        validate=[
            validate.Length(min=1, max=MAX_URL_LENGTH),
            Pattern(IRI, error="Use an absolute IRI such as https://..."),
        ],
        **kwargs,
    )


def Uuid(**kwargs: Any) -> fields.String:  # noqa: N802
    """A UUID in its 36-character form."""
    return fields.String(validate=Pattern(UUID, error="Use a UUID."), **kwargs)


def LanguageMap(**kwargs: Any) -> fields.Dict:  # noqa: N802
    """Text by language tag."""
    return fields.Dict(
        keys=fields.String(validate=Pattern(LANGUAGE_PATTERN)),
        values=fields.String(),
        **kwargs,
    )


def Extensions(**kwargs: Any) -> fields.Dict:  # noqa: N802
    """Extensions by IRI, their values kept as sent."""
    return fields.Dict(keys=fields.String(validate=Pattern(IRI)), **kwargs)


class Timestamp(fields.Field):
    """An ISO 8601 time, no earlier than 1900 nor more than a day ahead; UTC without a zone."""

    def openapi(self, converter) -> dict[str, Any]:
        """Document the field as the date-time text it takes."""
        return {"type": "string", "format": "date-time"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Give an ISO 8601 timestamp such as 2026-03-02T09:30:00Z.")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                "Give an ISO 8601 timestamp such as 2026-03-02T09:30:00Z."
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        earliest = dt.datetime.fromisoformat(EARLIEST_DATE).replace(tzinfo=dt.UTC)
        latest = dt.datetime.now(dt.UTC) + dt.timedelta(days=MAX_CLOCK_SKEW_DAYS)
        if not earliest <= moment <= latest:
            raise ValidationError(
                f"Give a time from {EARLIEST_DATE} to a day from now (clocks may differ by "
                "a day, no more)."
            )
        return moment.astimezone(dt.UTC)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()


class AccountSchema(StrictSchema):
    """An account on some system: ``name`` is the employee id here."""

    homePage = fields.String(  # noqa: N815 - xAPI's spelling
        required=True, validate=validate.Length(min=1, max=MAX_URL_LENGTH)
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME_LENGTH))


class AgentSchema(StrictSchema):
    """A person, named by exactly one identifier: mbox, mbox_sha1sum, openid or account."""

    IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")
    JSON_SCHEMA_RULES = {"oneOf": [{"required": [name]} for name in IDENTIFIERS]}

    objectType = fields.String(validate=validate.OneOf(["Agent"]))  # noqa: N815
    name = fields.String(validate=validate.Length(max=MAX_NAME_LENGTH))
    mbox = fields.String(
        validate=[
            validate.Length(max=MAX_EMAIL_LENGTH + 7),
            Pattern(
                r"^mailto:[^@\x00-\x20\x7f-\x9f]+@[^@\x00-\x20\x7f-\x9f]+$",
                error="Use mailto:someone@example.com.",
            ),
        ]
    )
    mbox_sha1sum = fields.String(validate=Pattern(r"^[0-9a-fA-F]{40}$"))
    openid = Iri()
    account = fields.Nested(AccountSchema)

    @validates_schema
    def _one_identifier(self, data, **kwargs):
        given = [name for name in self.IDENTIFIERS if name in data]
        if len(given) != 1:
            raise ValidationError(
                "Identify the agent by exactly one of mbox, mbox_sha1sum, openid or account."
            )


class GroupSchema(StrictSchema):
    """A group of agents, identified or anonymous."""

    # At most one identifier; an anonymous group lists its members.
    JSON_SCHEMA_RULES = {
        "oneOf": [
            *AgentSchema.JSON_SCHEMA_RULES["oneOf"],
            {
                "required": ["member"],
                "properties": {"member": {"minItems": 1}},
                "not": {"anyOf": AgentSchema.JSON_SCHEMA_RULES["oneOf"]},
            },
        ]
    }

    objectType = fields.String(required=True, validate=validate.OneOf(["Group"]))  # noqa: N815
    name = fields.String(validate=validate.Length(max=MAX_NAME_LENGTH))
    member = fields.List(fields.Nested(AgentSchema))
    mbox = AgentSchema._declared_fields["mbox"]
    mbox_sha1sum = AgentSchema._declared_fields["mbox_sha1sum"]
    openid = Iri()
    account = fields.Nested(AccountSchema)

    @validates_schema
    def _identified_or_listed(self, data, **kwargs):
        given = [name for name in AgentSchema.IDENTIFIERS if name in data]
        if len(given) > 1:
            raise ValidationError("Identify the group by at most one identifier.")
        if not given and not data.get("member"):
            raise ValidationError("An anonymous group lists its members.")


class ByObjectType(fields.Field):
    """An object whose schema its ``objectType`` picks (the first schema when it has none)."""

    def __init__(self, schemas: Mapping[str, type[ma.Schema]], default: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.schemas = schemas
        self.default = default
        # One instance per type, made on first use: making a schema costs more than a load.
        self._loaders: dict[str, ma.Schema] = {}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, Mapping):
            raise ValidationError("Give an object.")
        kind = value.get("objectType", self.default)
        if not isinstance(kind, str) or kind not in self.schemas:
            raise ValidationError(
                {"objectType": [f"Use one of {', '.join(sorted(self.schemas))}."]}
            )
        if kind not in self._loaders:
            self._loaders[kind] = self.schemas[kind]()
        return self._loaders[kind].load(value)

    def openapi(self, converter) -> dict[str, Any]:
        """Document the field as one of the objects it takes: all but the first name their type."""
        return {
            "oneOf": [
                ref if kind == self.default else {"allOf": [ref, {"required": ["objectType"]}]}
                for kind, ref in (
                    (kind, converter.resolve_nested_schema(schema))
                    for kind, schema in self.schemas.items()
                )
            ]
        }


def Actor(**kwargs: Any) -> ByObjectType:  # noqa: N802
    """An agent or a group."""
    return ByObjectType({"Agent": AgentSchema, "Group": GroupSchema}, "Agent", **kwargs)


class VerbSchema(StrictSchema):
    """What the actor did: an IRI, such as ADL's completed."""

    id = Iri(required=True, metadata={"example": COMPLETING_VERBS[0]})
    display = LanguageMap()


class ActivityDefinitionSchema(StrictSchema):
    """What an activity is (kept as sent)."""

    name = LanguageMap()
    description = LanguageMap()
    type = Iri()
    moreInfo = fields.String(validate=validate.Length(max=MAX_URL_LENGTH))  # noqa: N815
    extensions = Extensions()
    interactionType = fields.String()  # noqa: N815
    correctResponsesPattern = fields.List(fields.String())  # noqa: N815
    choices = fields.List(fields.Dict())
    scale = fields.List(fields.Dict())
    source = fields.List(fields.Dict())
    target = fields.List(fields.Dict())
    steps = fields.List(fields.Dict())


class ActivitySchema(StrictSchema):
    """An activity: here, a catalog item by its url, external xAPI id or id."""

    objectType = fields.String(validate=validate.OneOf(["Activity"]))  # noqa: N815
    id = Iri(required=True, metadata={"example": "https://learn.example.com/courses/aws-saa"})
    definition = fields.Nested(ActivityDefinitionSchema)


class StatementRefSchema(StrictSchema):
    """Another statement, by id."""

    objectType = fields.String(required=True, validate=validate.OneOf(["StatementRef"]))  # noqa: N815
    id = Uuid(required=True)


class ScoreSchema(StrictSchema):
    """A score: scaled in [-1, 1], and raw between min and max."""

    scaled = Number(validate=validate.Range(min=-1, max=1))
    raw = Number()
    min = Number()
    max = Number()

    @validates_schema
    def _in_range(self, data, **kwargs):
        # Each rule spans two fields; the error names both, as either may be the wrong one.
        low, high, raw = data.get("min"), data.get("max"), data.get("raw")
        if low is not None and high is not None and low >= high:
            raise ValidationError(
                {"min": ["min must be below max."], "max": ["max must be above min."]}
            )
        if raw is not None and low is not None and raw < low:
            raise ValidationError(
                {"raw": ["raw must not be below min."], "min": ["min must not be above raw."]}
            )
        if raw is not None and high is not None and raw > high:
            raise ValidationError(
                {"raw": ["raw must not be above max."], "max": ["max must not be below raw."]}
            )


class ResultSchema(StrictSchema):
    """How it went."""

    score = fields.Nested(ScoreSchema)
    success = Flag()
    completion = Flag()
    response = fields.String()
    duration = fields.String(validate=Pattern(DURATION, error="Use ISO 8601 (PT1H30M)."))
    extensions = Extensions()


CONTEXT_ACTIVITIES = ("parent", "grouping", "category", "other")


class ContextSchema(StrictSchema):
    """Where and with whom (kept as sent)."""

    registration = Uuid()
    instructor = Actor()
    team = fields.Nested(GroupSchema)
    contextActivities = fields.Dict(  # noqa: N815
        keys=fields.String(validate=validate.OneOf(CONTEXT_ACTIVITIES)),
        metadata={
            "properties": {name: {} for name in CONTEXT_ACTIVITIES},
            "additionalProperties": False,
        },
    )
    revision = fields.String()
    platform = fields.String()
    language = fields.String(validate=Pattern(LANGUAGE_PATTERN))
    statement = fields.Nested(StatementRefSchema)
    extensions = Extensions()


# What a statement's object may be, but for a sub-statement: xAPI does not nest them.
SUB_STATEMENT_OBJECTS = {
    "Activity": ActivitySchema,
    "Agent": AgentSchema,
    "Group": GroupSchema,
    "StatementRef": StatementRefSchema,
}


class SubStatementSchema(StrictSchema):
    """A statement inside another one (its object)."""

    objectType = fields.String(required=True, validate=validate.OneOf(["SubStatement"]))  # noqa: N815
    actor = Actor(required=True)
    verb = fields.Nested(VerbSchema, required=True)
    object = ByObjectType(SUB_STATEMENT_OBJECTS, "Activity", required=True)
    result = fields.Nested(ResultSchema)
    context = fields.Nested(ContextSchema)
    timestamp = Timestamp()


class StatementSchema(BatchSchema):
    """An xAPI 1.0.3 statement."""

    id = Uuid(metadata={"description": "Statement id; one is derived from the content if absent"})
    actor = Actor(required=True, metadata={"description": "Agent: account.name or mbox"})
    verb = fields.Nested(VerbSchema, required=True)
    object = ByObjectType(
        {**SUB_STATEMENT_OBJECTS, "SubStatement": SubStatementSchema},
        "Activity",
        required=True,
        metadata={"description": "Activity whose id is an item's url, external xAPI id or id"},
    )
    result = fields.Nested(ResultSchema)
    context = fields.Nested(ContextSchema)
    timestamp = Timestamp(metadata={"description": "When it happened (default: when received)"})
    stored = Timestamp()
    authority = Actor()
    version = fields.String(validate=Pattern(r"^1\.0(\.\d+)?$"))
    attachments = fields.List(fields.Dict())

    @post_load(pass_original=True)
    def _with_original(self, data, original, **kwargs):
        # The statement is kept as it was sent; the loaded form only checks it.
        return {"loaded": data, "original": original}


class UnmatchedStatementSchema(StrictSchema):
    """A statement of the batch not matched to an employee and an item (yet)."""

    index = fields.Integer(metadata={"description": "Position in the batch, from 0"})
    id = fields.String()
    reason = fields.String(
        metadata={
            "description": "unknown_actor, unknown_object or ambiguous_object (a later employee "
            "or item write may match it); unidentified_actor or not_an_activity (never)"
        }
    )


class StatementBatchReportSchema(StrictSchema):
    """What a batch of statements did."""

    stored = fields.Integer(metadata={"description": "Statements new to the service"})
    already_stored = fields.Integer(metadata={"description": "Statement ids sent before"})
    completions_added = fields.Integer()
    unmatched = fields.List(fields.Nested(UnmatchedStatementSchema))


class StatementQueryArgsSchema(ListArgsSchema):
    """Which statements to list."""

    unmatched = fields.Boolean(
        metadata={"description": "true: only unmatched ones; false: only matched ones"}
    )


class StoredStatementSchema(StrictSchema):
    """A kept statement and what it matched."""

    id = fields.String()
    stored_at = fields.DateTime()
    timestamp = fields.DateTime()
    verb = fields.String()
    employee = fields.String(attribute="employee_id", allow_none=True)
    item = fields.String(attribute="item_id", allow_none=True)
    unmatched = fields.String(allow_none=True, metadata={"description": "Why, if not matched"})
    statement = fields.Dict(metadata={"description": "As it was sent"})
