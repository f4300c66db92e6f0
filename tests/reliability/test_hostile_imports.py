"""Hostile rows and files sent to the imports, as JSON arrays and as CSV.

Many hostile rows go in one request: all are stored as sent, or a 422 names exactly the bad
rows (and the field or column) and stores none of them; the rows it did not name are then sent
alone and must be taken whole. CSV cells are those a spreadsheet, an export from another system
or an attacker writes (formulas, RTL overrides, NUL); spoiled CSV files are refused whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from tests.reliability import hostile
from tests.reliability.conftest import Answer
from tests.reliability.corpus import Corpus, names
from tests.reliability.hostile import dumps, show
from tests.reliability.hostile_corpus import (
    BUILDERS,
    RECENT,
    RESOURCES,
    assert_no_problems,
    check_answer,
    json_schema,
)
from tests.reliability.hostile_fixtures import *  # noqa: F403 - the fixtures its tests take

pytestmark = pytest.mark.reliability


# -- JSON imports: many hostile rows in one request; a 422 must name each bad one ----------------


def rows_not_named(
    corpus: Corpus,
    what: str,
    answer: Answer,
    rows: list[Any],
    field_: str,
    same: Callable[[str, str], bool] = names,
) -> list[Any]:
    """Check a 422 to an import: each error names a row sent and ``field_``, nothing is stored.

    Return the rows it did not name: sent again alone, they must be taken whole.
    """
    corpus.check_problem(what, answer)
    errors = (answer.body or {}).get("errors") or []
    named = {e.get("row") for e in errors}
    for error in errors:
        given = error.get("field", "")
        if not isinstance(error.get("row"), int) or not 1 <= error["row"] <= len(rows):
            corpus.problem(what, f"an error names no row that was sent: {error}")
        elif not same(given, field_):
            corpus.problem(what, f"row {error['row']}: names {given!r}, not {field_}")
    corpus.unchanged(what)
    return [row for n, row in enumerate(rows, 1) if n not in named]


def import_batch(corpus: Corpus, what: str, path: str, rows: list[Any], field_: str) -> None:
    """Send rows in one import: all stored, or a 422 naming exactly the bad rows and nothing stored.

    The rows a 422 does not name are then sent alone: they must be taken whole.
    """
    sent = dumps(rows)
    answer = corpus.send(what, "POST", path, raw=sent.encode())
    if answer is None:
        return
    if answer.status != 422:
        check_answer(
            corpus, what, answer, text_sent=sent, method="POST", template=path, read_back=None,
            fields=(field_,),
        )  # fmt: skip
        return
    rest = rows_not_named(corpus, what, answer, rows, field_)
    if rest:
        again = dumps(rest)
        what += " (the rows the 422 did not name)"
        answer = corpus.send(what, "POST", path, raw=again.encode())
        if answer is not None and answer.status != 200:
            corpus.problem(what, f"{answer.status}: {str(answer.body)[:300]}")
        check_answer(
            corpus, what, answer, text_sent=again, method="POST", template=path, read_back=None,
        )  # fmt: skip


@pytest.mark.parametrize("kind", RESOURCES)
def test_json_imports_name_every_bad_row_and_store_none_of_them(
    corpus: Corpus, document, fixed_records, kind
):
    """Every field of an import row x its hostile values, one row each, in one import per field."""
    start = len(corpus.tally.problems)
    path = f"/v1/{kind}/import"
    operation = document["paths"][path]["post"]
    row_schema = json_schema(operation)["items"]
    for field_ in hostile.fields_of(row_schema, document):
        values = hostile.hostile_values(field_)
        batch = [(label, value) for label, value in values if hostile.plain(value)]
        rows = [hostile.replaced(BUILDERS[kind](corpus.fresh()), field_.path, v) for _, v in batch]
        import_batch(corpus, f"POST {path} rows with {field_}=hostile", path, rows, str(field_))
        for label, value in values:
            if (label, value) in batch:
                continue
            row = hostile.replaced(BUILDERS[kind](corpus.fresh()), field_.path, value)
            sent = dumps([row])
            what = f"POST {path} [0].{field_}={label}"
            answer = corpus.send(what, "POST", path, raw=sent.encode())
            check_answer(
                corpus, what, answer, text_sent=sent, method="POST", template=path,
                read_back=None, fields=(str(field_),),
            )  # fmt: skip
    unknown = [
        (obj + ("unknown_field",))
        for obj in hostile.objects_of(row_schema, document)
        if hostile.has(BUILDERS[kind](0), obj)
    ]
    rows = [hostile.replaced(BUILDERS[kind](corpus.fresh()), u, 0) for u in unknown]
    for row, u in zip(rows, unknown, strict=True):
        import_batch(corpus, f"POST {path} unknown field {show(u)}", path, [row], show(u))
    assert_no_problems(corpus, start)


# -- CSV imports ---------------------------------------------------------------------------------

# Every documented CSV column of each import, as a cell of a valid row.
CSV_ROWS: dict[str, Callable[[int], dict[str, str]]] = {
    "skills": lambda n: {
        "id": f"h.csv.skill.{n}",
        "name": f"CSV skill {n}",
        "aliases": f"csv alias {n}|other alias {n}",
        "category": "corpus",
        "description": "From a spreadsheet.",
        "external_ids": f"esco=http://data.europa.eu/esco/skill/c{n}",
    },
    "items": lambda n: {
        "id": f"h.csv.item.{n}",
        "kind": "course",
        "title": f"CSV course {n}",
        "description": "From a spreadsheet.",
        "provider": "Corpus Academy",
        "url": f"https://learn.example.com/csv/{n}",
        "language": "en",
        "modality": "blended",
        "duration_hours": "8",
        "cost": "99.5",
        "currency": "USD",
        "skills": "seed.a:3|seed.b:2",
        "prerequisites": "seed.p:1",
        "requires_items": "seed.item",
        "valid_months": "12",
        "active": "true",
    },
    "roles": lambda n: {
        "id": f"h.csv.role.{n}",
        "title": f"CSV role {n}",
        "description": "From a spreadsheet.",
        "family": "corpus",
        "alternate_titles": f"CSV title {n}|Other title {n}",
        "external_ids": "onet=15-1252.00",
        "competencies": "seed.a:3:0.5|seed.b:2:1",
    },
    "employees": lambda n: {
        "id": f"h.csv.employee.{n}",
        "display_name": f"CSV employee {n}",
        "team": "corpus",
        "current_role": "seed.role",
        "target_roles": "seed.role",
        "skills": "seed.a:2:manager|seed.b:1",
        "completed": f"seed.item@{RECENT}",
        "hours_per_week": "4",
        "budget": "800",
        "modalities": "self_paced|blended",
        "languages": "en|de",
    },
}
# Cells a spreadsheet, an export from another system or an attacker puts in a CSV import.
CELLS: list[tuple[str, str]] = [
    ("formula", hostile.FORMULA),
    ("formula +", "+1+2"),
    ("formula -", "-3+4"),
    ("formula @", "@SUM(1,2)"),
    ("DDE", "=cmd|' /C calc'!A0"),
    ("RTL override", "\u202egnp.exe"),
    ("zero-width joiners", "zw\u200dj\u200b"),
    ("control characters", "ctl\x01\x1b[2J"),
    ("NUL", "a\x00b"),
    ("10,000 characters", hostile.LONG),
    ("quotes", 'say "hi"'),
    ("line break", "two\nlines"),
    ("comma", "a,b"),
    ("empty", ""),
    ("dot dot", ".."),
    ("import", "import"),
    ("slash", "a/b"),
    ("bar", "|"),
    ("colons", "::"),
    ("nan", "nan"),
    ("1e309", "1e309"),
    ("-0", "-0"),
    ("Arabic-Indic three", "\u0663"),
]


def csv_columns(operation: dict[str, Any]) -> list[str]:
    """Return the CSV columns an import's documented request body names."""
    description = operation["requestBody"]["description"]
    listed = description.split("Columns:", 1)[1].rstrip(".")
    return [re.match(r"\s*([a-z_]+)", part).group(1) for part in re.split(r",(?![^(]*\))", listed)]


