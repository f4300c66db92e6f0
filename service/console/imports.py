"""The bulk import page: paste or upload CSV or JSON, preview it as a dry run, then import.

The rows go through the API's own import (:func:`service.imports.import_records`), so the
preview names exactly the row errors the API would, and a dry run writes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, render_template, request

from catalog.errors import ImportRowsError, RowError
from service.console.base import blp, may, require
from service.db import db
from service.imports import IMPORTS, import_records

SPECS = {spec.plural: spec for spec in IMPORTS}


def _rows(spec, text: str) -> tuple[list[Any], list[RowError]]:
    """Read pasted or uploaded text as a JSON array or, failing that, as CSV."""
    if text.lstrip().startswith("["):
        try:
            return json.loads(text), []
        except json.JSONDecodeError as exc:
            raise ImportRowsError([RowError(0, "(body)", f"not JSON: {exc}")]) from None
    return spec.parse_csv(text)


@blp.route("/import", methods=["GET", "POST"])
def bulk_import():
    """Preview a bulk import (dry run) or run it; every row error shows before a write."""
    require()
    allowed = [plural for plural, spec in SPECS.items() if may(spec.scope)]
    context: dict[str, Any] = {"allowed": allowed, "specs": SPECS, "kind": "items", "text": ""}
    status = 200
    if request.method == "POST":
        kind = request.form.get("kind", "")
        if kind not in SPECS:
            return render_template("ui/import.html", **context, error="Choose what to import."), 422
        spec = SPECS[kind]
        require(spec.scope)
        upload = request.files.get("file")
        text = request.form.get("text", "")
        if upload and upload.filename:
            text = upload.read().decode("utf-8-sig", errors="replace")
        dry_run = request.form.get("action") != "import"
        context.update(kind=kind, text=text, dry_run=dry_run)
        try:
            rows, row_errors = _rows(spec, text)
            if not isinstance(rows, list):
                raise ImportRowsError([RowError(0, "(body)", "send a JSON array of records")])
            context["report"] = import_records(
                session=db.session,
                spec=spec,
                rows=rows,
                row_errors=row_errors,
                dry_run=dry_run,
                max_rows=current_app.config["SKILLPATH_MAX_IMPORT_ROWS"],
            )
        except ImportRowsError as exc:
            db.session.rollback()
            context["row_errors"] = exc.errors
            status = 422
    return render_template("ui/import.html", **context), status
