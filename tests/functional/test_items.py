"""The learning catalog: /v1/items."""

from __future__ import annotations

import pytest

from tests.functional.support import (
    assert_problem,
    count_rows,
    error_fields,
    item_body,
    pagination,
)

STAR = {"If-Match": "*"}


@pytest.fixture
def taxonomy(seed):
    """Store a few skills, with names and aliases to refer to them by."""
    seed.skill("python", "Python", aliases=["py", "Python 3"])
    seed.skill("sql", "SQL", aliases=["Structured Query Language"])
    seed.skill("aws", "Amazon Web Services", aliases=["AWS"])


def _post(client, admin, body):
    return client.post("/v1/items", json=body, headers=admin)


def test_create_then_read_an_item(client, admin, taxonomy):
    body = item_body(
        "aws-saa",
        {"aws": 3},
        kind="certification",
        title="AWS Solutions Architect Associate",
        description="Design on AWS",
        provider="Amazon",
        url="https://aws.amazon.com/certification/certified-solutions-architect-associate/",
        language="en-US",
        modality="blended",
        duration_hours=40,
        cost=150,
        currency="EUR",
        prerequisites=[{"skill": "python", "level": 1}],
        valid_months=36,
    )
    created = _post(client, admin, body)
    assert created.status_code == 201
    item = created.get_json()
    assert item["skills"] == [{"skill": "aws", "level": 3}]
    assert item["prerequisites"] == [{"skill": "python", "level": 1}]
    assert item["duration_hours"] == 40.0 and item["cost"] == 150.0
    assert item["active"] is True and item["requires_items"] == []
    assert client.get("/v1/items/aws-saa", headers=admin).get_json() == item


def test_defaults_of_a_minimal_item(client, admin, taxonomy):
    item = _post(client, admin, item_body("c-1")).get_json()
    assert (item["language"], item["cost"], item["currency"]) == ("en", 0.0, "USD")
    assert item["prerequisites"] == [] and item["valid_months"] is None
    assert item["url"] is None and item["provider"] is None


REFERENCES = ["python", "Python", "PYTHON", "py", "PY", "python 3", "  Python   3 "]


def test_skills_are_referenced_by_id_name_or_alias_in_any_case(client, admin, taxonomy, subtests):
    for n, reference in enumerate(REFERENCES):
        with subtests.test(msg=reference):
            item = _post(client, admin, item_body(f"c-{n}", {reference: 2})).get_json()
            assert item["skills"] == [{"skill": "python", "level": 2}]


def test_every_unknown_skill_is_named(client, admin, taxonomy):
    body = item_body(
        "c-1",
        {"python": 2, "pyhton": 3, "Kubernetes": 2},
        prerequisites=[{"skill": "terraform", "level": 1}],
    )
    problem = assert_problem(_post(client, admin, body), 422)
    by_field = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(by_field) == {"skills[1].skill", "skills[2].skill", "prerequisites[0].skill"}
    for field, name in [
        ("skills[1].skill", "pyhton"),
        ("skills[2].skill", "Kubernetes"),
        ("prerequisites[0].skill", "terraform"),
    ]:
        assert name in by_field[field]
    assert_problem(client.get("/v1/items/c-1", headers=admin), 404)


def test_a_name_shared_as_alias_by_two_skills_is_ambiguous(client, admin, seed):
    seed.skill("js", "JavaScript", aliases=["ECMAScript"])
    seed.skill("ts", "TypeScript", aliases=["ECMAScript"])
    fields = error_fields(_post(client, admin, item_body("c-1", {"ecmascript": 2})))
    assert fields == {"skills[0].skill"}


