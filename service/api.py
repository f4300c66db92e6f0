"""The flask-smorest Api, owning RFC 9457 problem+json errors for every failure."""

from __future__ import annotations

import http
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import marshmallow as ma
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Response, json, request
from flask_smorest import Api as BaseApi
from flask_smorest.pagination import PaginationMetadataSchema
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, InternalServerError

from catalog.errors import (
    AlreadyExistsError,
    CatalogError,
    ConcurrentWriteError,
    ConflictError,
    ImportRowsError,
    InvalidCatalogError,
    NoTargetRoleError,
    NotFoundError,
    RecordError,
    RowError,
    UnknownSkillError,
)
from catalog.plans import ActivePlanError
from service.common import prepare_common_doc
from service.fields import AsciiIntegerConverter, IdConverter, id_param_schema
from service.openapi import DocumentedMarshmallowPlugin, ExamplesPlugin, self_documented

PROBLEM_JSON = "application/problem+json"
# What a client that lost a write race should wait before sending it again.
RETRY_AFTER_SECONDS = 1
DOCUMENTED_STATUSES = {400, 401, 403, 404, 409, 412, 413, 415, 422, 428}
log = logging.getLogger("skillpath")


class FieldErrorSchema(ma.Schema):
    """One field's problem: where it is and how to fix it."""

    field = ma.fields.String(
        metadata={"description": "Path of the field, e.g. `competencies[0].level`"}
    )
    location = ma.fields.String(metadata={"description": "`json`, `query`, `path` or `body`"})
    row = ma.fields.Integer(metadata={"description": "Row of a bulk import, counting from 1"})
    message = ma.fields.String()
    suggestions = ma.fields.List(
        ma.fields.String(), metadata={"description": "Closest known skills, for unknown ones"}
    )


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem detail."""

    type = ma.fields.String(metadata={"example": "about:blank"})
    title = ma.fields.String(metadata={"example": "Unprocessable Entity"})
    status = ma.fields.Integer(metadata={"example": 422})
    detail = ma.fields.String()
    instance = ma.fields.String()
    code = ma.fields.String(metadata={"description": "A stable, machine-readable error code"})
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))


def problem(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
) -> Response:
    """Return a problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    try:
        body["instance"] = request.path
    except RuntimeError:  # outside a request
        pass
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in dict(headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages: Any, path: str = "") -> Iterable[tuple[str, str]]:
    """Yield ``(field path, message)`` pairs from marshmallow's nested error messages."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key == "_schema":
                child = path
            elif isinstance(key, int):
                child = f"{path}[{key}]"
            else:
                child = f"{path}.{key}" if path else str(key)
            yield from _flatten(value, child)
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from _flatten(message, path)
    else:
        yield path, str(messages)


def validation_errors(messages: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Turn webargs' ``{location: {field: [messages]}}`` into a flat, sorted list."""
    errors = []
    for location, fields in messages.items():
        for field, message in _flatten(fields):
            errors.append({"location": location, "field": field or "(body)", "message": message})
    return errors


def schema_name(schema: Any) -> str:
    """Name a schema in the spec; a partial one (PUT with the id in the path, PATCH) apart."""
    resolved = resolve_schema_cls(schema)
    cls = resolved[0] if isinstance(resolved, list) else resolved
    name = cls.__name__.removesuffix("Schema") or cls.__name__
    partial = getattr(schema, "partial", None)
    if partial is True or (partial and set(partial) >= set(cls._declared_fields)):
        return name if name.endswith("Patch") else name + "Patch"
    if partial:
        return name + "Without" + "".join(p.capitalize() for p in sorted(partial))
    return name


def range_exclusivity(self, field: ma.fields.Field, ret: dict, **kwargs: Any) -> dict:
    """Document the open ends of ``Range`` validators (apispec keeps only the bounds).

    OpenAPI 3.0 spells "> 0" as ``minimum: 0`` with ``exclusiveMinimum: true``.
    """
    out = {}
    for validator in field.validators:
        if isinstance(validator, ma.validate.Range):
            if validator.min is not None and not validator.min_inclusive:
                out["exclusiveMinimum"] = True
            if validator.max is not None and not validator.max_inclusive:
                out["exclusiveMaximum"] = True
    return out


