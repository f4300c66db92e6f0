"""Fixtures of the catalog tests: a session on a fresh, migrated database, and a record writer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from catalog import records
from catalog.db import make_engine, make_sessionmaker
from catalog.employees import EMPLOYEE
from catalog.items import ITEM
from catalog.records import RecordType, UpsertReport
from catalog.roles import ROLE
from catalog.skills import SKILL


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """Return a session on an empty, migrated database of the parametrized backend."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def skill_record(ident: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    """Return a skill record in the shape the API loads it."""
    return {
        "id": ident,
        "name": name or ident.title(),
        "aliases": [],
        "category": None,
        "description": None,
        "external_ids": {},
        **fields,
    }


def item_record(ident: str, skills: dict[str, int] | None = None, **fields: Any) -> dict[str, Any]:
    """Return a course record in the shape the API loads it."""
    return {
        "id": ident,
        "kind": "course",
        "title": f"Course {ident}",
        "description": None,
        "provider": None,
        "url": None,
        "language": "en",
        "modality": "self_paced",
        "duration_hours": 10.0,
        "cost": 0.0,
        "currency": "USD",
        "skills": [{"skill": s, "level": lv} for s, lv in (skills or {"python": 3}).items()],
        "prerequisites": [],
        "requires_items": [],
        "valid_months": None,
        "active": True,
        **fields,
    }


def role_record(ident: str, competencies: dict[str, int], **fields: Any) -> dict[str, Any]:
    """Return a role record in the shape the API loads it."""
    return {
        "id": ident,
        "title": ident.title(),
        "description": None,
        "family": None,
        "alternate_titles": [],
        "external_ids": {},
        "competencies": [
            {"skill": s, "level": lv, "weight": 1.0} for s, lv in competencies.items()
        ],
        **fields,
    }


def employee_record(ident: str, **fields: Any) -> dict[str, Any]:
    """Return an employee record in the shape the API loads it."""
    return {
        "id": ident,
        "display_name": None,
        "team": None,
        "current_role": None,
        "target_roles": [],
        "skills": [],
        "completed": [],
        "preferences": {},
        **fields,
    }


class Store:
    """Writes records through the batch engine and commits, with test defaults for each type."""

    skill_record = staticmethod(skill_record)
    item_record = staticmethod(item_record)
    role_record = staticmethod(role_record)
    employee_record = staticmethod(employee_record)

    def __init__(self, session: Session):
        self.session = session

    def upsert(self, record_type: RecordType[Any], *rows: dict[str, Any]) -> UpsertReport:
        """Upsert ``rows`` in one batch and commit."""
        report = records.upsert_many(session=self.session, record_type=record_type, records=rows)
        self.session.commit()
        return report

    def skill(self, ident: str, name: str | None = None, **fields: Any) -> None:
        """Store a skill named after its id unless ``name`` is given."""
        self.upsert(SKILL, skill_record(ident, name, **fields))

    def item(self, ident: str, skills: dict[str, int] | None = None, **fields: Any) -> None:
        """Store a course teaching ``skills`` (skill -> level)."""
        self.upsert(ITEM, item_record(ident, skills, **fields))

    def role(self, ident: str, competencies: dict[str, int], **fields: Any) -> None:
        """Store a role demanding ``competencies`` (skill -> level) at weight 1."""
        self.upsert(ROLE, role_record(ident, competencies, **fields))

    def employee(self, ident: str, **fields: Any) -> None:
        """Store an employee profile."""
        self.upsert(EMPLOYEE, employee_record(ident, **fields))


@pytest.fixture
def store(session: Session) -> Store:
    """Return a writer of records into ``session``'s database."""
    return Store(session)
