"""Employee profiles: listing by team and role, and erasing one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from catalog.employees import erase_employee, get_employee, list_employees
from catalog.errors import NotFoundError
from catalog.models import Completion, EmployeeSkill
from catalog.version import get_catalog_version


@pytest.fixture
def people(store):
    """Store three employees in two teams."""
    store.skill("python")
    store.role("dev", {"python": 3})
    store.item("course", {"python": 3})
    store.employee(
        "e-1",
        team="platform",
        current_role="dev",
        skills=[{"skill": "python", "level": 2}],
        completed=[{"item": "course", "completed_at": dt.date(2026, 1, 5)}],
    )
    store.employee("e-2", team="platform")
    store.employee("e-3", team="data", current_role="dev")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["e-1", "e-2", "e-3"]),
        ({"team": "platform"}, ["e-1", "e-2"]),
        ({"role": "dev"}, ["e-1", "e-3"]),
        ({"team": "data", "role": "dev"}, ["e-3"]),
        ({"team": "Platform"}, []),  # teams match exactly
    ],
)
def test_listing_filters(session, people, filters, expected):
    page = list_employees(session=session, page=1, page_size=10, **filters)
    assert ([employee.id for employee in page.items], page.total) == (expected, len(expected))


def test_erasing_removes_the_profile_and_its_evidence_only(session, people):
    before = get_catalog_version(session=session)
    erase_employee(session=session, employee_id="e-1")
    session.commit()
    assert get_employee(session=session, employee_id="e-1") is None
    for model in (EmployeeSkill, Completion):
        assert session.scalar(select(func.count()).select_from(model)) == 0
    assert get_catalog_version(session=session) == before
    with pytest.raises(NotFoundError):
        erase_employee(session=session, employee_id="e-1")
