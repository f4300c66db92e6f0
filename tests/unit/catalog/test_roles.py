"""Role profiles: listing by titles and family, and deleting roles nobody holds."""

from __future__ import annotations

import pytest

from catalog.errors import ConflictError, NotFoundError
from catalog.roles import delete_role, get_role, list_roles


@pytest.fixture
def roles(store):
    """Store three roles."""
    store.skill("python")
    store.role("data-engineer", {"python": 3}, family="Data", alternate_titles=["ETL Developer"])
    store.role("ml-engineer", {"python": 4}, family="data")
    store.role("web-dev", {"python": 2}, title="Web Developer")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["data-engineer", "ml-engineer", "web-dev"]),
        ({"q": "engineer"}, ["data-engineer", "ml-engineer"]),  # id and title
        ({"q": "etl"}, ["data-engineer"]),  # alternate title
        ({"q": "web developer"}, ["web-dev"]),
        ({"family": "DATA"}, ["data-engineer", "ml-engineer"]),
        ({"q": "web", "family": "data"}, []),
    ],
)
def test_listing_filters(session, roles, filters, expected):
    page = list_roles(session=session, page=1, page_size=10, **filters)
    assert ([role.id for role in page.items], page.total) == (expected, len(expected))


@pytest.mark.parametrize(
    ("employee", "message"),
    [
        ({"current_role": "web-dev"}, "1 employees hold it, 0 target it"),
        ({"target_roles": ["web-dev"]}, "0 employees hold it, 1 target it"),
    ],
)
def test_a_role_someone_holds_or_targets_stays(session, store, roles, employee, message):
    store.employee("e-1", **employee)
    with pytest.raises(ConflictError, match=f"^role 'web-dev' is still in use: {message}$"):
        delete_role(session=session, role_id="web-dev")


def test_deleting_a_role(session, roles):
    delete_role(session=session, role_id="web-dev")
    assert get_role(session=session, role_id="web-dev") is None
    with pytest.raises(NotFoundError):
        delete_role(session=session, role_id="web-dev")
