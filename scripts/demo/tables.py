"""Read the curated tables in ``data/``; the helpers every part of the demo builder shares."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


class DemoDataError(RuntimeError):
    """The curated tables disagree with the source data or each other; the message says where."""


def read_json(name: str) -> Any:
    """Return the parsed contents of the JSON table ``name``."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def read_csv(name: str) -> list[dict[str, str]]:
    """Return the rows of the CSV table ``name`` as mappings from its header's column names.

    :raise DemoDataError: if a row has more or fewer cells than the header has columns.
    """
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            if None in row or None in row.values():
                raise DemoDataError(f"{name}, line {reader.line_num}: not one cell per column")
            rows.append(row)
    return rows


def split(cell: str) -> list[str]:
    """Return the entries of a list cell, separated by ``|`` as in the CSV bulk imports."""
    return cell.split("|") if cell else []


def levels(cell: str) -> list[dict[str, Any]]:
    """Return ``skill:level|skill:level`` as ``[{"skill": ..., "level": ...}, ...]``, in order."""
    entries = []
    for entry in split(cell):
        skill, _, level = entry.rpartition(":")
        entries.append({"skill": skill, "level": int(level)})
    return entries


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Index records by id."""
    return {record["id"]: record for record in records}
