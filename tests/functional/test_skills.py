"""The skills taxonomy: /v1/skills."""

from __future__ import annotations

import pytest

from tests.functional.support import (
    assert_problem,
    error_fields,
    item_body,
    pagination,
    role_body,
    skill_body,
)


def test_create_then_read_a_skill(client, admin):
    body = skill_body(
        "aws",
        "Amazon Web Services",
        aliases=["AWS", "amazon web services", "Amazon cloud"],
        category="Cloud",
        description="Public cloud platform",
        external_ids={"esco": "http://data.europa.eu/esco/skill/abc", "onet": "43232306"},
    )
    created = client.post("/v1/skills", json=body, headers=admin)
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/v1/skills/aws")
    skill = created.get_json()
    # An alias repeating the name (in any case) adds nothing.
    assert skill["aliases"] == ["AWS", "Amazon cloud"]
    assert skill["external_ids"] == body["external_ids"]
    assert skill["created_at"] and skill["updated_at"]
    got = client.get("/v1/skills/aws", headers=admin)
    assert got.get_json() == skill
    assert got.headers["ETag"] == created.headers["ETag"]


def test_defaults_of_a_minimal_skill(client, admin):
    skill = client.post("/v1/skills", json={"id": "sql", "name": "SQL"}, headers=admin).get_json()
    assert skill["aliases"] == []
    assert skill["category"] is None and skill["description"] is None
    assert skill["external_ids"] == {}


def test_a_taken_id_is_409(client, admin):
    assert client.post("/v1/skills", json=skill_body("sql"), headers=admin).status_code == 201
    assert_problem(client.post("/v1/skills", json=skill_body("sql"), headers=admin), 409)


@pytest.mark.parametrize("name", ["SQL", "sql", "  Sql "])
def test_a_name_another_skill_has_is_409(client, admin, seed, name):
    seed.skill("sql", "SQL")
    body = assert_problem(
        client.post("/v1/skills", json=skill_body("s2", name), headers=admin), 409
    )
    assert "sql" in body["detail"]
    put = client.put("/v1/skills/s2", json={"name": name}, headers=admin)
    assert_problem(put, 409)


