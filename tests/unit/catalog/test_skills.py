"""The taxonomy: resolving skill references, merging imported skills, deleting and listing."""

from __future__ import annotations

import pytest

from catalog.errors import ConflictError, ImportRowsError, NotFoundError
from catalog.skills import (
    SKILL,
    delete_skill,
    get_skill,
    list_skills,
    merged_with_stored_skills,
    resolve_skill_refs,
)
from catalog.version import get_catalog_version
from catalog.vocabulary import MAX_KEY_LENGTH


@pytest.fixture
def taxonomy(store):
    """Store a few skills; "cloud" is an alias of two of them."""
    store.skill("python", "Python", aliases=["py", "Python 3"], category="Programming")
    store.skill("aws", "Amazon Web Services", aliases=["AWS", "cloud"], category="Cloud")
    store.skill("gcp", "Google Cloud", aliases=["cloud"], category="cloud")
    store.skill("100%-done", "Done 100%")


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("python", "python"),  # id
        ("Amazon Web Services", "aws"),  # name
        ("amazon   WEB services ", "aws"),  # name, any case and spacing
        ("\uff21\uff37\uff33", "aws"),  # alias, full-width letters (NFKC)
        ("PY", "python"),  # alias
        ("python\u00a03", "python"),  # alias with a no-break space
        ("cloud", None),  # an alias two skills share names neither
        ("Pyton", None),
    ],
)
def test_references_resolve_by_id_name_or_alias(session, taxonomy, ref, expected):
    found, unknown = resolve_skill_refs(session=session, refs=[ref])
    assert (found.get(ref), unknown) == (expected, [] if expected else [ref])


def test_unresolved_references_keep_their_order(session, taxonomy):
    found, unknown = resolve_skill_refs(session=session, refs=["zz", "py", "aa", "zz", "cloud"])
    assert found == {"py": "python"}
    assert unknown == ["zz", "aa", "cloud"]


def test_an_id_wins_over_another_skills_alias(session, store):
    store.skill("go", "Go")
    store.skill("golang-tools", "Go Tools", aliases=["GO"])
    assert resolve_skill_refs(session=session, refs=["go"]) == ({"go": "go"}, [])


def test_aliases_that_repeat_the_name_or_each_other_are_dropped(session, store):
    store.skill("k8s", "Kubernetes", aliases=["kubernetes", "K8s", "k8s ", "\uff2b8s", "kube"])
    assert get_skill(session=session, skill_id="k8s").aliases == ["K8s", "kube"]


@pytest.mark.parametrize("field", ["name", "aliases"])
def test_a_name_too_long_once_normalised_is_refused(session, store, field):
    # U+FDFA is one character that NFKC spells with eighteen.
    long = "\ufdfa" * (MAX_KEY_LENGTH // 18 + 1)
    record = store.skill_record("long", **({"name": long} if field == "name" else {}))
    if field == "aliases":
        record["aliases"] = [long]
    with pytest.raises(ImportRowsError) as caught:
        store.upsert(SKILL, record)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        (field, f"{field} is longer than {MAX_KEY_LENGTH} characters once normalised")
    ]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            {"id": "python", "name": "Python programming", "aliases": ["py", "CPython"]},
            {
                "id": "python",
                "name": "Python",
                "aliases": ["py", "Python 3", "Python programming", "CPython"],
                "category": "Programming",
                "description": None,
                "external_ids": {"esco": "uri"},
            },
            id="stored-skill-gains-aliases-and-ids",
        ),
        pytest.param(
            {"id": "rust", "name": "Rust", "aliases": []},
            {"id": "rust", "name": "Rust", "aliases": [], "external_ids": {"esco": "uri"}},
            id="new-skill-as-given",
        ),
    ],
)
def test_imported_skills_merge_with_stored_ones(session, taxonomy, record, expected):
    merged = merged_with_stored_skills(
        session=session, records=[{**record, "external_ids": {"esco": "uri"}}]
    )
    assert merged == [expected]


def test_merging_keeps_to_the_alias_limit(session, taxonomy):
    record = {"id": "python", "name": "Python", "aliases": [f"alias {n}" for n in range(10)]}
    merged = merged_with_stored_skills(session=session, records=[record], max_aliases=4)
    assert merged[0]["aliases"] == ["py", "Python 3", "alias 0", "alias 1"]


def test_deleting_a_skill_in_use_is_a_conflict(session, store):
    store.skill("python")
    store.item("course", {"python": 2})
    store.role("dev", {"python": 3})
    with pytest.raises(ConflictError) as caught:
        delete_skill(session=session, skill_id="python")
    assert (
        str(caught.value) == "skill 'python' is still in use: 1 items teach it, 1 roles demand it"
    )


def test_deleting_an_unused_skill_moves_the_version(session, store):
    store.skill("cobol")
    before = get_catalog_version(session=session)
    delete_skill(session=session, skill_id="cobol")
    assert get_skill(session=session, skill_id="cobol") is None
    assert get_catalog_version(session=session) == before + 1
    with pytest.raises(NotFoundError):
        delete_skill(session=session, skill_id="cobol")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["100%-done", "aws", "gcp", "python"]),
        ({"q": "py"}, ["python"]),  # id, name and alias
        ({"q": "CLOUD"}, ["aws", "gcp"]),  # a name and an alias
        ({"q": "\uff41\uff4d\uff41\uff5a\uff4f\uff4e"}, ["aws"]),  # full-width "amazon"
        ({"q": "%"}, ["100%-done"]),  # LIKE wildcards match literally
        ({"q": "_"}, []),
        ({"category": "CLOUD"}, ["aws", "gcp"]),
        ({"q": "cloud", "category": "programming"}, []),
    ],
)
def test_listing_filters(session, taxonomy, filters, expected):
    page = list_skills(session=session, page=1, page_size=10, **filters)
    assert ([skill.id for skill in page.items], page.total) == (expected, len(expected))


@pytest.mark.parametrize(
    ("page", "page_size", "expected"),
    [(1, 3, ["100%-done", "aws", "gcp"]), (2, 3, ["python"]), (3, 3, []), (10**12, 3, [])],
)
def test_listing_pages(session, taxonomy, page, page_size, expected):
    listed = list_skills(session=session, page=page, page_size=page_size)
    assert ([skill.id for skill in listed.items], listed.total) == (expected, 4)
