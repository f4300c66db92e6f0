"""Catalog pages: search with the API's filters, and an item editor that never loses a change.

The editor sends the ETag of the version it showed; saving over a newer version is refused
with a message, as ``If-Match`` refuses it in the API, and nothing is written.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort, render_template, request

from catalog import records
from catalog.errors import CatalogError
from catalog.items import ITEM, list_items
from catalog.vocabulary import ITEM_KINDS, MODALITIES
from service.api import _flatten
from service.console.base import blp, require
from service.csv_records import CellError
from service.db import db
from service.etag import etag_of
from service.imports import ITEM_IMPORT
from service.items import ItemPatchSchema, ItemQueryArgsSchema, ItemSchema

PAGE_SIZE = 25
# The fields the editor shows, in its order; list fields are written as the CSV columns are.
EDITED = (
    "title",
    "kind",
    "modality",
    "provider",
    "url",
    "language",
    "duration_hours",
    "cost",
    "currency",
    "valid_months",
    "skills",
    "prerequisites",
    "description",
)
OPTIONAL_TEXT = {"provider", "url", "description", "valid_months"}
LISTS = {"skills", "prerequisites"}
STALE = (
    "Someone changed this item after you opened it, so your changes were not saved. "
    "The form now shows the current version: make your changes again."
)


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@blp.get("/catalog")
def catalog():
    """Search the catalog with the API's filters."""
    require()
    raw = {k: v for k, v in request.args.items() if v and k != "page"}
    errors: list[tuple[str, str]] = []
    try:
        filters = ItemQueryArgsSchema().load(raw)
    except ma.ValidationError as exc:
        errors = list(_flatten(exc.messages))
        filters = {}
    page = _page_number()
    try:
        found = list_items(session=db.session, page=page, page_size=PAGE_SIZE, **filters)
    except CatalogError as exc:
        errors.append(("skill", str(exc)))
        found = list_items(session=db.session, page=page, page_size=PAGE_SIZE)
    return render_template(
        "ui/catalog.html",
        found=found,
        page=page,
        pages=max(1, -(-found.total // PAGE_SIZE)),
        args=raw,
        errors=errors,
        kinds=ITEM_KINDS,
        modalities=MODALITIES,
    )


def form_values(item: dict[str, Any]) -> dict[str, str]:
    """Return a dumped item's edited fields as the form's text shows them."""
    values = {}
    for name in EDITED:
        value = item.get(name)
        if name in ("skills", "prerequisites"):
            value = "|".join(f"{row['skill']}:{row['level']}" for row in value or ())
        values[name] = "" if value is None else str(value)
    values["active"] = "true" if item.get("active") else ""
    return values


def changes_from_form(form) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Read the editor's fields into a merge patch, as the CSV columns read them."""
    changes: dict[str, Any] = {}
    errors = []
    for name in EDITED:
        text = form.get(name, "").strip()
        if not text and name in OPTIONAL_TEXT:
            changes[name] = None
            continue
        if not text and name in LISTS:
            changes[name] = []
            continue
        parse = ITEM_IMPORT.cell_parsers.get(name)
        try:
            changes[name] = parse(text) if parse and text else text
        except CellError as exc:
            errors.append((name, str(exc)))
    changes["active"] = form.get("active") == "true"
    return changes, errors


def save_item(*, item_id: str, seen_etag: str, changes: dict[str, Any]) -> tuple[Any, str | None]:
    """Apply an edit to the version the editor showed; return the item and what went wrong.

    The item is locked while the ETags are compared, so of two editors who opened the same
    version only the first saves; the second is told the item changed.
    """
    schema = ItemSchema()
    current = records.get(session=db.session, record_type=ITEM, ident=item_id, for_update=True)
    if current is None:
        abort(404, description=f"There is no catalog item {item_id!r}.")
    if etag_of(schema.dump(current)) != seen_etag:
        return current, STALE
    try:
        patch = ItemPatchSchema(partial=True).load(changes)
        state = ITEM.state(current)
        state.update(patch)
        problems = schema.validate(schema.dump(state), partial=("id",))
        if problems:
            raise ma.ValidationError(problems)
        row, _ = records.put(session=db.session, record_type=ITEM, ident=item_id, data=state)
    except ma.ValidationError as exc:
        db.session.rollback()
        return None, "; ".join(f"{field}: {message}" for field, message in _flatten(exc.messages))
    except CatalogError as exc:
        db.session.rollback()
        return None, str(exc)
    db.session.commit()
    return row, None


@blp.route("/catalog/<item_id>", methods=["GET", "POST"])
def item(item_id: str):
    """Show a catalog item; with ``catalog:write``, edit it."""
    require()
    schema = ItemSchema()
    row = records.get(session=db.session, record_type=ITEM, ident=item_id)
    if row is None:
        abort(404, description=f"There is no catalog item {item_id!r}.")
    status, message, error, values = 200, None, None, None
    if request.method == "POST":
        require("catalog:write")
        changes, errors = changes_from_form(request.form)
        if errors:
            error = "; ".join(f"{field}: {text}" for field, text in errors)
        else:
            saved, error = save_item(
                item_id=item_id, seen_etag=request.form.get("etag", ""), changes=changes
            )
            if error == STALE:
                row, status = saved, 409
            elif error is None:
                row, message = saved, "Saved."
        if error and status != 409:
            status, values = 422, {name: request.form.get(name, "") for name in EDITED}
            values["active"] = request.form.get("active", "")
            row = records.get(session=db.session, record_type=ITEM, ident=item_id)
    dumped = schema.dump(row)
    return (
        render_template(
            "ui/item.html",
            item=dumped,
            etag=etag_of(dumped),
            values=values or form_values(dumped),
            message=message,
            error=error,
            kinds=ITEM_KINDS,
            modalities=MODALITIES,
        ),
        status,
    )
