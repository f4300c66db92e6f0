"""The batch engine, through the record types of the four resources."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog import records
from catalog.employees import EMPLOYEE
from catalog.errors import (
    AlreadyExistsError,
    ConflictError,
    ImportRowsError,
    RecordError,
    RowError,
)
from catalog.items import ITEM
from catalog.models import Item, Skill
from catalog.roles import ROLE
from catalog.skills import SKILL
from catalog.version import get_catalog_version


def _upsert_errors(session, record_type, rows) -> list[tuple]:
    """Return ``(row, field, message)`` of each error the batch raises; nothing is written."""
    with pytest.raises(ImportRowsError) as caught:
        records.upsert_many(session=session, record_type=record_type, records=rows)
    session.rollback()
    return [(e.row, e.field, e.message) for e in caught.value.errors]


# A record of each type, a change to it, and whether writing it moves the catalog version.
ONE_OF_EACH = [
    pytest.param(SKILL, lambda s: s.skill_record("sql"), {"category": "data"}, True, id="skill"),
    pytest.param(ITEM, lambda s: s.item_record("course"), {"title": "New"}, True, id="item"),
    pytest.param(
        ROLE, lambda s: s.role_record("dev", {"python": 3}), {"family": "eng"}, True, id="role"
    ),
    pytest.param(
        EMPLOYEE, lambda s: s.employee_record("e-1"), {"team": "data"}, False, id="employee"
    ),
]


@pytest.mark.parametrize(("record_type", "build", "change", "moves"), ONE_OF_EACH)
def test_a_batch_reports_created_unchanged_and_updated(store, record_type, build, change, moves):
    store.skill("python")
    record = build(store)
    reports = [
        store.upsert(record_type, record),
        store.upsert(record_type, record),
        store.upsert(record_type, {**record, **change}),
    ]
    ident = record["id"]
    assert [(r.created, r.updated, r.unchanged) for r in reports] == [
        ([ident], [], []),
        ([], [], [ident]),
        ([], [ident], []),
    ]


@pytest.mark.parametrize(("record_type", "build", "change", "moves"), ONE_OF_EACH)
def test_catalog_writes_move_the_version_and_others_do_not(
    store, session, record_type, build, change, moves
):
    store.skill("python")
    before = get_catalog_version(session=session)
    store.upsert(record_type, build(store))
    assert get_catalog_version(session=session) == before + moves
    store.upsert(record_type, build(store))  # unchanged: no move
    assert get_catalog_version(session=session) == before + moves


def test_a_record_naming_skills_by_name_or_alias_in_any_order_is_unchanged(store):
    store.skill("python", "Python", aliases=["py"])
    store.skill("sql", "SQL")
    store.item("course", {"python": 3, "sql": 2})
    report = store.upsert(ITEM, store.item_record("course", {"SQL": 2, "PY": 3}))
    assert report.unchanged == ["course"]


def test_references_may_point_later_into_the_same_batch(store, session):
    store.skill("python")
    report = store.upsert(
        ITEM,
        store.item_record("advanced", requires_items=["basics"]),
        store.item_record("basics"),
    )
    assert report.created == ["advanced", "basics"]
    assert session.get(Item, "advanced").requires_items == ["basics"]


@pytest.mark.parametrize(
    ("record_type", "rows", "expected"),
    [
        pytest.param(
            ITEM,
            lambda s: [s.item_record("ok"), s.item_record("bad", {"cobol": 2})],
            [(2, "skills[0].skill", "unknown skill 'cobol'")],
            id="item-skill",
        ),
        pytest.param(
            ITEM,
            lambda s: [
                s.item_record(
                    "a", requires_items=["ghost"], prerequisites=[{"skill": "nope", "level": 1}]
                )
            ],
            [
                (1, "prerequisites[0].skill", "unknown skill 'nope'"),
                (1, "requires_items[0]", "unknown item 'ghost'"),
            ],
            id="item-prerequisite-and-requirement",
        ),
        pytest.param(
            ROLE,
            lambda s: [s.role_record("lead", {"python": 3, "rust": 2})],
            [(1, "competencies[1].skill", "unknown skill 'rust'")],
            id="role-competency",
        ),
        pytest.param(
            EMPLOYEE,
            lambda s: [
                s.employee_record("e-1"),
                s.employee_record(
                    "e-2",
                    completed=[{"item": "nope"}],
                    current_role="ghost",
                    target_roles=["dev", "boss"],
                ),
            ],
            [
                (2, "completed[0].item", "unknown item 'nope'"),
                (2, "current_role", "unknown role 'ghost'"),
                (2, "target_roles[1]", "unknown role 'boss'"),
            ],
            id="employee-item-and-roles",
        ),
    ],
)
def test_unknown_references_are_named_row_by_row(store, session, record_type, rows, expected):
    store.skill("python")
    store.role("dev", {"python": 3})
    before = session.scalar(select(func.count()).select_from(record_type.model))
    assert _upsert_errors(session, record_type, rows(store)) == expected
    assert session.scalar(select(func.count()).select_from(record_type.model)) == before


def test_an_unknown_skill_is_marked_for_suggestions(store, session):
    with pytest.raises(ImportRowsError) as caught:
        records.upsert_many(
            session=session, record_type=ITEM, records=[store.item_record("a", {"pyton": 2})]
        )
    assert caught.value.errors == [
        RowError(1, "skills[0].skill", "unknown skill 'pyton'", unknown_skill="pyton")
    ]


def test_an_id_repeated_in_a_batch_is_refused(store, session):
    rows = [store.skill_record("sql"), store.skill_record("sql", "Structured")]
    assert _upsert_errors(session, SKILL, rows) == [(2, "id", "id 'sql' already appears in row 1")]


@pytest.mark.parametrize(
    ("stored", "batch", "expected"),
    [
        pytest.param(
            {"a": [], "b": ["a"]},
            {"a": ["b"]},
            [(1, "requires_items", "requires_items would form a cycle through 'b' and 'a'")],
            id="closing-a-stored-chain",
        ),
        pytest.param(
            {},
            {"x": ["y"], "y": ["z"], "z": ["x"]},
            [(3, "requires_items", "requires_items would form a cycle through 'z' and 'x'")],
            id="within-one-batch",
        ),
        pytest.param(
            {}, {"self": ["self"]}, [(1, "requires_items", "an item cannot require itself")]
        ),
    ],
)
def test_requires_items_may_not_form_a_cycle(store, session, stored, batch, expected):
    store.skill("python")
    for ident, required in stored.items():
        store.item(ident, requires_items=required)
    rows = [store.item_record(ident, requires_items=req) for ident, req in batch.items()]
    assert _upsert_errors(session, ITEM, rows) == expected


def test_a_name_another_skill_has_is_a_conflict(store, session):
    store.skill("sql", "SQL")
    with pytest.raises(ImportRowsError) as caught:
        records.upsert_many(
            session=session, record_type=SKILL, records=[store.skill_record("db", " sql ")]
        )
    assert caught.value.errors == [
        RowError(1, "name", "skill 'sql' already has the name ' sql '", conflict=True)
    ]


@pytest.mark.parametrize("twin", ["sql", "  SQL ", "\uff33\uff31\uff2c"])
def test_a_batch_may_not_name_two_skills_alike(session, store, twin):
    rows = [store.skill_record("a", "SQL"), store.skill_record("b", twin)]
    assert _upsert_errors(session, SKILL, rows) == [
        (2, "name", f"name {twin!r} is already used in row 1")
    ]


def test_put_creates_then_replaces(store, session):
    record = store.skill_record("sql", "SQL")
    row, created = records.put(session=session, record_type=SKILL, ident="sql", data=record)
    assert (row.name, created) == ("SQL", True)
    row, created = records.put(
        session=session, record_type=SKILL, ident="sql", data={**record, "name": "Structured"}
    )
    assert (row.name, created) == ("Structured", False)


def test_put_speaks_the_domain(store, session):
    store.skill("sql", "SQL")
    clash = store.skill_record("db", "SQL")
    with pytest.raises(ConflictError, match="^skill 'sql' already has the name 'SQL'$"):
        records.put(session=session, record_type=SKILL, ident="db", data=clash)
    session.rollback()
    bad = store.item_record("c", {"sql": 2, "SQL": 3})
    with pytest.raises(RecordError, match="skill 'sql' is listed twice"):
        records.put(session=session, record_type=ITEM, ident="c", data=bad)


def test_create_refuses_a_taken_id_without_http_words(store, session):
    store.skill("sql", "SQL")
    with pytest.raises(AlreadyExistsError) as caught:
        records.create(
            session=session, record_type=SKILL, ident="sql", data=store.skill_record("sql")
        )
    assert str(caught.value) == "skill 'sql' already exists"
    assert session.scalar(select(Skill.name).where(Skill.id == "sql")) == "SQL"


@pytest.mark.parametrize(
    ("record_type", "record", "refs", "with_ids"),
    [
        (
            ITEM,
            {"skills": [{"skill": "Py"}], "prerequisites": [{"skill": "SQL"}]},
            ["Py", "SQL"],
            {"skills": [{"skill": "python"}], "prerequisites": [{"skill": "sql"}]},
        ),
        (
            ROLE,
            {"competencies": [{"skill": "Py"}]},
            ["Py"],
            {"competencies": [{"skill": "python"}]},
        ),
        (EMPLOYEE, {"skills": [{"skill": "nope"}]}, ["nope"], {"skills": [{"skill": "nope"}]}),
        (SKILL, {"name": "Py"}, [], {"name": "Py"}),
    ],
)
def test_skill_references_are_listed_and_replaced_by_field(record_type, record, refs, with_ids):
    mapping = {"Py": "python", "SQL": "sql"}
    assert records.skill_refs_of(record_type, record) == refs
    assert records.with_skill_ids(record_type, record, mapping) == with_ids
