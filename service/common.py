"""Fields, schemas and view helpers every resource shares."""

from __future__ import annotations

import copy
import functools
import http
from typing import Any, TypeVar
from urllib.parse import urlencode

import flask_smorest
import marshmallow as ma
from flask import Response, request
from flask_smorest import abort
from webargs.flaskparser import FlaskParser

from catalog import records
from catalog.models import Base
from catalog.queries import Page
from catalog.records import RecordType
from catalog.vocabulary import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
)
from service.db import db
from service.etag import check_if_match, etag_of, not_modified
from service.fields import Id, StrictSchema, Timestamp

T = TypeVar("T", bound=Base)
# What a view returns for flask-smorest to serialise: the record, the status and headers.
Reply = tuple[T, int, dict[str, str]]

PAGING = {"page_size": DEFAULT_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}


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
LINK_HEADER = {
    "description": (
        'RFC 8288 links to page on: `<URL>; rel="next"`, and `first`, `prev`, `last` where '
        "they exist (a listing read with `updated_since` links only to `next`)"
    ),
    "schema": {"type": "string"},
}
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


class RememberedQuery(ma.Schema):
    """A query-argument schema whose loads depend on the query string alone, and are remembered.

    Its fields must load to strings, numbers, booleans or lists of them, with no default that
    changes from one request to the next (today's date, say): the same query string then
    always loads to the same arguments. Clients ask the same few query strings again and
    again, and marshmallow's load of ``?limit=10`` (25-45 us) is about a tenth of what a
    recommendations request's view does.
    """


class ArgumentsParser(FlaskParser):
    """webargs' parser, remembering what query strings loaded to for :class:`RememberedQuery`.

    The last ``REMEMBERED`` loads are kept per schema instance and query string (a schema
    given to :meth:`Blueprint.arguments` as a class gets an instance of its own; schemas
    compare by identity). Arguments that fail to load are not remembered: they raise again.
    Each call gets its own copy.
    """

    REMEMBERED = 1024

    def __init__(self) -> None:
        super().__init__()
        self._loaded: dict[tuple[ma.Schema, bytes], dict[str, Any]] = {}

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        """Load ``argmap`` from the request as webargs does, remembered for query schemas."""
        if location != "query" or not isinstance(argmap, RememberedQuery):
            return super().parse(argmap, req, location=location, **kwargs)
        key = (argmap, (request if req is None else req).query_string)
        loaded = self._loaded.get(key)
        if loaded is None:
            loaded = super().parse(argmap, req, location=location, **kwargs)
            if len(self._loaded) >= self.REMEMBERED:
                self._loaded.clear()
            self._loaded[key] = loaded
        return {k: list(v) if isinstance(v, list) else v for k, v in loaded.items()}


class Blueprint(flask_smorest.Blueprint):
    """A resource's blueprint: a required JSON body is required, and preconditions documented."""

    ARGUMENTS_PARSER = ArgumentsParser()

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        """Parse arguments like flask-smorest; a required JSON body may not be absent (422).

        A schema class is made an instance here, once: webargs would make one per request,
        which costs more than parsing a query string does.
        """
        if isinstance(schema, type):
            schema = schema()
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

    def _set_pagination_metadata(self, page_params, result, headers):
        """Send X-Pagination as flask-smorest does, and RFC 8288 ``Link`` headers to page on."""
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        links = page_links(page_params)
        if links:
            headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links)
        return result, headers

    def _document_pagination_metadata(self, spec, resp_doc):
        """Document X-Pagination and Link on every listing's answer."""
        super()._document_pagination_metadata(spec, resp_doc)
        resp_doc["headers"]["Link"] = LINK_HEADER

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


class ListArgsSchema(StrictSchema):
    """Query arguments every listing takes besides paging."""

    class Meta:
        unknown = ma.EXCLUDE


class ChangesArgsSchema(ListArgsSchema):
    """What a sync asks a listing for: the rows changed since its last run."""

    updated_since = Timestamp(
        metadata={
            "description": (
                "Only rows changed after this RFC 3339 time, oldest change first (ordered by "
                "`updated_at`, then id); follow the `next` link to page on"
            )
        }
    )
    after_id = Id(
        metadata={
            "description": (
                "With `updated_since`: also rows changed exactly then whose id sorts after this "
                "one. The `next` link sets it; a client need not"
            )
        }
    )


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


def paginate_page(page: Page[T], pagination_parameters: Any, *, key: str = "id") -> list[T]:
    """Record the total for the X-Pagination header and return the page's rows.

    The last row's ``(updated_at, key)`` is kept too: the ``next`` link of a listing read
    with ``updated_since`` continues from it.
    """
    pagination_parameters.item_count = page.total
    if page.items and hasattr(page.items[-1], "updated_at"):
        last = page.items[-1]
        pagination_parameters.cursor = (last.updated_at, getattr(last, key))
    return page.items


def page_links(pagination_parameters: Any) -> list[tuple[str, str]]:
    """Return the ``(rel, URL)`` links of a listing page: the request's URL, paged on.

    A listing read with ``updated_since`` links on by the last row it sent (``updated_since``
    and ``after_id`` move, the page is the first again): a row changed while a client pages
    then moves past the link's cursor, never behind it, so no row is skipped. Others link
    to the first, previous, next and last pages.
    """
    page, size, total = (
        pagination_parameters.page,
        pagination_parameters.page_size,
        pagination_parameters.item_count or 0,
    )

    def url(**changes: Any) -> str:
        args = request.args.copy()
        for name, value in changes.items():
            args.pop(name, None)
            if value is not None:
                args[name] = str(value)
        query = urlencode(list(args.items(multi=True)))
        return request.base_url + ("?" + query if query else "")

    more = page * size < total
    cursor = getattr(pagination_parameters, "cursor", None)
    if request.args.get("updated_since"):
        if not (more and cursor):
            return []
        since, after = cursor
        return [("next", url(updated_since=since.isoformat(), after_id=after, page=None))]
    last = max(1, -(-total // size))
    links = [("first", url(page=1))]
    if 1 < page <= last:
        links.append(("prev", url(page=page - 1)))
    if more:
        links.append(("next", url(page=page + 1)))
    links.append(("last", url(page=last)))
    return links


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
