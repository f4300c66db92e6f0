"""xAPI statements in, as an LRS forwards them: /v1/xapi/statements.

Statements are checked against xAPI 1.0.3's structure by the schemas below (the parts this
service reads strictly, extensions and activity definitions as the free objects they are),
so a malformed one is a 422 naming its index and field, like every other body of the API.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from catalog.vocabulary import (
    COMPLETING_VERBS,
    EARLIEST_DATE,
    MAX_CLOCK_SKEW_DAYS,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_URL_LENGTH,
)
from catalog.xapi import StoreReport, list_statements, parse_statement, store_statements
from service.auth import may_read_profiles, requires
from service.batches import BatchSchema, batch_body
from service.common import PAGING, Blueprint, ListArgsSchema
from service.db import db
from service.fields import LANGUAGE_PATTERN, Flag, Number, Pattern, StrictSchema

blp = Blueprint(
    "xapi",
    __name__,
    url_prefix="/v1/xapi",
    description="xAPI statements forwarded by a learning record store (LRS).",
)

# Ids for statements sent without one: the same statement always gets the same id.
GENERATED_IDS = uuid.UUID("5f0c6b8e-8f2a-4d7c-9a51-7c1e2b9d4a30")
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
    extensions = fields.Dict(keys=fields.String(validate=Pattern(IRI)))
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
    extensions = fields.Dict(keys=fields.String(validate=Pattern(IRI)))


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
    extensions = fields.Dict(keys=fields.String(validate=Pattern(IRI)))


class SubStatementSchema(StrictSchema):
    """A statement inside another one (its object)."""

    objectType = fields.String(required=True, validate=validate.OneOf(["SubStatement"]))  # noqa: N815
    actor = Actor(required=True)
    verb = fields.Nested(VerbSchema, required=True)
    object = ByObjectType(
        {
            "Activity": ActivitySchema,
            "Agent": AgentSchema,
            "Group": GroupSchema,
            "StatementRef": StatementRefSchema,
        },
        "Activity",
        required=True,
    )
    result = fields.Nested(ResultSchema)
    context = fields.Nested(ContextSchema)
    timestamp = Timestamp()


class StatementSchema(BatchSchema):
    """An xAPI 1.0.3 statement."""

    id = Uuid(metadata={"description": "Statement id; one is derived from the content if absent"})
    actor = Actor(required=True, metadata={"description": "Agent: account.name or mbox"})
    verb = fields.Nested(VerbSchema, required=True)
    object = ByObjectType(
        {
            "Activity": ActivitySchema,
            "Agent": AgentSchema,
            "Group": GroupSchema,
            "StatementRef": StatementRefSchema,
            "SubStatement": SubStatementSchema,
        },
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


def _score(result: Mapping[str, Any]) -> float | None:
    """Return a result's score as a share in [0, 1]: scaled, else raw within min and max."""
    score = result.get("score") or {}
    if score.get("scaled") is not None:
        return max(0.0, score["scaled"])
    if None not in (score.get("raw"), score.get("min"), score.get("max")):
        return (score["raw"] - score["min"]) / (score["max"] - score["min"])
    return None


def _ident(original: Mapping[str, Any]) -> tuple[str, bool]:
    """Return a statement's id (lower case), or one derived from its content, and which."""
    if "id" in original:
        return str(uuid.UUID(original["id"])), True
    canonical = json.dumps(original, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(uuid.uuid5(GENERATED_IDS, canonical)), False


def statements_of(batch: Sequence[Mapping[str, Any]], received: dt.datetime) -> list:
    """Return the statements of a checked batch; repeated ids are a 422 naming both indexes.

    A statement sent without an id is given one derived from its content, so the same
    statement sent twice, in one batch or two, is kept once.
    """
    first: dict[str, tuple[int, bool]] = {}
    statements = []
    problems: dict[str, Any] = {}
    for n, entry in enumerate(batch):
        loaded, original = entry["loaded"], entry["original"]
        ident, given = _ident(original)
        if ident in first:
            earlier, earlier_given = first[ident]
            if given or earlier_given:
                problems[n] = {"id": [f"Statement id {ident} is also at index {earlier}."]}
            continue
        first[ident] = (n, given)
        statements.append(
            (
                n,
                parse_statement(
                    ident=ident,
                    raw=original,
                    timestamp=loaded.get("timestamp") or received,
                    score=_score(loaded.get("result") or {}),
                ),
            )
        )
    if problems:
        abort(422, message="A statement id repeats in the batch.", messages={"json": problems})
    return statements


def store_request(batch: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Keep, match and record a checked batch of statements; answer what happened."""
    indexed = statements_of(batch, dt.datetime.now(dt.UTC))
    report: StoreReport = store_statements(
        session=db.session, statements=[statement for _, statement in indexed]
    )
    db.session.commit()
    positions = [n for n, _ in indexed]
    return {
        "stored": report.stored,
        "already_stored": report.already_stored,
        "completions_added": report.completions_added,
        "unmatched": [
            {"index": positions[n], "id": ident, "reason": reason}
            for n, ident, reason in report.unmatched
        ],
    }


@blp.route("/statements")
class Statements(MethodView):
    """xAPI statements."""

    @requires("evidence:write")
    @blp.arguments(StatementSchema)
    @blp.doc(requestBody=batch_body(StatementSchema, "xAPI statement"))
    @blp.response(200, StatementBatchReportSchema)
    def post(self, batch):
        """Store xAPI statements and record the completions they make

        Every statement is kept, matched or not; one sent again (same id) changes nothing.
        Completed, passed and mastered (ADL verbs) without a failed result add a completion
        on the timestamp's day. A malformed statement rejects the whole batch (422 naming
        its index); a repeated id within one batch does too.
        """
        return store_request(batch)

    @requires("evidence:write")
    @blp.arguments(StatementQueryArgsSchema, location="query")
    @blp.response(200, StoredStatementSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List kept statements, latest first

        With `unmatched=true` only the statements still waiting for their employee or item.
        Listing matched statements (any other filter) needs `employees:read` as well.
        """
        if args.get("unmatched") is not True and not may_read_profiles():
            abort(403, message="Listing matched statements needs the 'employees:read' scope.")
        page = list_statements(
            session=db.session,
            unmatched=args.get("unmatched"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = page.total
        return page.items
