"""The catalog: listing items with the API's filters, and retiring them."""

from __future__ import annotations

import pytest

from catalog.errors import NotFoundError, UnknownSkillError
from catalog.items import get_item, list_items, retire_item
from catalog.version import get_catalog_version


@pytest.fixture
def catalog(store):
    """Store four items over two skills."""
    store.skill("python", "Python", aliases=["py"])
    store.skill("sql", "SQL")
    store.item("py-basics", {"python": 2}, title="Python Basics", provider="Learn_Co")
    store.item("py-pro", {"python": 4}, kind="certification", modality="blended", language="de")
    store.item("sql-101", {"sql": 2}, description="Joins at 100% speed")
    store.item("old", {"python": 1, "sql": 1}, active=False)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["old", "py-basics", "py-pro", "sql-101"]),
        ({"skill": "python"}, ["old", "py-basics", "py-pro"]),
        ({"skill": "PY"}, ["old", "py-basics", "py-pro"]),  # by alias
        ({"skill": "sql", "active": True}, ["sql-101"]),
        ({"active": False}, ["old"]),
        ({"kind": "certification"}, ["py-pro"]),
        ({"modality": "blended", "language": "de"}, ["py-pro"]),
        ({"language": "en"}, ["old", "py-basics", "sql-101"]),
        ({"q": "BASICS"}, ["py-basics"]),  # title
        ({"q": "learn_co"}, ["py-basics"]),  # provider
        ({"q": "100%"}, ["sql-101"]),  # description, wildcards literal
        ({"q": "_"}, ["py-basics"]),
    ],
)
def test_listing_filters(session, catalog, filters, expected):
    page = list_items(session=session, page=1, page_size=10, **filters)
    assert ([item.id for item in page.items], page.total) == (expected, len(expected))


def test_listing_by_an_unknown_skill_names_it(session, catalog):
    with pytest.raises(UnknownSkillError) as caught:
        list_items(session=session, page=1, page_size=10, skill="pyton")
    assert (caught.value.unknown, caught.value.field) == (["pyton"], "skill")


@pytest.mark.parametrize(
    ("page", "expected"), [(1, ["old", "py-basics"]), (2, ["py-pro", "sql-101"])]
)
def test_listing_pages(session, catalog, page, expected):
    listed = list_items(session=session, page=page, page_size=2)
    assert ([item.id for item in listed.items], listed.total) == (expected, 4)


def test_retiring_keeps_the_item_and_moves_the_version_once(session, catalog):
    before = get_catalog_version(session=session)
    assert retire_item(session=session, item_id="py-pro").active is False
    assert retire_item(session=session, item_id="py-pro").active is False
    assert get_item(session=session, item_id="py-pro").active is False
    assert get_catalog_version(session=session) == before + 1


def test_retiring_an_unknown_item_is_not_found(session):
    with pytest.raises(NotFoundError, match="^item 'nope' does not exist$"):
        retire_item(session=session, item_id="nope")
