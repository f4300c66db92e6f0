"""Field types every resource's schemas share: ids, text, URLs, levels, dates, numbers.

Each says what it accepts in its validation message, and answers are written as people read
them: shares to 4 decimals, hours and money to 2 (DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate
from werkzeug.routing import BaseConverter, IntegerConverter

from catalog.vocabulary import (
    EARLIEST_DATE,
    LATEST_EXPIRY,
    MAX_CLOCK_SKEW_DAYS,
    MAX_EXTERNAL_ID_LENGTH,
    MAX_EXTERNAL_IDS,
    MAX_ID_LENGTH,
    MAX_LANGUAGE_LENGTH,
    MAX_LEVEL,
    MAX_NAME_LENGTH,
    MAX_URL_LENGTH,
    MIN_LEVEL,
    RESERVED_IDS,
    SCHEDULE_FUTURE_DAYS,
    SCHEDULE_PAST_DAYS,
)

SHARE_PLACES = 4
AMOUNT_PLACES = 2
EXTERNAL_ID_KEY = r"^[A-Za-z0-9._:-]{1,50}$"

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


# "2026-01-02T03:04:05+01:00" sent unencoded in a query string arrives with a space for "+".
_UNENCODED_OFFSET = re.compile(r"^(\S+[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


class Timestamp(fields.AwareDateTime):
    """An RFC 3339 timestamp with its offset (``Z`` or ``+01:00``)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("metadata", {}).setdefault("example", "2026-01-31T09:30:00Z")
        super().__init__(format="iso", **kwargs)
        message = "Give an RFC 3339 time with its offset, such as 2026-01-31T09:30:00Z."
        self.error_messages.update(invalid=message, invalid_awareness=message)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = _UNENCODED_OFFSET.sub(r"\1+\2", value.strip())
        return super()._deserialize(value, attr, data, **kwargs)


class Rounded(fields.Float):
    """A number written rounded to ``places`` decimals; read as any float."""

    def __init__(self, places: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.places = places

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        number = super()._serialize(value, attr, obj, **kwargs)
        if number is None:
            return None
        # + 0.0 turns the -0.0 that rounding a tiny negative gives into 0.0.
        return round(number, self.places) + 0.0


def Share(**kwargs: Any) -> Rounded:  # noqa: N802 - reads as a field type
    """A share, score or weight, written to 4 decimals."""
    return Rounded(SHARE_PLACES, **kwargs)


def Amount(**kwargs: Any) -> Rounded:  # noqa: N802 - reads as a field type
    """Hours or money, written to 2 decimals."""
    return Rounded(AMOUNT_PLACES, **kwargs)