INVALID = [
    ({"id": "a/b"}, "id"),
    ({"kind": "podcast"}, "kind"),
    ({"title": ""}, "title"),
    ({"title": "t" * 301}, "title"),
    ({"description": "d" * 10_001}, "description"),
    ({"provider": "p" * 201}, "provider"),
    ({"url": "ftp://example.com/file"}, "url"),
    ({"url": "not a url"}, "url"),
    ({"url": "https://" + "a" * 2000 + ".com"}, "url"),
    ({"language": "English"}, "language"),
    ({"language": "en-" + "-".join(["abcdefgh"] * 3)}, "language"),
    ({"modality": "video"}, "modality"),
    ({"duration_hours": 0}, "duration_hours"),
    ({"duration_hours": -1}, "duration_hours"),
    ({"duration_hours": 10_000.5}, "duration_hours"),
    ({"duration_hours": "ten"}, "duration_hours"),
    ({"cost": -0.01}, "cost"),
    ({"cost": 10_000_001}, "cost"),
    ({"currency": "usd"}, "currency"),
    ({"currency": "US$"}, "currency"),
    ({"skills": []}, "skills"),
    ({"skills": [{"skill": "python", "level": 0}]}, "skills[0].level"),
    ({"skills": [{"skill": "python", "level": 6}]}, "skills[0].level"),
    ({"skills": [{"skill": "python", "level": "3"}]}, "skills[0].level"),
    ({"skills": [{"skill": "python", "level": 2.5}]}, "skills[0].level"),
    ({"skills": [{"skill": "python"}]}, "skills[0].level"),
    ({"skills": [{"level": 2}]}, "skills[0].skill"),
    ({"skills": [{"skill": "python", "level": 2, "hours": 3}]}, "skills[0].hours"),
    ({"skills": [{"skill": f"s{n}", "level": 1} for n in range(101)]}, "skills"),
    ({"prerequisites": [{"skill": "sql", "level": 1}] * 101}, "prerequisites"),
    ({"requires_items": ["x"] * 51}, "requires_items"),
    ({"requires_items": ["bad id"]}, "requires_items[0]"),
    ({"valid_months": 0}, "valid_months"),
    ({"valid_months": 241}, "valid_months"),
    ({"active": "maybe"}, "active"),
    ({"active": "true"}, "active"),
    ({"active": 1}, "active"),
    ({"duration_hours": "10"}, "duration_hours"),
    ({"cost": "0"}, "cost"),
    ({"sponsor": "ACME"}, "sponsor"),
]


def test_invalid_items_are_422(client, admin, taxonomy, subtests):
    # Every case is refused before anything is stored, so the cases share one database.
    for change, field in INVALID:
        with subtests.test(msg=field):
            assert field in error_fields(_post(client, admin, {**item_body("c-1"), **change}))
    assert client.get("/v1/items", headers=admin).get_json() == []


@pytest.mark.parametrize("missing", ["kind", "title", "modality", "duration_hours", "skills"])
def test_required_fields(client, admin, taxonomy, missing):
    body = {k: v for k, v in item_body("c-1").items() if k != missing}
    assert error_fields(_post(client, admin, body)) == {missing}


def test_the_bounds_themselves_are_accepted(client, admin, seed):
    seed.skills(*(f"s{n}" for n in range(100)))
    body = item_body(
        "c" * 128,
        {f"s{n}": 5 for n in range(100)},
        title="t" * 300,
        duration_hours=10_000,
        cost=10_000_000,
        valid_months=240,
        url="https://example.com/" + "p" * 1900,
    )
    assert _post(client, admin, body).status_code == 201
    small = item_body("c-2", {"s0": 1}, duration_hours=0.01, cost=0, valid_months=1)
    assert _post(client, admin, small).status_code == 201


@pytest.mark.parametrize(
    "skills,prerequisites,field",
    [
        ({"python": 3}, [{"skill": "python", "level": 3}], "prerequisites[0].level"),
        ({"python": 3}, [{"skill": "python", "level": 4}], "prerequisites[0].level"),
        ({"python": 3, "py": 2}, [], "skills"),
        ({"python": 3}, [{"skill": "sql", "level": 1}, {"skill": "SQL", "level": 2}], None),
    ],
)
def test_rules_across_fields(client, admin, taxonomy, skills, prerequisites, field):
    body = item_body("c-1", skills, prerequisites=prerequisites)
    fields = error_fields(_post(client, admin, body))
    assert field in fields if field else fields == {"prerequisites"}


