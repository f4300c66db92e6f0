"""Tombstones: deletes leave them in the same transaction; the feed lists them in order."""

from __future__ import annotations

import datetime as dt

from catalog.changes import list_deletions, record_deletion
from catalog.employees import erase_employee
from catalog.roles import delete_role
from catalog.skills import delete_skill


def test_deletes_write_tombstones_listed_oldest_first(session, store):
    store.skill("cobol")
    store.role("r", {"cobol": 2})
    store.employee("e1")
    erase_employee(session=session, employee_id="e1")
    delete_role(session=session, role_id="r")
    delete_skill(session=session, skill_id="cobol")
    session.flush()
    page = list_deletions(
        session=session, page=1, page_size=10, types={"skill", "role", "employee"}
    )
    assert [(t.record_type, t.record_id) for t in page.items] == [
        ("employee", "e1"),
        ("role", "r"),
        ("skill", "cobol"),
    ]
    only = list_deletions(session=session, page=1, page_size=10, types={"skill"})
    assert [t.record_id for t in only.items] == ["cobol"]


def test_since_keeps_later_deletions(session):
    first = record_deletion(session=session, record_type="skill", record_id="a")
    session.flush()
    record_deletion(session=session, record_type="skill", record_id="b")
    session.flush()
    page = list_deletions(
        session=session, page=1, page_size=10, types={"skill"}, since=first.deleted_at
    )
    assert [t.record_id for t in page.items] == ["b"]
    everything = list_deletions(
        session=session,
        page=1,
        page_size=10,
        types={"skill"},
        since=first.deleted_at - dt.timedelta(1),
    )
    assert everything.total == 2
