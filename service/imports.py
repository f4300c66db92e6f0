"""Bulk imports: /v1/{skills,items,roles,employees}/import, from a JSON array or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate
from sqlalchemy.orm import Session

from catalog import repositories as repo
from catalog.errors import ImportRowsError, RowError
from catalog.vocabulary import SKILL_SOURCES
from service.api import _flatten
from service.auth import requires
from service.common import Blueprint, StrictSchema
from service.db import db
from service.employees import EmployeeImportSchema
from service.engine import resolve_skill_names
from service.items import ItemSchema
from service.roles import RoleSchema
from service.skills import SkillSchema

blp = Blueprint("imports", __name__, description="Bulk upserts: all rows or none.")

SCHEMAS: dict[str, type[ma.Schema]] = {
    "skill": SkillSchema,
    "item": ItemSchema,
    "role": RoleSchema,
    "employee": EmployeeImportSchema,
}
SCOPES = {
    "skill": "catalog:write",
    "item": "catalog:write",
    "role": "catalog:write",
    "employee": "employees:write",
}

CSV_HELP = {
    "skill": (
        "Columns: id, name, aliases (a|b), category, description, external_ids (esco=URI|onet=ID)."
    ),
    "item": (
        "Columns: id, kind, title, description, provider, url, language, modality, duration_hours, "
        "cost, currency, skills (skill:level|...), prerequisites (skill:level|...), "
        "requires_items (a|b), valid_months, active (true/false)."
    ),
    "role": (
        "Columns: id, title, description, family, alternate_titles (a|b), external_ids, "
        "competencies (skill:level:weight|...)."
    ),
    "employee": (
        "Columns: id, display_name, team, current_role, target_roles (a|b), "
        "skills (skill:level or skill:level:source|...), completed (item or item@YYYY-MM-DD|...), "
        "hours_per_week, budget, modalities (a|b), languages (a|b)."
    ),
}


class ImportArgsSchema(StrictSchema):
    """Options of a bulk import."""

    class Meta:
        unknown = ma.EXCLUDE

    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "Validate only; write nothing"}
    )
    on_unknown_skill = fields.String(
        load_default="error",
        validate=validate.OneOf(("error", "resolve")),
        metadata={
            "description": "error: a skill matching no id, name or alias fails its row; "
            "resolve: such names go through the fuzzy skill resolver first"
        },
    )


class ImportReportSchema(ma.Schema):
    """What a bulk import did (or, with dry_run, would do)."""

    dry_run = fields.Boolean()
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    errors = fields.List(fields.Dict(), metadata={"description": "Always empty on success"})


# -- CSV cells -> records ----------------------------------------------------------------------


class CellError(ValueError):
    """A CSV cell does not follow its column's syntax."""


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _pairs(cell: str, names: Sequence[str], column: str) -> list[dict[str, Any]]:
    """Parse ``skill:level[:more]`` entries separated by ``|`` (skill ids may contain ':')."""
    out = []
    for part in _split(cell):
        pieces = part.rsplit(":", len(names) - 1)
        if len(pieces) != len(names):
            raise CellError(f"write {':'.join(names)} entries separated by '|' (got {part!r})")
        out.append(dict(zip(names, pieces, strict=True)))
    for entry in out:
        try:
            entry["level"] = int(entry["level"])
            if "weight" in entry:
                entry["weight"] = float(entry["weight"])
        except ValueError:
            raise CellError(f"levels are whole numbers and weights numbers in {column}") from None
    return out


def _employee_skills(cell: str) -> list[dict[str, Any]]:
    entries = []
    for part in _split(cell):
        head, _, last = part.rpartition(":")
        if last in SKILL_SOURCES and head.count(":"):
            entry = _pairs(head, ("skill", "level"), "skills")[0]
            entry["source"] = last
        else:
            entry = _pairs(part, ("skill", "level"), "skills")[0]
        entries.append(entry)
    return entries


def _completions(cell: str) -> list[dict[str, Any]]:
    out = []
    for part in _split(cell):
        item, _, date = part.partition("@")
        out.append({"item": item, "completed_at": date or None})
    return out


def _external_ids(cell: str) -> dict[str, str]:
    out = {}
    for part in _split(cell):
        key, sep, value = part.partition("=")
        if not sep:
            raise CellError(f"write key=value entries separated by '|' (got {part!r})")
        out[key.strip()] = value.strip()
    return out


def _integer(cell: str) -> int:
    try:
        return int(cell)
    except ValueError:
        raise CellError(f"expected a whole number, got {cell!r}") from None


