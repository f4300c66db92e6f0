"""Fields, schemas and view helpers every resource shares."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import http
import re
from typing import Any, TypeVar

import flask_smorest
import marshmallow as ma
from flask import Response, request
from flask_smorest import abort
from marshmallow import fields, validate
from werkzeug.routing import BaseConverter, IntegerConverter

from catalog import records
from catalog.models import Base
from catalog.queries import Page
from catalog.records import RecordType
from catalog.vocabulary import (
    DEFAULT_PAGE_SIZE,
    EARLIEST_DATE,
    LATEST_EXPIRY,
    MAX_CLOCK_SKEW_DAYS,
    MAX_EXTERNAL_ID_LENGTH,
    MAX_EXTERNAL_IDS,
    MAX_ID_LENGTH,
    MAX_LANGUAGE_LENGTH,
    MAX_LEVEL,
    MAX_NAME_LENGTH,
    MAX_PAGE_SIZE,
    MAX_URL_LENGTH,
    MIN_LEVEL,
    RESERVED_IDS,
    SCHEDULE_FUTURE_DAYS,
    SCHEDULE_PAST_DAYS,
)
from service.db import db
from service.etag import check_if_match, etag_of, not_modified

T = TypeVar("T", bound=Base)
EXTERNAL_ID_KEY = r"^[A-Za-z0-9._:-]{1,50}$"
# What a view returns for flask-smorest to serialise: the record, the status and headers.
Reply = tuple[T, int, dict[str, str]]

# Ids name resources in paths; the words naming collection sub-resources cannot be ids.
# "." and ".." would name the collection or its parent once a client joins them into a URL.
ID_REGEX = f"(?!(?:{'|'.join(RESERVED_IDS)}|\\.\\.?)$)[A-Za-z0-9._:-]{{1,{MAX_ID_LENGTH}}}"
ID_PATTERN = f"^{ID_REGEX}$"
ID_RULE = (
    f"Use 1-{MAX_ID_LENGTH} of A-Z a-z 0-9 . _ : - (and not {' or '.join(RESERVED_IDS)}, . or ..)"
)
# Controls and white space, spelled out: Python's \s and JSON Schema's (ECMA) \s differ (U+0085
# is white space only to Python), and the document's pattern must mean what the code checks.
URL_EXCLUDED = r"\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
URL_PATTERN = (
    r"^https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"(?::[0-9]{1,5})?(?:[/?#][^" + URL_EXCLUDED + r"]*)?$"
)
LEVELS = "Proficiency 0-5: 0 none, 1 awareness, 2 beginner, 3 practitioner, 4 advanced, 5 expert."
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PAGING = {"page_size": DEFAULT_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}


class Pattern(validate.Regexp):
    """A regular expression the whole string must match, as the document's ``pattern`` means.

    ``Regexp`` matches from the start only, and Python's ``$`` also matches before a final
    newline, so ``"abc\\n"`` would pass ``^[a-z]+$``: an id ending in a newline could be stored,
    then named by no URL.
    """

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


class IdConverter(BaseConverter):
    """Match a resource id in a URL path, so ``/v1/skills/import`` never names a skill."""

    regex = ID_REGEX


class AsciiIntegerConverter(IntegerConverter):
    """Match a whole number written in ASCII digits.

    Werkzeug's ``\\d+`` also matches other scripts' digits, so ``/v1/api-keys/\u0663`` revoked
    key 3: a second spelling of every URL, which no filter on the first one sees.
    """

    regex = r"[0-9]+"


def id_param_schema(_converter: IdConverter) -> dict[str, Any]:
    """Document an id path parameter."""
    return {"type": "string", "pattern": ID_PATTERN}


def Id(**kwargs: Any) -> fields.String:  # noqa: N802 - reads as a field type
    """A client-supplied identifier."""
    metadata = {"description": "Client-supplied id: " + ID_RULE.removeprefix("Use ")}
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(
        validate=Pattern(ID_PATTERN, error=ID_RULE + " (got {input})."),
        metadata=metadata,
        **kwargs,
    )


def PathId() -> fields.String:  # noqa: N802
    """The id of a PUT body: the path names the resource, so the body need not repeat it."""
    return Id(
        metadata={
            "readOnly": True,
            "description": "Taken from the path; if sent anyway, it must equal the path's id",
        }
    )


# PostgreSQL text cannot hold NUL, so no text the API stores or searches for may contain it.
NO_NUL = Pattern(r"^[^\x00]*$", error="Text may not contain NUL characters.")


def Text(  # noqa: N802
    max_length: int, *, required: bool = False, min_length: int | None = None, **kwargs: Any
) -> fields.String:
    """A string of at most ``max_length`` characters; a required one may not be empty."""
    if min_length is None:
        min_length = 1 if required else 0
    length = validate.Length(min=min_length, max=max_length)
    return fields.String(required=required, validate=[length, NO_NUL], **kwargs)


def Language(**kwargs: Any) -> fields.String:  # noqa: N802
    """A language tag such as en or pt-BR."""
    return fields.String(
        validate=[
            validate.Length(max=MAX_LANGUAGE_LENGTH),
            Pattern(LANGUAGE_PATTERN, error="Use a language tag such as en or pt-BR."),
        ],
        **kwargs,
    )


def Url(**kwargs: Any) -> fields.String:  # noqa: N802
    """An http(s) URL with a host name."""
    return fields.String(
        validate=[
            validate.Length(max=MAX_URL_LENGTH),
            Pattern(URL_PATTERN, error="Use an http or https URL with a host name."),
        ],
        metadata={"example": "https://learn.example.com/courses/aws-saa"},
        **kwargs,
    )


class Number(fields.Float):
    """A JSON number, as the document says: not a string that Python could read as one.

    ``fields.Float`` takes ``"5"`` and ``"1_0"`` and answers 5.0 and 10.0, so what a client
    reads back is not what it sent, and a client that sends strings never learns it should not.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(fields.Boolean):
    """A JSON ``true`` or ``false``: not ``"yes"``, ``1`` or ``"true"``, which Boolean takes."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Day(fields.Date):
    """A calendar day written YYYY-MM-DD, the document's ``format: date``.

    ``fields.Date`` reads with ``date.fromisoformat``, which also takes ``20240101`` and
    ``2024-W01-1``: other spellings of a day that would read back differently.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        if not isinstance(value, str) or FULL_DATE.fullmatch(value) is None:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value, attr, data, **kwargs)