INVALID = [
    ({"id": "has space"}, "id"),
    ({"id": "x" * 129}, "id"),
    ({"id": "import"}, "id"),
    ({"id": "sql\n"}, "id"),
    ({"name": ""}, "name"),
    ({"name": "n" * 201}, "name"),
    ({"name": "nul\x00byte"}, "name"),
    ({"name": None}, "name"),
    ({"aliases": ["a"] * 51}, "aliases"),
    ({"aliases": [""]}, "aliases[0]"),
    ({"aliases": ["a" * 201]}, "aliases[0]"),
    ({"aliases": "AWS"}, "aliases"),
    ({"category": "c" * 101}, "category"),
    ({"description": "d" * 10_001}, "description"),
    ({"external_ids": {f"k{n}": "v" for n in range(21)}}, "external_ids"),
    ({"external_ids": {"esco": ""}}, "external_ids.esco.value"),
    ({"external_ids": {"esco": 3}}, "external_ids.esco.value"),
    ({"external_ids": {"esco\n": "x"}}, "external_ids.esco\n.key"),
    ({"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
    ({"colour": "red"}, "colour"),
]


def test_invalid_skills_are_422(client, admin, subtests):
    for change, field in INVALID:
        with subtests.test(msg=field):
            body = {**skill_body("sql", "SQL"), **change}
            assert field in error_fields(client.post("/v1/skills", json=body, headers=admin))


def test_a_missing_name_is_422(client, admin):
    assert error_fields(client.post("/v1/skills", json={"id": "sql"}, headers=admin)) == {"name"}


def test_the_bounds_themselves_are_accepted(client, admin):
    body = skill_body(
        "s" * 128,
        "n" * 200,
        aliases=[f"alias {n}" for n in range(50)],
        category="c" * 100,
        description="d" * 10_000,
        external_ids={f"k{n}": "v" * 500 for n in range(20)},
    )
    assert client.post("/v1/skills", json=body, headers=admin).status_code == 201


def test_a_long_name_whose_casefold_grows_is_stored(client, admin):
    # "ß" casefolds to "ss": the lookup key is longer than the name.
    response = client.post("/v1/skills", json=skill_body("german", "ß" * 200), headers=admin)
    assert response.status_code == 201


def test_put_replaces_the_whole_skill(client, admin, seed):
    seed.skill("sql", "SQL", aliases=["Structured Query Language"], category="Data")
    response = client.put(
        "/v1/skills/sql", json={"name": "SQL"}, headers={**admin, "If-Match": "*"}
    )
    assert response.status_code == 200
    skill = response.get_json()
    assert skill["aliases"] == [] and skill["category"] is None


def test_updated_at_moves_when_only_aliases_change(client, admin, seed):
    before = seed.skill("sql", "SQL")
    after = seed.skill("sql", "SQL", aliases=["Structured Query Language"])
    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]


FILTERS = [
    ("q=python", ["python", "pytorch"]),
    ("q=PYTHON", ["python", "pytorch"]),
    ("q=torch", ["pytorch"]),
    ("q=k8s", ["kubernetes"]),
    ("q=kube", ["kubernetes"]),
    ("q=%25", []),
    ("q=_", []),
    ("category=cloud", ["kubernetes"]),
    ("category=Languages&q=py", ["python"]),
    ("category=none-such", []),
]


def test_list_filters(client, admin, seed, subtests):
    seed.skill("python", "Python", category="Languages")
    seed.skill("pytorch", "PyTorch", aliases=["torch", "Python deep learning"], category="ML")
    seed.skill("kubernetes", "Kubernetes", aliases=["k8s"], category="Cloud")
    for query, expected in FILTERS:
        with subtests.test(msg=query):
            response = client.get(f"/v1/skills?{query}", headers=admin)
            assert response.status_code == 200
            assert [s["id"] for s in response.get_json()] == expected
            assert pagination(response)["total"] == len(expected)


def test_list_pages(client, admin, seed):
    for n in range(7):
        seed.skill(f"s{n}")
    first = client.get("/v1/skills?page_size=3", headers=admin)
    assert [s["id"] for s in first.get_json()] == ["s0", "s1", "s2"]
    meta = pagination(first)
    assert meta["total"] == 7 and meta["total_pages"] == 3 and meta["next_page"] == 2
    last = client.get("/v1/skills?page=3&page_size=3", headers=admin)
    assert [s["id"] for s in last.get_json()] == ["s6"]
    beyond = client.get("/v1/skills?page=99999999999999999999&page_size=3", headers=admin)
    assert beyond.status_code == 200 and beyond.get_json() == []
    assert pagination(beyond)["total"] == 7


PAGE_SIZES = [("page_size=500", 200), ("page_size=501", 422), ("page_size=0", 422)]


def test_page_size_is_capped(client, admin, subtests):
    for query, status in PAGE_SIZES:
        with subtests.test(msg=query):
            assert client.get(f"/v1/skills?{query}", headers=admin).status_code == status


@pytest.mark.parametrize(
    "user",
    [
        lambda c, h: c.put("/v1/items/c-1", json=item_body("c-1", {"go": 2}), headers=h),
        lambda c, h: c.put(
            "/v1/items/c-1",
            json=item_body("c-1", {"python": 2}, prerequisites=[{"skill": "go", "level": 1}]),
            headers=h,
        ),
        lambda c, h: c.put("/v1/roles/dev", json=role_body("dev", {"go": 3}), headers=h),
        lambda c, h: c.put(
            "/v1/employees/e-1", json={"skills": [{"skill": "go", "level": 2}]}, headers=h
        ),
    ],
    ids=["taught", "prerequisite", "competency", "employee-skill"],
)
def test_a_skill_in_use_cannot_be_deleted(client, admin, seed, user):
    seed.skills("go", "python")
    assert user(client, admin).status_code == 201
    body = assert_problem(client.delete("/v1/skills/go", headers={**admin, "If-Match": "*"}), 409)
    assert "in use" in body["detail"]
    assert client.get("/v1/skills/go", headers=admin).status_code == 200


def test_deleting_an_unused_skill(client, admin, seed):
    seed.skill("go", aliases=["golang"])
    etag = client.get("/v1/skills/go", headers=admin).headers["ETag"]
    response = client.delete("/v1/skills/go", headers={**admin, "If-Match": etag})
    assert response.status_code == 204
    assert_problem(client.get("/v1/skills/go", headers=admin), 404)
    assert_problem(client.delete("/v1/skills/go", headers={**admin, "If-Match": "*"}), 404)
    # Its name and aliases are free again.
    again = client.post(
        "/v1/skills", json=skill_body("go2", "Go", aliases=["golang"]), headers=admin
    )
    assert again.status_code == 201


def test_catalog_version_moves_with_every_skill_write(client, admin, seed, catalog_version):
    assert catalog_version() == 0
    seed.skill("go")
    assert catalog_version() == 1
    seed.skill("go")  # the same record again changes nothing
    assert catalog_version() == 1
    seed.skill("go", aliases=["golang"])
    assert catalog_version() == 2
    client.post("/v1/skills", json=skill_body("rust"), headers=admin)
    assert catalog_version() == 3
    client.delete("/v1/skills/rust", headers={**admin, "If-Match": "*"})
    assert catalog_version() == 4
    # Refused writes leave it alone.
    client.post("/v1/skills", json=skill_body("go"), headers=admin)
    client.post("/v1/skills", json={"id": "bad id"}, headers=admin)
    assert catalog_version() == 4


def test_a_no_op_put_keeps_the_etag(client, admin, seed):
    seed.skill("go", "Go", aliases=["golang"])
    etag = client.get("/v1/skills/go", headers=admin).headers["ETag"]
    again = client.put(
        "/v1/skills/go",
        json={"name": "Go", "aliases": ["golang"]},
        headers={**admin, "If-Match": etag},
    )
    assert again.status_code == 200
    assert again.headers["ETag"] == etag