CELL_PARSERS: dict[str, dict[str, Callable[[str], Any]]] = {
    "skill": {"aliases": _split, "external_ids": _external_ids},
    "item": {
        "skills": lambda c: _pairs(c, ("skill", "level"), "skills"),
        "prerequisites": lambda c: _pairs(c, ("skill", "level"), "prerequisites"),
        "requires_items": _split,
        "valid_months": _integer,
    },
    "role": {
        "alternate_titles": _split,
        "external_ids": _external_ids,
        "competencies": lambda c: _pairs(c, ("skill", "level", "weight"), "competencies"),
    },
    "employee": {
        "target_roles": _split,
        "skills": _employee_skills,
        "completed": _completions,
        "modalities": _split,
        "languages": _split,
    },
}
PREFERENCE_COLUMNS = ("hours_per_week", "budget", "modalities", "languages")


def records_from_csv(kind: str, text: str) -> list[dict[str, Any]]:
    """Turn CSV text (a header row, then one record a row) into records; empty cells are absent.

    :raise ImportRowsError: naming each cell that does not follow its column's syntax.
    """
    # newline="" leaves line breaks to the csv module, so quoted cells may hold them.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames, rows = reader.fieldnames, list(reader)
    except csv.Error as exc:
        message = f"line {reader.line_num} is not CSV: {exc}"
        raise ImportRowsError([RowError(0, "(body)", message)]) from None
    if not fieldnames or "id" not in fieldnames:
        raise ImportRowsError(
            [RowError(0, "(header)", "the first row must name columns, id among them")]
        )
    parsers = CELL_PARSERS[kind]
    records, errors = [], []
    for n, row in enumerate(rows, 1):
        if None in row:
            errors.append(
                RowError(n, "(row)", "the row has more cells than the header has columns")
            )
            continue
        record: dict[str, Any] = {}
        for column, cell in row.items():
            cell = (cell or "").strip()
            if not cell:
                continue
            try:
                value = parsers.get(column, str)(cell)
            except CellError as exc:
                errors.append(RowError(n, column, str(exc)))
                continue
            if kind == "employee" and column in PREFERENCE_COLUMNS:
                record.setdefault("preferences", {})[column] = value
            else:
                record[column] = value
        records.append(record)
    if errors:
        raise ImportRowsError(errors)
    return records


# -- records -> database -------------------------------------------------------------------------


def import_records(
    *,
    session: Session,
    kind: str,
    rows: Sequence[Any],
    dry_run: bool,
    max_rows: int,
    resolve_skills: bool = False,
) -> dict[str, Any]:
    """Validate every row, then upsert all of them in one transaction, or none.

    :raise ImportRowsError: naming every bad row; nothing is written.
    """
    if len(rows) > max_rows:
        raise ImportRowsError(
            [
                RowError(
                    max_rows + 1, "(body)", f"at most {max_rows} rows per import; split the file"
                )
            ]
        )
    schema = SCHEMAS[kind]()
    records, errors = [], []
    for n, raw in enumerate(rows, 1):
        if not isinstance(raw, Mapping):
            errors.append(RowError(n, "(row)", "each row must be a JSON object"))
            continue
        try:
            records.append(schema.load(raw))
        except ma.ValidationError as exc:
            errors += [RowError(n, field or "(row)", msg) for field, msg in _flatten(exc.messages)]
    if errors:
        raise ImportRowsError(errors)
    if resolve_skills:
        refs = [ref for record in records for ref in repo.skill_refs_of(kind, record)]
        mapping = resolve_skill_names(session, refs)
        records = [repo.with_skill_ids(kind, record, mapping) for record in records]
    try:
        report = repo.upsert_many(session=session, kind=kind, records=records)
    except ImportRowsError:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return {
        "dry_run": dry_run,
        "rows": len(records),
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "errors": [],
    }


def _request_rows(kind: str) -> list[Any]:
    if request.mimetype == "text/csv":
        try:
            text = request.get_data(as_text=False).decode("utf-8-sig")
        except UnicodeDecodeError:
            abort(422, message="The CSV body must be UTF-8.")
        return records_from_csv(kind, text)
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        abort(
            422,
            message="Send a JSON array of records (application/json) or CSV (text/csv).",
        )
    return body


def _import_view(kind: str):
    scope = SCOPES[kind]
    plural = f"{kind}s"

    @requires(scope)
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.doc(
        requestBody={
            "required": True,
            "description": f"A JSON array of {kind} records (as PUT takes them, with id) or CSV. "
            + CSV_HELP[kind],
            "content": {
                "application/json": {"schema": {"type": "array", "items": SCHEMAS[kind]}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    )
    def post(self, args):
        rows = _request_rows(kind)
        return import_records(
            session=db.session,
            kind=kind,
            rows=rows,
            dry_run=args["dry_run"],
            resolve_skills=args["on_unknown_skill"] == "resolve",
            max_rows=current_app.config["SKILLPATH_MAX_IMPORT_ROWS"],
        )

    post.__doc__ = f"Import {plural} in bulk (all rows or none)"
    view = type(f"{kind.capitalize()}Import", (MethodView,), {"post": post})
    blp.route(f"/v1/{plural}/import")(view)
    return view


SkillImport = _import_view("skill")
ItemImport = _import_view("item")
RoleImport = _import_view("role")
EmployeeImport = _import_view("employee")
