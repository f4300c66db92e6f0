"""Bulk imports: /v1/{skills,items,roles,employees}/import, from a JSON array or CSV."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate
from sqlalchemy.orm import Session

from catalog.employees import EMPLOYEE
from catalog.errors import ImportRowsError, RowError
from catalog.items import ITEM
from catalog.records import (
    PROGRESS_EVERY,
    RecordType,
    skill_refs_of,
    upsert_many,
    with_skill_ids,
)
from catalog.roles import ROLE
from catalog.skills import SKILL
from service import csv_records as cells
from service.api import _flatten
from service.auth import requires
from service.common import Blueprint
from service.db import db
from service.employees import EmployeeImportSchema
from service.engine import resolve_skill_names
from service.fields import StrictSchema
from service.items import ItemSchema
from service.roles import RoleSchema
from service.skills import SkillSchema

blp = Blueprint("imports", __name__, description="Bulk upserts: all rows or none.")


@dataclass(frozen=True)
class ImportSpec:
    """How one record type is imported: its row schema, scope and CSV columns."""

    record_type: RecordType[Any]
    schema: type[ma.Schema]
    scope: str
    csv_help: str
    cell_parsers: Mapping[str, cells.CellParser]
    # CSV columns whose values go into an object field of the record, by column.
    nested_columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def plural(self) -> str:
        """Name the records in the plural, as paths and messages do."""
        return f"{self.record_type.name}s"

    def read_csv(self, text: str) -> list[dict[str, Any]]:
        """Turn a CSV body into records of this type (not yet validated).

        :raise ImportRowsError: naming each cell that does not follow its column's syntax.
        """
        return cells.records_from_csv(text, parsers=self.cell_parsers, nested=self.nested_columns)

    def parse_csv(self, text: str) -> tuple[list[dict[str, Any]], list[RowError]]:
        """Turn a CSV body into records of this type, and the cells that could not be read.

        :raise ImportRowsError: when the body is not CSV with an id column.
        """
        return cells.parse_csv(text, parsers=self.cell_parsers, nested=self.nested_columns)


SKILL_IMPORT = ImportSpec(
    record_type=SKILL,
    schema=SkillSchema,
    scope="catalog:write",
    csv_help=(
        "Columns: id, name, aliases (a|b), category, description, external_ids (esco=URI|onet=ID)."
    ),
    cell_parsers={"aliases": cells.split, "external_ids": cells.external_ids},
)
ITEM_IMPORT = ImportSpec(
    record_type=ITEM,
    schema=ItemSchema,
    scope="catalog:write",
    csv_help=(
        "Columns: id, kind, title, description, provider, url, language, modality, duration_hours, "
        "cost, currency, skills (skill:level|...), prerequisites (skill:level|...), "
        "requires_items (a|b), valid_months, active (true/false)."
    ),
    cell_parsers={
        "skills": cells.skill_levels("skills"),
        "prerequisites": cells.skill_levels("prerequisites"),
        "requires_items": cells.split,
        "valid_months": cells.integer,
        "duration_hours": cells.number,
        "cost": cells.number,
        "active": cells.flag,
    },
)
ROLE_IMPORT = ImportSpec(
    record_type=ROLE,
    schema=RoleSchema,
    scope="catalog:write",
    csv_help=(
        "Columns: id, title, description, family, alternate_titles (a|b), external_ids, "
        "competencies (skill:level:weight|...)."
    ),
    cell_parsers={
        "alternate_titles": cells.split,
        "external_ids": cells.external_ids,
        "competencies": cells.competencies,
    },
)
EMPLOYEE_IMPORT = ImportSpec(
    record_type=EMPLOYEE,
    schema=EmployeeImportSchema,
    scope="employees:write",
    csv_help=(
        "Columns: id, display_name, team, current_role, target_roles (a|b), "
        "skills (skill:level or skill:level:source|...), completed (item or item@YYYY-MM-DD|...), "
        "hours_per_week, budget, modalities (a|b), languages (a|b)."
    ),
    cell_parsers={
        "target_roles": cells.split,
        "skills": cells.employee_skills,
        "completed": cells.completions,
        "hours_per_week": cells.number,
        "budget": cells.number,
        "modalities": cells.split,
        "languages": cells.split,
    },
    nested_columns={
        column: "preferences" for column in ("hours_per_week", "budget", "modalities", "languages")
    },
)
# In dependency order: roles and items name skills; employees name roles and items.
IMPORTS = (SKILL_IMPORT, ROLE_IMPORT, ITEM_IMPORT, EMPLOYEE_IMPORT)


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


# -- records -> database -------------------------------------------------------------------------


def import_records(
    *,
    session: Session,
    spec: ImportSpec,
    rows: Sequence[Any],
    dry_run: bool,
    max_rows: int,
    resolve_skills: bool = False,
    progress: Callable[[int], None] | None = None,
    row_errors: Sequence[RowError] = (),
) -> dict[str, Any]:
    """Validate every row, then upsert all of them in one transaction, or none.

    ``progress``, if given, is called with how many steps were done since its last call:
    one per row validated and one per row written, twice the rows in all.

    :param row_errors: what reading the rows already found (CSV cells in no known syntax); a
        field named there is not named again for being absent.
    :raise ImportRowsError: naming every bad row, whichever check finds it; nothing is written.
    """
    if len(rows) > max_rows:
        raise ImportRowsError(
            [
                RowError(
                    max_rows + 1, "(body)", f"at most {max_rows} rows per import; split the file"
                )
            ]
        )
    schema = spec.schema()
    named = {(error.row, error.field) for error in row_errors}
    records, numbers, errors = [], [], list(row_errors)
    for n, raw in enumerate(rows, 1):
        if not isinstance(raw, Mapping):
            errors.append(RowError(n, "(row)", "each row must be a JSON object"))
            continue
        try:
            records.append(schema.load(raw))
            numbers.append(n)
        except ma.ValidationError as exc:
            errors += [
                RowError(n, field or "(row)", msg)
                for field, msg in _flatten(exc.messages)
                if (n, _top_field(field)) not in named
            ]
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress is not None:
        progress(len(rows) % PROGRESS_EVERY)
    if resolve_skills:
        record_type = spec.record_type
        refs = [ref for record in records for ref in skill_refs_of(record_type, record)]
        mapping = resolve_skill_names(session, refs)
        records = [with_skill_ids(record_type, record, mapping) for record in records]
    try:
        # Rows the schema refused are left out; the rest are still checked against the stored
        # data (unknown references, names taken), so one answer names every bad row.
        report = upsert_many(
            session=session,
            record_type=spec.record_type,
            records=records,
            numbers=numbers,
            progress=progress,
        )
    except ImportRowsError as exc:
        errors += exc.errors
    if errors:
        session.rollback()
        raise ImportRowsError(sorted(errors, key=lambda error: error.row))
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


def _top_field(field: str) -> str:
    """Return the top-level field of a path such as ``skills[0].level``."""
    return field.split(".", 1)[0].split("[", 1)[0]


def _request_rows(spec: ImportSpec) -> tuple[list[Any], list[RowError]]:
    """Return the rows of the request body (a JSON array, or CSV read by the spec's columns),
    and the CSV cells that could not be read."""
    if request.mimetype == "text/csv":
        try:
            text = request.get_data(as_text=False).decode("utf-8-sig")
        except UnicodeDecodeError:
            abort(422, message="The CSV body must be UTF-8.")
        return spec.parse_csv(text)
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        abort(
            422,
            message="Send a JSON array of records (application/json) or CSV (text/csv).",
        )
    return body, []


def import_request(spec: ImportSpec, args: Mapping[str, Any]) -> dict[str, Any]:
    """Import the request body's rows of ``spec``'s type, as the query arguments say."""
    rows, row_errors = _request_rows(spec)
    return import_records(
        session=db.session,
        spec=spec,
        rows=rows,
        row_errors=row_errors,
        dry_run=args["dry_run"],
        resolve_skills=args["on_unknown_skill"] == "resolve",
        max_rows=current_app.config["SKILLPATH_MAX_IMPORT_ROWS"],
    )


def request_body(spec: ImportSpec) -> dict[str, Any]:
    """Document the body an import of ``spec``'s type takes."""
    name = spec.record_type.name
    return {
        "required": True,
        "description": f"A JSON array of {name} records (as PUT takes them, with id) or CSV. "
        + spec.csv_help,
        "content": {
            "application/json": {"schema": {"type": "array", "items": spec.schema}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }


@blp.route("/v1/skills/import")
class SkillImport(MethodView):
    """Skills in bulk."""

    @requires(SKILL_IMPORT.scope)
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.doc(requestBody=request_body(SKILL_IMPORT))
    def post(self, args):
        """Import skills in bulk (all rows or none)"""
        return import_request(SKILL_IMPORT, args)


@blp.route("/v1/items/import")
class ItemImport(MethodView):
    """Catalog items in bulk."""

    @requires(ITEM_IMPORT.scope)
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.doc(requestBody=request_body(ITEM_IMPORT))
    def post(self, args):
        """Import items in bulk (all rows or none)"""
        return import_request(ITEM_IMPORT, args)


@blp.route("/v1/roles/import")
class RoleImport(MethodView):
    """Roles in bulk."""

    @requires(ROLE_IMPORT.scope)
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.doc(requestBody=request_body(ROLE_IMPORT))
    def post(self, args):
        """Import roles in bulk (all rows or none)"""
        return import_request(ROLE_IMPORT, args)


@blp.route("/v1/employees/import")
class EmployeeImport(MethodView):
    """Employee profiles in bulk."""

    @requires(EMPLOYEE_IMPORT.scope)
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.doc(requestBody=request_body(EMPLOYEE_IMPORT))
    def post(self, args):
        """Import employees in bulk (all rows or none)"""
        return import_request(EMPLOYEE_IMPORT, args)