class Api(BaseApi):
    """The Skillpath API: every error is problem+json, documented as such."""

    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def __init__(self, app=None, **kwargs):
        kwargs.setdefault(
            "spec_kwargs",
            {
                "marshmallow_plugin": DocumentedMarshmallowPlugin(schema_name_resolver=schema_name),
                "extra_plugins": [ExamplesPlugin()],
            },
        )
        super().__init__(app, **kwargs)
        self.register_converter(IdConverter, id_param_schema)

    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, **kwargs):
        """Bind to ``app``; the URL converters must be known before any route uses them."""
        app.url_map.converters["id"] = IdConverter
        app.url_map.converters["int"] = AsciiIntegerConverter
        super().init_app(app, **kwargs)
        self.ma_plugin.converter.add_attribute_function(range_exclusivity)
        self.ma_plugin.converter.add_attribute_function(self_documented)

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register ``blp``, documenting what its operations share with every other one."""
        if prepare_common_doc not in blp._prepare_doc_cbks:
            blp._prepare_doc_cbks.append(prepare_common_doc)
        super().register_blueprint(blp, parameters=parameters, **options)

    def _register_pagination_header(self):
        # X-Pagination carries JSON text; a header "schema" would mean the k,v,k,v wire form.
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "Pagination metadata, as JSON",
                "content": {"application/json": {"schema": PaginationMetadataSchema}},
            },
            lazy=True,
        )

    def _register_responses(self):
        # flask-smorest documents errors under the JSON media type; ours are problem+json.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            # The statuses views refer to by hand are registered eagerly; the rest on use.
            eager = status in DOCUMENTED_STATUSES
            self.spec.components.response(status.name, response, lazy=not eager)
        response = {"description": "Error (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:
        """Render any HTTP error as problem+json, keeping the headers HTTP requires."""
        data = getattr(error, "data", None) or {}
        headers = dict(data.get("headers") or {})
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        for name, value in error.get_headers():
            if name.lower() not in {"content-type", "content-length"}:
                headers.setdefault(name, value)
        errors = None
        detail = data.get("message") or error.description
        if "messages" in data:
            errors = validation_errors(data["messages"])
            detail = data.get("message") or "The request has invalid fields; see errors."
        if error.code == 500:
            detail = "The server failed to handle the request; it has been logged."
        elif error.code == 429:
            detail = (
                f"This API key made more requests than its limit of {error.description} allows; "
                "retry after the seconds Retry-After gives."
            )
        _log(error.code or 500)
        return problem(
            error.code or 500, detail, errors=errors, headers=headers, code=data.get("code")
        )


def _log(status: int) -> None:
    log.log(
        logging.ERROR if status >= 500 else logging.WARNING,
        "%s %s -> %s",
        request.method,
        request.path,
        status,
        exc_info=status >= 500,
        extra={"status": status},
    )


def handle_unexpected(error: Exception) -> Response:
    """Log an unhandled exception with its traceback and answer a bare 500."""
    if isinstance(error, HTTPException):  # pragma: no cover - routed to handle_http_exception
        raise error
    log.error(
        "unhandled error on %s %s",
        request.method,
        request.path,
        exc_info=error,
        extra={"status": 500},
    )
    return problem(500, InternalServerError.description)


def row_error_dict(
    error: RowError, *, with_row: bool, suggest=None, suggest_item=None
) -> dict[str, Any]:
    """Render one row error for a problem body, with "did you mean" suggestions if any."""
    entry: dict[str, Any] = {"field": error.field or "(row)", "message": error.message}
    if with_row:
        entry["row"] = error.row
    names = None
    if error.unknown_skill and suggest is not None:
        names = suggest(error.unknown_skill)
    elif error.unknown_item and suggest_item is not None:
        names = suggest_item(error.unknown_item)
    if names:
        entry["suggestions"] = names
        entry["message"] += "; did you mean " + " or ".join(repr(n) for n in names) + "?"
    return entry


def handle_catalog_error(error: CatalogError, *, suggest=None, suggest_item=None) -> Response:
    """Map the catalog's domain errors to problem+json statuses."""
    detail = str(error)
    headers: dict[str, str] = {}
    if isinstance(error, NotFoundError):
        status, code, errors = 404, "not_found", None
        # Worded like every other 404 of the API (see service.common.get_or_404).
        detail = f"There is no {error.kind} {error.ident!r}."
        if error.suggestions:
            named = " or ".join(repr(ident) for ident in error.suggestions)
            detail = detail[:-1] + f"; did you mean {named}?"
            errors = [{"field": error.kind, "message": detail, "suggestions": error.suggestions}]
    elif isinstance(error, ConcurrentWriteError):
        status, code, errors = 409, "concurrent_write", None
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    elif isinstance(error, ActivePlanError):
        status, code, errors = 409, "active_plan", None
        headers["Location"] = f"{request.path}/{error.plan_id}"
    elif isinstance(error, ConflictError):
        status, code, errors = 409, "conflict", None
    elif isinstance(error, ImportRowsError):
        status, code = 422, "import_rejected"
        errors = [row_error_dict(e, with_row=True, suggest=suggest) for e in error.errors]
    elif isinstance(error, RecordError):
        status, code = 422, "invalid_record"
        errors = [
            row_error_dict(e, with_row=False, suggest=suggest, suggest_item=suggest_item)
            for e in error.errors
        ]
    elif isinstance(error, UnknownSkillError):
        status, code = 422, "unknown_skill"
        errors = [
            row_error_dict(
                RowError(0, error.field, f"unknown skill {name!r}", name),
                with_row=False,
                suggest=suggest,
            )
            for name in error.unknown
        ]
    elif isinstance(error, InvalidCatalogError):
        status, code = 422, "invalid_record"
        errors = [{"field": error.field or "(body)", "message": str(error)}]
    elif isinstance(error, NoTargetRoleError):
        status, code, errors = 422, "no_target_role", None
        # Said in the API's terms: the role is a request field, target_roles the profile's.
        detail = "Name a role: ?role=<id>, or give the employee target_roles."
    else:  # pragma: no cover - every CatalogError subclass is mapped above
        status, code, errors = 400, "bad_request", None
    _log(status)
    if isinstance(error, AlreadyExistsError):
        # Raised only by POST to a collection: PUT on the record's own path replaces it.
        detail += f"; PUT {request.path}/{error.ident} replaces it"
    if errors and status == 422:
        detail = (
            errors[0]["message"] if len(errors) == 1 else f"{len(errors)} problems; see errors."
        )
    return problem(status, detail, code=code, errors=errors, headers=headers)