def csv_body(rows: list[dict[str, str]]) -> bytes:
    """Write rows as CSV under a header of their columns, as a spreadsheet would export them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def csv_expected(schema: dict[str, Any], document, row: dict[str, str]) -> dict[str, Any]:
    """Return what a GET must show for the plain-text and list columns of an accepted CSV row.

    Cells are trimmed and empty ones left out; a list cell separates entries with ``|``.
    Columns in other syntaxes (``skill:level``, ``key=value``, numbers) are not compared.
    """
    properties = hostile.resolve(schema, document)["properties"]
    expected: dict[str, Any] = {}
    for column, cell in row.items():
        declared = hostile.resolve(properties.get(column, {}), document)
        if not cell.strip():
            continue
        if declared.get("type") == "string" and "format" not in declared:
            expected[column] = cell.strip()
        elif declared.get("type") == "array" and declared["items"].get("type") == "string":
            expected[column] = [part.strip() for part in cell.split("|") if part.strip()]
    return expected


def names_column(error_field: str, column: str) -> bool:
    """Tell whether a CSV import's error names ``column``, as it is or after a leading part."""
    return names(error_field, column) or names(error_field.split(".", 1)[-1], column)


def csv_import(
    corpus: Corpus, what: str, path: str, rows: list[dict[str, str]], column: str, schema, document
) -> None:
    """Send CSV rows in one import: stored as sent, or a 422 naming each bad row and column."""
    kind = path.split("/")[2]
    answer = corpus.send(what, "POST", path, raw=csv_body(rows), content_type="text/csv")
    if answer is None:
        return
    if answer.status == 422:
        rows = rows_not_named(corpus, what, answer, rows, column, same=names_column)
        if not rows:
            return
        what += " (the rows the 422 did not name)"
        answer = corpus.send(what, "POST", path, raw=csv_body(rows), content_type="text/csv")
        if answer is None:
            return
    if answer.status != 200:
        corpus.problem(what, f"{answer.status}: {str(answer.body)[:300]}")
        corpus.refused(what, answer)
        return
    for row in rows:
        stored = f"/v1/{kind}/{quote(row['id'].strip(), safe='')}"
        corpus.stored(what, stored, csv_expected(schema, document, row))