def test_requires_items(client, admin, taxonomy, seed):
    seed.item("intro")
    item = _post(client, admin, item_body("advanced", requires_items=["intro"])).get_json()
    assert item["requires_items"] == ["intro"]
    assert error_fields(_post(client, admin, item_body("x", requires_items=["nope"]))) == {
        "requires_items[0]"
    }
    selfish = client.put(
        "/v1/items/intro",
        json=item_body("intro", requires_items=["intro"]),
        headers={**admin, **STAR},
    )
    assert error_fields(selfish) == {"requires_items"}


def test_a_requirement_cycle_is_422_and_changes_nothing(client, admin, taxonomy, seed):
    seed.item("a")
    seed.item("b", requires_items=["a"])
    seed.item("c", requires_items=["b"])
    before = client.get("/v1/items/a", headers=admin).get_json()
    cycle = client.put(
        "/v1/items/a", json=item_body("a", requires_items=["c"]), headers={**admin, **STAR}
    )
    problem = assert_problem(cycle, 422)
    assert "cycle" in problem["detail"]
    assert client.get("/v1/items/a", headers=admin).get_json() == before


@pytest.fixture
def catalog(seed, taxonomy):
    """Store a small catalog to filter."""
    seed.item("py-basics", {"python": 2}, title="Python basics", provider="Coursera")
    seed.item(
        "py-mentor",
        {"python": 4},
        kind="mentoring",
        modality="mentoring",
        title="Pair with a senior",
        description="Weekly python pairing",
    )
    seed.item("sql-pt", {"sql": 3}, title="SQL para analistas", language="pt-BR")
    seed.item("aws-lab", {"aws": 2}, kind="assignment", modality="on_the_job", title="Lab")


FILTERS = [
    ("", ["aws-lab", "py-basics", "py-mentor", "sql-pt"]),
    ("skill=python", ["py-basics", "py-mentor"]),
    ("skill=PY", ["py-basics", "py-mentor"]),
    ("skill=Structured%20Query%20Language", ["sql-pt"]),
    ("kind=mentoring", ["py-mentor"]),
    ("modality=on_the_job", ["aws-lab"]),
    ("language=pt-BR", ["sql-pt"]),
    ("language=en", ["aws-lab", "py-basics", "py-mentor"]),
    ("q=python", ["py-basics", "py-mentor"]),
    ("q=COURSERA", ["py-basics"]),
    ("q=pairing", ["py-mentor"]),
    ("skill=python&kind=course", ["py-basics"]),
    ("active=true", ["aws-lab", "py-basics", "py-mentor", "sql-pt"]),
    ("active=false", []),
]


def test_list_filters(client, admin, catalog, subtests):
    for query, expected in FILTERS:
        with subtests.test(msg=query):
            response = client.get(f"/v1/items?{query}", headers=admin)
            assert response.status_code == 200, response.get_json()
            assert [i["id"] for i in response.get_json()] == expected
            assert pagination(response)["total"] == len(expected)


def test_filtering_by_an_unknown_skill_is_422(client, admin, catalog):
    assert error_fields(client.get("/v1/items?skill=cobol", headers=admin)) == {"skill"}


