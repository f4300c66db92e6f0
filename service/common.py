"""Fields, schemas and view helpers every resource shares."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, request
from flask_smorest import abort
from marshmallow import fields, validate

from catalog import repositories as repo
from service.db import db
from service.etag import check_if_match, etag_of, not_modified

ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
LEVELS = "Proficiency 0-5: 0 none, 1 awareness, 2 beginner, 3 practitioner, 4 advanced, 5 expert."
KINDS = ("course", "certification", "mentoring", "program", "assignment", "content")
MODALITIES = ("self_paced", "instructor_led", "blended", "mentoring", "on_the_job")
SOURCES = ("self", "manager", "assessment", "certification", "completion")
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
MAX_PAGE_SIZE = 500
PAGING = {"page_size": 50, "max_page_size": MAX_PAGE_SIZE}


def Id(**kwargs: Any) -> fields.String:  # noqa: N802 - reads as a field type
    """A client-supplied identifier."""
    metadata = {"description": "Client-supplied id: letters, digits and . _ : - (1-128)"}
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(
        validate=validate.Regexp(
            ID_PATTERN, error="Use 1-128 of A-Z a-z 0-9 . _ : - (got {input})."
        ),
        metadata=metadata,
        **kwargs,
    )


def Text(max_length: int, *, required: bool = False, **kwargs: Any) -> fields.String:  # noqa: N802
    """A string of at most ``max_length`` characters; a required one may not be empty."""
    length = validate.Length(min=1 if required else 0, max=max_length)
    return fields.String(required=required, validate=length, **kwargs)


def SkillRef(**kwargs: Any) -> fields.String:  # noqa: N802
    """A reference to a skill: its id, or its exact name or alias (any case)."""
    return fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Skill id, or exact name or alias (case-insensitive)"},
        **kwargs,
    )


def Level(minimum: int = 0, **kwargs: Any) -> fields.Integer:  # noqa: N802
    """A proficiency level."""
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=minimum, max=5),
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


class ExternalIds(fields.Dict):
    """Ids of the same thing in other taxonomies (``esco``, ``onet``, ...)."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            keys=fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$")),
            values=fields.String(validate=validate.Length(min=1, max=500)),
            validate=validate.Length(max=20),
            load_default=dict,
            metadata={
                "example": {"esco": "http://data.europa.eu/esco/skill/...", "onet": "2.A.1.a"}
            },
            **kwargs,
        )


class ListArgsSchema(StrictSchema):
    """Query arguments every listing takes besides paging."""

    class Meta:
        unknown = ma.EXCLUDE


def created_response(row: Any, ident: str, schema: ma.Schema) -> Any:
    """Answer a POST that created ``ident`` with 201, its ETag and Location."""
    return row, 201, {"ETag": etag_of(schema.dump(row)), "Location": f"{request.path}/{ident}"}


def paginate_page(page, pagination_parameters) -> list[Any]:
    """Record the total for the X-Pagination header and return the page's rows."""
    pagination_parameters.item_count = page.total
    return page.items


def paging(pagination_parameters) -> dict[str, int]:
    """Return the page and page size flask-smorest parsed, as repository arguments."""
    return {"page": pagination_parameters.page, "page_size": pagination_parameters.page_size}


def get_or_404(kind: str, ident: str) -> Any:
    """Return the stored ``kind`` record ``ident`` or answer 404."""
    row = repo.get(session=db.session, kind=kind, ident=ident)
    if row is None:
        abort(404, message=f"There is no {kind} {ident!r}.")
    return row


def read_response(row: Any, schema: ma.Schema) -> Any:
    """Answer a GET of one resource with its ETag, or 304 if the client has it."""
    etag = etag_of(schema.dump(row))
    if not_modified(etag):
        return Response(status=304, headers={"ETag": etag})
    return row, 200, {"ETag": etag}


def put_response(kind: str, ident: str, data: dict[str, Any], schema: ma.Schema) -> Any:
    """Create or replace a resource under If-Match rules; 201 on create, 200 on replace."""
    if data.get("id", ident) != ident:
        abort(422, message=f"The body's id {data['id']!r} differs from the path's {ident!r}.")
    session = db.session
    current = repo.get(session=session, kind=kind, ident=ident)
    check_if_match(etag_of(schema.dump(current)) if current is not None else None)
    row, created = repo.put(session=session, kind=kind, ident=ident, data=data)
    session.commit()
    headers = {"ETag": etag_of(schema.dump(row))}
    if created:
        headers["Location"] = request.path
    return row, 201 if created else 200, headers


def patch_response(kind: str, ident: str, changes: dict[str, Any], schema: ma.Schema) -> Any:
    """Apply a JSON merge patch of top-level fields to a stored resource."""
    session = db.session
    current = get_or_404(kind, ident)
    check_if_match(etag_of(schema.dump(current)))
    state = repo.KINDS[kind].state(current)
    state.update(changes)
    row, _ = repo.put(session=session, kind=kind, ident=ident, data=state)
    session.commit()
    return row, 200, {"ETag": etag_of(schema.dump(row))}


def precondition_for_delete(kind: str, ident: str, schema: ma.Schema) -> Any:
    """Return the stored resource after checking the DELETE's If-Match against it."""
    current = get_or_404(kind, ident)
    check_if_match(etag_of(schema.dump(current)))
    return current
