"""One read-only statement outside a session's transaction, or inside the one it has."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, text
from sqlalchemy.orm import Session

from catalog import records
from catalog.db import make_engine, make_sessionmaker, read_alone, writer
from catalog.skills import SKILL
from tests.unit.catalog.conftest import skill_record


def _names(dialect) -> tuple[str, dict | tuple]:
    """Every skill's id, in the dialect's parameter style (a bound value, so styles matter)."""
    if dialect.paramstyle == "pyformat":  # psycopg
        return "SELECT id FROM skills WHERE id >= %(prefix)s ORDER BY id", {"prefix": ""}
    return "SELECT id FROM skills WHERE id >= ? ORDER BY id", ("",)  # sqlite3: qmark


def _add_skill(session: Session, ident: str) -> None:
    """Write a skill in the session's transaction, uncommitted."""
    records.upsert_many(session=session, record_type=SKILL, records=[skill_record(ident)])


def test_a_fresh_reader_reads_without_beginning_a_transaction(session: Session) -> None:
    _add_skill(session, "python")
    session.commit()

    assert read_alone(session, _names) == [("python",)]
    # Nothing was begun: the session stays as free as before the read.
    assert not session.in_transaction()


def test_a_session_in_a_transaction_reads_its_own_uncommitted_rows(session: Session) -> None:
    _add_skill(session, "python")  # in the session's transaction, not committed

    assert read_alone(session, _names) == [("python",)]
    session.rollback()
    assert read_alone(session, _names) == []


def test_a_writer_session_reads_in_its_own_transaction(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(writer(engine))() as session:
            assert read_alone(session, _names) == []
            # The read began the writer's unit of work (on SQLite, with the write lock).
            assert session.in_transaction()
    finally:
        engine.dispose()


def test_a_reader_sees_what_other_sessions_committed_at_each_read(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    try:
        with factory() as reader, factory() as other:
            assert read_alone(reader, _names) == []
            _add_skill(other, "sql")
            other.commit()
            assert read_alone(reader, _names) == [("sql",)]
    finally:
        engine.dispose()


def test_driver_errors_come_out_as_sqlalchemy_errors(session: Session) -> None:
    with pytest.raises(exc.DBAPIError) as raised:
        read_alone(session, lambda dialect: ("SELECT id FROM no_such_table", ()))
    assert "no_such_table" in str(raised.value)
    # The session is still usable afterwards: the pooled connection went back clean.
    assert session.execute(text("SELECT 1")).scalar() == 1
