"""CSV bodies of the bulk imports: a header row, then one record a row, cells in short syntaxes.

A list cell separates entries with ``|``; a skill entry is ``skill:level`` (``:weight`` or
``:source`` after it where a column takes one); a completion is ``item`` or ``item@YYYY-MM-DD``;
external ids are ``key=value``. Each column's parser turns a cell into the record's value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from marshmallow import fields

from catalog.errors import ImportRowsError, RowError
from catalog.vocabulary import SKILL_SOURCES

CellParser = Callable[[str], Any]


class CellError(ValueError):
    """A CSV cell does not follow its column's syntax."""


def split(cell: str) -> list[str]:
    """Parse ``a|b|c`` into its non-empty entries."""
    return [part.strip() for part in cell.split("|") if part.strip()]


def pairs(cell: str, names: Sequence[str], column: str) -> list[dict[str, Any]]:
    """Parse ``skill:level[:more]`` entries separated by ``|`` (skill ids may contain ':')."""
    out = []
    for part in split(cell):
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


def skill_levels(column: str) -> CellParser:
    """Return a parser of ``skill:level|...`` cells of ``column``."""
    return lambda cell: pairs(cell, ("skill", "level"), column)


def competencies(cell: str) -> list[dict[str, Any]]:
    """Parse ``skill:level:weight|...``."""
    return pairs(cell, ("skill", "level", "weight"), "competencies")


def employee_skills(cell: str) -> list[dict[str, Any]]:
    """Parse ``skill:level`` or ``skill:level:source`` entries separated by ``|``."""
    entries = []
    for part in split(cell):
        head, _, last = part.rpartition(":")
        if last in SKILL_SOURCES and head.count(":"):
            entry = pairs(head, ("skill", "level"), "skills")[0]
            entry["source"] = last
        else:
            entry = pairs(part, ("skill", "level"), "skills")[0]
        entries.append(entry)
    return entries


def completions(cell: str) -> list[dict[str, Any]]:
    """Parse ``item`` or ``item@YYYY-MM-DD`` entries separated by ``|``."""
    out = []
    for part in split(cell):
        item, _, date = part.partition("@")
        out.append({"item": item, "completed_at": date or None})
    return out


def external_ids(cell: str) -> dict[str, str]:
    """Parse ``key=value`` entries separated by ``|``."""
    out = {}
    for part in split(cell):
        key, sep, value = part.partition("=")
        if not sep:
            raise CellError(f"write key=value entries separated by '|' (got {part!r})")
        out[key.strip()] = value.strip()
    return out


def number(cell: str) -> float:
    """Parse a number such as 12 or 12.5."""
    try:
        return float(cell)
    except ValueError:
        raise CellError(f"expected a number, got {cell!r}") from None


def flag(cell: str) -> bool:
    """Parse true or false, spelled as a spreadsheet may (TRUE, yes, 1, ...)."""
    if cell in fields.Boolean.truthy:
        return True
    if cell in fields.Boolean.falsy:
        return False
    raise CellError(f"expected true or false, got {cell!r}")


def integer(cell: str) -> int:
    """Parse a whole number."""
    try:
        return int(cell)
    except ValueError:
        raise CellError(f"expected a whole number, got {cell!r}") from None


def records_from_csv(
    text: str,
    *,
    parsers: Mapping[str, CellParser],
    nested: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Turn CSV text (a header row, then one record a row) into records; empty cells are absent.

    :param parsers: the parser of each column that is not plain text.
    :param nested: columns whose values go into an object field of the record, by column
        (``{"budget": "preferences"}`` puts the budget cell in ``record["preferences"]``).
    :raise ImportRowsError: naming each cell that does not follow its column's syntax.
    """
    records, errors = parse_csv(text, parsers=parsers, nested=nested)
    if errors:
        raise ImportRowsError(errors)
    return records


def parse_csv(
    text: str,
    *,
    parsers: Mapping[str, CellParser],
    nested: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Turn CSV text into one record a row, and an error for each cell no parser could read.

    A cell that fails its column's syntax is left out of its record (and a row with more cells
    than columns keeps the ones under a column), so the rest of each row can still be checked.

    :raise ImportRowsError: when the text is not CSV, or its header does not name an id column.
    """
    nested = nested or {}
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
    repeated = sorted({name for name in fieldnames if fieldnames.count(name) > 1})
    if repeated:
        # csv.DictReader would keep the last of two same-named cells without a word.
        names = ", ".join(repr(name) for name in repeated)
        raise ImportRowsError([RowError(0, "(header)", f"columns named twice: {names}")])
    records, errors = [], []
    for n, row in enumerate(rows, 1):
        if row.pop(None, None) is not None:
            message = "the row has more cells than the header has columns"
            errors.append(RowError(n, "(row)", message))
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
            if column in nested:
                record.setdefault(nested[column], {})[column] = value
            else:
                record[column] = value
        records.append(record)
    return records, errors


# What a spreadsheet reads as a formula when a cell starts with it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Return a cell value that a spreadsheet shows as text, never runs as a formula.

    Text is stored as it was sent; every CSV the service writes passes its cells through
    here, so ``=HYPERLINK(...)`` in a title reaches an admin's spreadsheet as ``'=HYPERLINK``.
    Numbers pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
