"""CSV bodies of the bulk imports: cell syntaxes, and the errors of malformed files."""

from __future__ import annotations

import pytest

from catalog.errors import ImportRowsError
from service import csv_records as cells
from service.imports import EMPLOYEE_IMPORT, ITEM_IMPORT, ROLE_IMPORT, SKILL_IMPORT


def _errors(read, text: str) -> list[tuple]:
    with pytest.raises(ImportRowsError) as caught:
        read(text)
    return [(e.row, e.field, e.message) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("cell", "names", "expected"),
    [
        ("python:3", ("skill", "level"), [{"skill": "python", "level": 3}]),
        (
            " python:3 | sql:2 |",
            ("skill", "level"),
            [{"skill": "python", "level": 3}, {"skill": "sql", "level": 2}],
        ),
        # Skill ids may hold ':'; the level is what follows the last one.
        ("esco:skill:42:4", ("skill", "level"), [{"skill": "esco:skill:42", "level": 4}]),
        (
            "aws:4:0.5|k8s:3:1",
            ("skill", "level", "weight"),
            [
                {"skill": "aws", "level": 4, "weight": 0.5},
                {"skill": "k8s", "level": 3, "weight": 1.0},
            ],
        ),
    ],
)
def test_pairs(cell, names, expected):
    assert cells.pairs(cell, names, "skills") == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("python", "write skill:level entries separated by '|' (got 'python')"),
        ("python:three", "levels are whole numbers and weights numbers in skills"),
    ],
)
def test_bad_pairs(cell, message):
    with pytest.raises(cells.CellError) as caught:
        cells.pairs(cell, ("skill", "level"), "skills")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("python:3", [{"skill": "python", "level": 3}]),
        ("python:3:manager", [{"skill": "python", "level": 3, "source": "manager"}]),
        # "self" after a skill id holding ':' is still a source...
        ("a:b:2:self", [{"skill": "a:b", "level": 2, "source": "self"}]),
        # ...and a last part that is no source is the level.
        ("onet:2.A.1:4", [{"skill": "onet:2.A.1", "level": 4}]),
    ],
)
def test_employee_skills(cell, expected):
    assert cells.employee_skills(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("aws-saa", [{"item": "aws-saa", "completed_at": None}]),
        (
            "aws-saa@2025-03-01|k8s-101",
            [
                {"item": "aws-saa", "completed_at": "2025-03-01"},
                {"item": "k8s-101", "completed_at": None},
            ],
        ),
    ],
)
def test_completions(cell, expected):
    assert cells.completions(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("esco=http://data.europa.eu/esco/skill/1", {"esco": "http://data.europa.eu/esco/skill/1"}),
        ("esco = x | onet=2.A.1.a", {"esco": "x", "onet": "2.A.1.a"}),
        ("wiki=a=b", {"wiki": "a=b"}),
    ],
)
def test_external_ids(cell, expected):
    assert cells.external_ids(cell) == expected


@pytest.mark.parametrize(
    ("spec", "text", "expected"),
    [
        (
            SKILL_IMPORT,
            "id,name,aliases,category\nsql,SQL,Structured Query Language|sequel,\n",
            [{"id": "sql", "name": "SQL", "aliases": ["Structured Query Language", "sequel"]}],
        ),
        (
            ITEM_IMPORT,
            "id,title,skills,requires_items,valid_months,active\n"
            'c1,"Intro, part 1",sql:2,c0,24,true\n',
            [
                {
                    "id": "c1",
                    "title": "Intro, part 1",
                    "skills": [{"skill": "sql", "level": 2}],
                    "requires_items": ["c0"],
                    "valid_months": 24,
                    "active": True,
                }
            ],
        ),
        (
            ROLE_IMPORT,
            "id,title,competencies\ndev,Developer,sql:3:0.5\n",
            [
                {
                    "id": "dev",
                    "title": "Developer",
                    "competencies": [{"skill": "sql", "level": 3, "weight": 0.5}],
                }
            ],
        ),
        (
            EMPLOYEE_IMPORT,
            "id,team,skills,completed,hours_per_week,languages\n"
            "e-1,data,sql:2:manager,c1@2025-01-31,4,en|de\n"
            "e-2,,,,,\n",
            [
                {
                    "id": "e-1",
                    "team": "data",
                    "skills": [{"skill": "sql", "level": 2, "source": "manager"}],
                    "completed": [{"item": "c1", "completed_at": "2025-01-31"}],
                    "preferences": {"hours_per_week": 4.0, "languages": ["en", "de"]},
                },
                {"id": "e-2"},  # empty cells are absent
            ],
        ),
    ],
)
def test_rows_become_records(spec, text, expected):
    assert spec.read_csv(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id,skills,valid_months\nc1,sql,12\nc2,sql:2,a year\n",
            [
                (1, "skills", "write skill:level entries separated by '|' (got 'sql')"),
                (2, "valid_months", "expected a whole number, got 'a year'"),
            ],
        ),
        (
            "id,title\nc1,One\nc2,Two,extra\n",
            [(2, "(row)", "the row has more cells than the header has columns")],
        ),
        (
            "title,skills\nOne,sql:2\n",
            [(0, "(header)", "the first row must name columns, id among them")],
        ),
        ("", [(0, "(header)", "the first row must name columns, id among them")]),
    ],
)
def test_malformed_files_name_each_bad_cell(text, expected):
    assert _errors(ITEM_IMPORT.read_csv, text) == expected


def test_text_the_csv_module_cannot_read_is_refused_whole():
    [(row, field, message)] = _errors(ITEM_IMPORT.read_csv, "id,title\nc1," + "x" * 200_000)
    assert (row, field) == (0, "(body)")
    assert message.endswith("is not CSV: field larger than field limit (131072)")
