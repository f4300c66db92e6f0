"""The people version: moved by the commit of any write to employees or their evidence, by
objects and by bulk statements alike, and by nothing else."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import delete, insert, update

from catalog.db import make_engine, make_sessionmaker
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


def test_writers_moving_it_for_the_first_time_at_once_all_count(database_url):
    """Each first write races to create the counter row; every one commits and counts."""
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    writers = 6
    barrier = threading.Barrier(writers)
    failures: list[BaseException] = []
    # PostgreSQL writers meet with their rows written, so all reach the counter together;
    # SQLite lets one writer at a time past its first write, so there they meet before it.
    meet_after_flush = engine.dialect.name == "postgresql"

    def write(n: int) -> None:
        try:
            with factory() as session:
                if not meet_after_flush:
                    barrier.wait(timeout=10)
                session.add(Employee(id=f"e{n}", preferences={}))
                session.flush()
                if meet_after_flush:
                    barrier.wait(timeout=10)
                session.commit()
        except BaseException as error:  # collected for the assert below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with factory() as session:
        assert failures == []
        assert get_people_version(session=session) == writers
    engine.dispose()