def Positive(maximum: float, **kwargs: Any) -> Number:  # noqa: N802
    """A number above 0 and at most ``maximum``."""
    return Number(validate=validate.Range(min=0, max=maximum, min_inclusive=False), **kwargs)


def SkillRef(**kwargs: Any) -> fields.String:  # noqa: N802
    """A reference to a skill: its id, or its exact name or alias (any case)."""
    return fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_NAME_LENGTH), NO_NUL],
        metadata={"description": "Skill id, or exact name or alias (case-insensitive)"},
        **kwargs,
    )


def Level(minimum: int = MIN_LEVEL, **kwargs: Any) -> fields.Integer:  # noqa: N802
    """A proficiency level."""
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=minimum, max=MAX_LEVEL),
        metadata={"description": LEVELS},
        **kwargs,
    )


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": (
        "The ETag of a GET, or `*` to overwrite whatever is there (428 without it, 412 if it "
        "is stale)."
    ),
    "schema": {"type": "string"},
}
# PUT creates as well as replaces: only a replacement needs the precondition.
IF_MATCH_TO_REPLACE = {
    **IF_MATCH,
    "required": False,
    "description": (
        "The ETag of a GET, or `*` to overwrite whatever is there. Needed when the resource "
        "exists (428 without it, 412 if it is stale); creating with PUT needs none."
    ),
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag the client holds: 304 Not Modified if it is still current.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {"ETag": "ETAG"}
# What any request with a body may meet: malformed JSON, too large, in a media type not read.
BODY_STATUSES = (400, 413, 415)
LOCATION_HEADER = {
    "Location": {"description": "URL of the created resource", "schema": {"type": "string"}}
}


def prepare_common_doc(doc: dict[str, Any], doc_info: dict[str, Any], **kwargs: Any) -> dict:
    """Complete an operation's document: request headers it reads, errors any body may meet.

    The Api adds this to the documentation steps of every blueprint it registers.
    """
    for parameter in doc_info.get("header_parameters", ()):
        doc.setdefault("parameters", []).append(parameter)
    if "requestBody" in doc or "requestBody" in doc_info.get("manual_doc", {}):
        for status in BODY_STATUSES:
            doc["responses"].setdefault(status, http.HTTPStatus(status).name)
    return doc


class Blueprint(flask_smorest.Blueprint):
    """A resource's blueprint: a required JSON body is required, and preconditions documented."""

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        """Parse arguments like flask-smorest; a required JSON body may not be absent (422)."""
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorator

        def wrap(view):
            parsed = decorator(view)

            @functools.wraps(parsed)
            def wrapper(*args, **kwargs):
                if not request.get_data(cache=True):
                    abort(
                        422,
                        message="This request needs a JSON body.",
                        messages={"json": {"_schema": ["Send a JSON object."]}},
                    )
                return parsed(*args, **kwargs)

            return wrapper

        return wrap

    def problems(self, *statuses: int):
        """Document the problem+json answers an operation may give besides the usual ones."""

        def decorator(view):
            for status in statuses:
                view = self.alt_response(status, response=http.HTTPStatus(status).name)(view)
            return view

        return decorator

    def reads_one(self):
        """Document a GET of one resource: If-None-Match, 304 Not Modified and 404."""

        def decorator(view):
            view = _with_header_parameter(view, IF_NONE_MATCH)
            view = self.alt_response(304, description="Not Modified", headers=ETAG_HEADER)(view)
            return self.problems(404)(view)

        return decorator

    def writes_existing(self, *statuses: int):
        """Document a write to a stored resource: If-Match required (412, 428), 404, more."""

        def decorator(view):
            view = _with_header_parameter(view, IF_MATCH)
            return self.problems(404, 412, 428, *statuses)(view)

        return decorator

    def writes_or_creates(self, *statuses: int):
        """Document a PUT: If-Match needed only to replace (412, 428), and ``statuses``."""

        def decorator(view):
            view = _with_header_parameter(view, IF_MATCH_TO_REPLACE)
            return self.problems(412, 428, *statuses)(view)

        return decorator


def _with_header_parameter(view, parameter: dict[str, Any]):
    """Return ``view`` documenting one more request header."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper._apidoc = copy.deepcopy(getattr(view, "_apidoc", {}))
    wrapper._apidoc.setdefault("header_parameters", []).append(parameter)
    return wrapper


class StrictSchema(ma.Schema):
    """A schema that refuses fields it does not know."""

    class Meta:
        unknown = ma.RAISE


class SkillLevelSchema(StrictSchema):
    """A skill and a level."""

    skill = SkillRef()
    level = Level(minimum=1)


def _few_external_ids(value: dict[str, str]) -> None:
    if len(value) > MAX_EXTERNAL_IDS:
        raise ma.ValidationError(f"Give at most {MAX_EXTERNAL_IDS} external ids.")


def today() -> dt.date:
    """Return today's date in UTC, the service's calendar."""
    return dt.datetime.now(dt.UTC).date()


def _window(low: dt.date, high: dt.date, what: str) -> None:
    """Raise a validation error for a date outside ``[low, high]``, saying both ends."""
    raise ma.ValidationError(f"Give {what} from {low.isoformat()} to {high.isoformat()}.")


def _evidence_date(value: dt.date) -> None:
    low = dt.date.fromisoformat(EARLIEST_DATE)
    high = today() + dt.timedelta(days=MAX_CLOCK_SKEW_DAYS)
    if not low <= value <= high:
        _window(low, high, "a date in the past (evidence cannot come from the future)")


def _expiry_date(value: dt.date) -> None:
    low, high = dt.date.fromisoformat(EARLIEST_DATE), dt.date.fromisoformat(LATEST_EXPIRY)
    if not low <= value <= high:
        _window(low, high, "an expiry date")


def _schedule_date(value: dt.date) -> None:
    now = today()
    low = now - dt.timedelta(days=SCHEDULE_PAST_DAYS)
    high = now + dt.timedelta(days=SCHEDULE_FUTURE_DAYS)
    if not low <= value <= high:
        _window(low, high, "a start date within a year before today and five years after")


def EvidenceDate(**kwargs: Any) -> Day:  # noqa: N802
    """A day something was learnt or assessed: not before 1900, not after tomorrow."""
    return Day(validate=_evidence_date, **kwargs)


def ExpiryDate(**kwargs: Any) -> Day:  # noqa: N802
    """A day a certification stops counting: 1900 to 2200."""
    return Day(validate=_expiry_date, **kwargs)


def ScheduleDate(**kwargs: Any) -> Day:  # noqa: N802
    """The first day of a schedule: a year before today to five years after."""
    return Day(validate=_schedule_date, **kwargs)


class ExternalIds(fields.Dict):
    """Ids of the same thing in other taxonomies (``esco``, ``onet``, ...)."""

    def __init__(self, **kwargs: Any):
        # Keys name taxonomies: short words, so no NUL, control character or megabyte key is
        # ever stored (OpenAPI 3.0 cannot document key rules; the 422 names them).
        super().__init__(
            keys=fields.String(
                validate=Pattern(
                    EXTERNAL_ID_KEY, error="Name the taxonomy in 1-50 of A-Z a-z 0-9 . _ : -"
                )
            ),
            values=fields.String(validate=validate.Length(min=1, max=MAX_EXTERNAL_ID_LENGTH)),
            validate=_few_external_ids,
            load_default=dict,
            metadata={
                "description": "Taxonomy name (esco, onet, ...) -> the id there",
                "maxProperties": MAX_EXTERNAL_IDS,
                "example": {"esco": "http://data.europa.eu/esco/skill/...", "onet": "2.A.1.a"},
            },
            **kwargs,
        )


class ListArgsSchema(StrictSchema):
    """Query arguments every listing takes besides paging."""

    class Meta:
        unknown = ma.EXCLUDE


def merge_patch(schema_cls: type[ma.Schema]) -> ma.Schema:
    """Return ``schema_cls`` loading a JSON merge patch: any top-level field may be left out.

    Only the top level is partial: an object inside a list a patch gives whole must still be
    complete (``partial=True`` would let ``skills: [{"level": 3}]`` through).
    """
    return schema_cls(partial=tuple(schema_cls._declared_fields))


def create_response(
    record_type: RecordType[T], data: dict[str, Any], schema: ma.Schema
) -> Reply[T]:
    """Create a record from a POST body and answer 201 with its ETag and Location."""
    ident = data["id"]
    row = records.create(session=db.session, record_type=record_type, ident=ident, data=data)
    db.session.commit()
    return row, 201, {"ETag": etag_of(schema.dump(row)), "Location": f"{request.path}/{ident}"}


def paginate_page(page: Page[T], pagination_parameters: Any) -> list[T]:
    """Record the total for the X-Pagination header and return the page's rows."""
    pagination_parameters.item_count = page.total
    return page.items


def paging(pagination_parameters: Any) -> dict[str, int]:
    """Return the page and page size flask-smorest parsed, as listing arguments."""
    return {"page": pagination_parameters.page, "page_size": pagination_parameters.page_size}


def get_or_404(record_type: RecordType[T], ident: str, *, for_update: bool = False) -> T:
    """Return the stored record ``ident`` (locked for the write to come) or answer 404."""
    row = records.get(
        session=db.session, record_type=record_type, ident=ident, for_update=for_update
    )
    if row is None:
        abort(404, message=f"There is no {record_type.name} {ident!r}.")
    return row


def read_response(row: T, schema: ma.Schema) -> Reply[T] | Response:
    """Answer a GET of one resource with its ETag, or 304 if the client has it."""
    etag = etag_of(schema.dump(row))
    if not_modified(etag):
        return Response(status=304, headers={"ETag": etag})
    return row, 200, {"ETag": etag}


def _same_id(data: dict[str, Any], ident: str) -> None:
    """Refuse a body whose id names another resource than the path does (422)."""
    if data.get("id", ident) != ident:
        abort(
            422,
            message=f"The body's id {data['id']!r} differs from the path's {ident!r}.",
            messages={"json": {"id": ["Leave the id out, or give the path's id."]}},
        )


def put_response(
    record_type: RecordType[T], ident: str, data: dict[str, Any], schema: ma.Schema
) -> Reply[T]:
    """Create or replace a record under If-Match rules; 201 on create, 200 on replace."""
    _same_id(data, ident)
    session = db.session
    current = records.get(session=session, record_type=record_type, ident=ident, for_update=True)
    check_if_match(etag_of(schema.dump(current)) if current is not None else None)
    row, created = records.put(session=session, record_type=record_type, ident=ident, data=data)
    session.commit()
    headers = {"ETag": etag_of(schema.dump(row))}
    if created:
        headers["Location"] = request.path
    return row, 201 if created else 200, headers


def patch_response(
    record_type: RecordType[T], ident: str, changes: dict[str, Any], schema: ma.Schema
) -> Reply[T]:
    """Apply a JSON merge patch of top-level fields to a stored record."""
    _same_id(changes, ident)
    session = db.session
    current = get_or_404(record_type, ident, for_update=True)
    check_if_match(etag_of(schema.dump(current)))
    state = record_type.state(current)
    state.update({name: value for name, value in changes.items() if name != "id"})
    # The patch was checked alone; rules across fields (a prerequisite below the level taught)
    # hold for the record it makes.
    problems = schema.validate(schema.dump(state), partial=("id",))
    if problems:
        abort(422, messages={"json": problems})
    row, _ = records.put(session=session, record_type=record_type, ident=ident, data=state)
    session.commit()
    return row, 200, {"ETag": etag_of(schema.dump(row))}


def precondition_for_delete(record_type: RecordType[T], ident: str, schema: ma.Schema) -> T:
    """Return the stored record, locked, after checking the DELETE's If-Match against it."""
    current = get_or_404(record_type, ident, for_update=True)
    check_if_match(etag_of(schema.dump(current)))
    return current