@pytest.mark.parametrize("kind", RESOURCES)
def test_csv_imports_store_formula_cells_as_sent_and_name_every_bad_cell(
    corpus: Corpus, document, fixed_records, kind
):
    """Every documented CSV column x hostile cells (formulas, RTL, NUL, ...), one row each."""
    start = len(corpus.tally.problems)
    path = f"/v1/{kind}/import"
    operation = document["paths"][path]["post"]
    schema = json_schema(operation)["items"]
    columns = csv_columns(operation)
    assert columns == list(CSV_ROWS[kind](0)), "the documented columns and the valid row differ"
    for column in columns:
        rows = []
        for _, cell in CELLS:
            row = CSV_ROWS[kind](corpus.fresh())
            row[column] = cell
            rows.append(row)
        csv_import(
            corpus, f"POST {path} CSV {column}=hostile", path, rows, column, schema, document
        )
    assert_no_problems(corpus, start)


def csv_files(valid: bytes) -> list[tuple[str, bytes, int]]:
    """Return labelled CSV files, spoiled in one way each, and the status they must get."""
    header, _, rest = valid.partition(b"\r\n")
    first = header.split(b",")[0]
    long_cell = b"x" * 200_000
    many = b"id,name\r\n" + b"".join(b"r%d,R %d\r\n" % (n, n) for n in range(20_001))
    return [
        ("empty", b"", 422),
        ("header only", header + b"\r\n", 200),
        ("a column named twice", header + b"," + first + b"\r\n" + rest, 422),
        ("no id column", header.replace(b"id,", b"ident,", 1) + b"\r\n" + rest, 422),
        ("more cells than columns", valid + b"x,y" + b",z" * header.count(b",") + b"\r\n", 422),
        ("unterminated quote", valid + b'"never closed', 422),
        ("invalid UTF-8", valid.replace(b"\r\n", b"\xff\r\n", 2), 422),
        ("UTF-16", valid.decode().encode("utf-16"), 422),
        (
            "a formula for a column name",
            header + b',"=HYPERLINK(""x"")"\r\n' + rest.replace(b"\r\n", b",1\r\n", 1),
            422,
        ),
        ("NUL in the header", header.replace(b"id", b"i\x00d", 1) + b"\r\n" + rest, 422),
        ("a cell over the CSV field limit", header + b"\r\n" + long_cell + b"\r\n", 422),
        ("20,001 rows", many, 422),
    ]


@pytest.mark.parametrize("kind", RESOURCES)
def test_spoiled_csv_files_are_refused_whole(corpus: Corpus, document, fixed_records, kind):
    """Files a spreadsheet or a careless script writes: duplicate columns, bad encodings, ..."""
    start = len(corpus.tally.problems)
    path = f"/v1/{kind}/import"
    for label, raw, status in csv_files(csv_body([CSV_ROWS[kind](corpus.fresh())])):
        what = f"POST {path} CSV file: {label}"
        answer = corpus.send(what, "POST", path, raw=raw, content_type="text/csv")
        if answer is None:
            continue
        if answer.status != status:
            corpus.problem(
                what, f"answered {answer.status}, not {status}: {str(answer.body)[:200]}"
            )
        if answer.status >= 300:
            corpus.refused(what, answer)
        else:
            corpus.unchanged(what)  # a header alone imports nothing
    valid = csv_body([CSV_ROWS[kind](corpus.fresh())])
    for query, status in (
        ("dry_run=true", 200),
        ("dry_run=maybe", 422),
        ("on_unknown_skill=guess", 422),
    ):
        what = f"POST {path}?{query}"
        answer = corpus.send(what, "POST", f"{path}?{query}", raw=valid, content_type="text/csv")
        if answer is None:
            continue
        if answer.status != status:
            corpus.problem(what, f"answered {answer.status}, not {status}")
        if answer.status >= 300:
            corpus.refused(what, answer)
        else:
            corpus.unchanged(what)  # a dry run writes nothing
    assert_no_problems(corpus, start)
