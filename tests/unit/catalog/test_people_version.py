"""The people version: moved by the commit of any write to employees or their evidence, by
objects and by bulk statements alike, and by nothing else."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, update

from catalog.models import Completion, Employee, EmployeeSkill, Skill
from catalog.version import get_people_version


def _moved(session, write) -> int:
    before = get_people_version(session=session)
    session.commit()
    write()
    session.commit()
    return get_people_version(session=session) - before


def test_writes_of_people_move_it_once_per_commit_and_others_do_not(session, store):
    store.skill("python")
    store.item("py-101", {"python": 3})
    store.employee("ada")
    assert get_people_version(session=session) == 1  # the employee, not the skill or item
    # Objects: one commit of several writes moves it once.
    ada = session.get(Employee, "ada")

    def rename():
        ada.display_name = "Ada"
        ada.skills.append(EmployeeSkill(skill_id="python", level=2, source="self"))

    assert _moved(session, rename) == 1
    # Bulk statements on each people table.
    day = dt.date(2026, 1, 5)
    completions = [{"employee_id": "ada", "item_id": "py-101", "completed_at": day}]
    assert _moved(session, lambda: session.execute(insert(Completion), completions)) == 1
    bump = update(EmployeeSkill).values(level=3).where(EmployeeSkill.employee_id == "ada")
    assert _moved(session, lambda: session.execute(bump)) == 1
    assert _moved(session, lambda: session.execute(delete(Completion))) == 1
    # Neither reads nor writes of other tables.
    assert _moved(session, lambda: session.get(Employee, "ada").skills) == 0
    retitle = update(Skill).values(name="Python 3").where(Skill.id == "python")
    assert _moved(session, lambda: session.execute(retitle)) == 0


def test_a_rolled_back_write_moves_nothing_and_a_savepoint_keeps_the_earlier_mark(session, store):
    store.employee("ada")
    before = get_people_version(session=session)
    session.get(Employee, "ada").team = "red"
    session.flush()
    session.rollback()
    session.commit()
    assert get_people_version(session=session) == before
    # A write, then a savepoint rolled back: the write still commits, and still moves it.
    session.get(Employee, "ada").team = "blue"
    session.flush()
    nested = session.begin_nested()
    session.add(Employee(id="bo", preferences={}))
    session.flush()
    nested.rollback()
    session.commit()
    assert session.get(Employee, "ada").team == "blue"
    assert get_people_version(session=session) == before + 1