def test_delete_retires_an_item(client, admin, catalog, seed, catalog_version):
    seed.employee("e-1", completed=[{"item": "py-basics", "completed_at": "2025-05-01"}])
    version = catalog_version()
    response = client.delete("/v1/items/py-basics", headers={**admin, **STAR})
    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert catalog_version() == version + 1
    # Still readable, out of active listings, and completions keep pointing at it.
    item = client.get("/v1/items/py-basics", headers=admin)
    assert item.status_code == 200 and item.get_json()["active"] is False
    active = client.get("/v1/items?active=true", headers=admin).get_json()
    assert "py-basics" not in [i["id"] for i in active]
    retired = client.get("/v1/items?active=false", headers=admin).get_json()
    assert [i["id"] for i in retired] == ["py-basics"]
    employee = client.get("/v1/employees/e-1", headers=admin).get_json()
    assert employee["completed"][0]["item"] == "py-basics"
    # Retiring again changes nothing.
    again = client.delete("/v1/items/py-basics", headers={**admin, **STAR})
    assert again.status_code == 200
    assert catalog_version() == version + 1
    assert count_rows(client.application, "items") == 4


def test_a_retired_item_may_still_be_completed(client, admin, catalog, seed):
    client.delete("/v1/items/sql-pt", headers={**admin, **STAR})
    employee = seed.employee("e-1", completed=[{"item": "sql-pt"}])
    assert employee["completed"] == [
        {"item": "sql-pt", "completed_at": None, "expires_at": None, "score": None, "source": None}
    ]


def test_put_may_reactivate_an_item(client, admin, catalog):
    client.delete("/v1/items/aws-lab", headers={**admin, **STAR})
    body = {k: v for k, v in item_body("aws-lab", {"aws": 2}).items() if k != "id"}
    response = client.put("/v1/items/aws-lab", json=body, headers={**admin, **STAR})
    assert response.get_json()["active"] is True


def test_patch_changes_only_the_fields_given(client, admin, catalog):
    before = client.get("/v1/items/py-basics", headers=admin)
    response = client.patch(
        "/v1/items/py-basics",
        json={"title": "Python, the basics", "skills": [{"skill": "py", "level": 3}]},
        headers={**admin, "If-Match": before.headers["ETag"]},
    )
    assert response.status_code == 200
    item = response.get_json()
    assert item["title"] == "Python, the basics"
    assert item["skills"] == [{"skill": "python", "level": 3}]
    assert item["provider"] == "Coursera"
    assert response.headers["ETag"] != before.headers["ETag"]


INVALID_PATCHES = [
    ({"title": None}, "title"),
    ({"duration_hours": 0}, "duration_hours"),
    ({"skills": [{"level": 3}]}, "skills[0].skill"),
    ({"skills": []}, "skills"),
    ({"id": "other"}, "id"),
    ({"colour": "red"}, "colour"),
    # The patch alone is fine; the record it makes is not.
    ({"prerequisites": [{"skill": "python", "level": 2}]}, "prerequisites[0].level"),
]


def test_invalid_patches_are_422_and_change_nothing(client, admin, catalog, subtests):
    for patch, field in INVALID_PATCHES:
        with subtests.test(msg=field):
            before = client.get("/v1/items/py-basics", headers=admin).get_json()
            response = client.patch("/v1/items/py-basics", json=patch, headers={**admin, **STAR})
            assert field in error_fields(response)
            assert client.get("/v1/items/py-basics", headers=admin).get_json() == before


def test_patch_of_a_missing_item_is_404(client, admin):
    assert_problem(client.patch("/v1/items/nope", json={"title": "x"}, headers=admin), 404)


def test_patch_needs_if_match(client, admin, catalog):
    assert_problem(client.patch("/v1/items/py-basics", json={"title": "x"}, headers=admin), 428)
    stale = client.patch(
        "/v1/items/py-basics", json={"title": "x"}, headers={**admin, "If-Match": '"old"'}
    )
    assert_problem(stale, 412)


def test_catalog_version_moves_with_item_writes(client, admin, taxonomy, catalog_version):
    version = catalog_version()
    _post(client, admin, item_body("c-1"))
    assert catalog_version() == version + 1
    client.patch("/v1/items/c-1", json={"cost": 10}, headers={**admin, **STAR})
    assert catalog_version() == version + 2
    client.patch("/v1/items/c-1", json={"cost": 10}, headers={**admin, **STAR})
    assert catalog_version() == version + 2
