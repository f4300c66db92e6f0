"""Role profiles: /v1/roles."""

from __future__ import annotations

import pytest

from tests.functional.support import assert_problem, error_fields, pagination, role_body

STAR = {"If-Match": "*"}


@pytest.fixture
def taxonomy(seed):
    """Store the skills the roles demand."""
    seed.skill("python", "Python", aliases=["py"])
    seed.skill("sql", "SQL")
    seed.skill("aws", "Amazon Web Services", aliases=["AWS"])


def _post(client, admin, body):
    return client.post("/v1/roles", json=body, headers=admin)


def test_create_then_read_a_role(client, admin, taxonomy):
    body = role_body(
        "data-engineer",
        title="Data Engineer",
        description="Builds pipelines",
        family="Data",
        alternate_titles=["ETL Developer", "Big Data Engineer"],
        external_ids={"onet": "15-1243.01"},
        competencies=[
            {"skill": "PY", "level": 4, "weight": 1},
            {"skill": "SQL", "level": 3, "weight": 0.5},
            {"skill": "aws", "level": 2},
        ],
    )
    created = _post(client, admin, body)
    assert created.status_code == 201
    role = created.get_json()
    assert role["competencies"] == [
        {"skill": "aws", "level": 2, "weight": 1.0},
        {"skill": "python", "level": 4, "weight": 1.0},
        {"skill": "sql", "level": 3, "weight": 0.5},
    ]
    assert role["alternate_titles"] == ["ETL Developer", "Big Data Engineer"]
    assert client.get("/v1/roles/data-engineer", headers=admin).get_json() == role


def test_every_unknown_skill_is_named(client, admin, taxonomy):
    body = role_body("dev", {"python": 3, "rust": 2, "go": 2})
    problem = assert_problem(_post(client, admin, body), 422)
    assert {e["field"] for e in problem["errors"]} == {
        "competencies[1].skill",
        "competencies[2].skill",
    }
    messages = " ".join(e["message"] for e in problem["errors"])
    assert "'rust'" in messages and "'go'" in messages


INVALID = [
    ({"title": ""}, "title"),
    ({"title": "t" * 301}, "title"),
    ({"family": "f" * 101}, "family"),
    ({"alternate_titles": ["a"] * 501}, "alternate_titles"),
    ({"alternate_titles": [""]}, "alternate_titles[0]"),
    ({"competencies": []}, "competencies"),
    ({"competencies": [{"skill": "python", "level": 0}]}, "competencies[0].level"),
    ({"competencies": [{"skill": "python", "level": 6}]}, "competencies[0].level"),
    (
        {"competencies": [{"skill": "python", "level": 3, "weight": 0}]},
        "competencies[0].weight",
    ),
    (
        {"competencies": [{"skill": "python", "level": 3, "weight": -0.5}]},
        "competencies[0].weight",
    ),
    (
        {"competencies": [{"skill": "python", "level": 3, "weight": 1.01}]},
        "competencies[0].weight",
    ),
    (
        {"competencies": [{"skill": "python", "level": 3, "weight": "0.5"}]},
        "competencies[0].weight",
    ),
    ({"competencies": [{"skill": "", "level": 3}]}, "competencies[0].skill"),
    ({"competencies": [{"skill": "python", "level": 3}] * 2}, "competencies"),
    ({"competencies": [{"skill": "python", "level": 3, "why": "x"}]}, "competencies[0].why"),
    ({"salary": 1}, "salary"),
]


def test_invalid_roles_are_422(client, admin, taxonomy, subtests):
    for change, field in INVALID:
        with subtests.test(msg=field):
            assert field in error_fields(_post(client, admin, {**role_body("dev"), **change}))


@pytest.mark.parametrize("weight", [0.001, 0.5, 1])
def test_weights_in_the_open_closed_unit_interval(client, admin, taxonomy, weight):
    body = role_body("dev", competencies=[{"skill": "python", "level": 5, "weight": weight}])
    assert _post(client, admin, body).status_code == 201


@pytest.fixture
def roles(seed, taxonomy):
    """Store roles to search."""
    seed.role("data-engineer", {"sql": 3}, family="Data", alternate_titles=["ETL Developer"])
    seed.role("data-scientist", {"python": 4}, family="Data", title="Data Scientist")
    seed.role("cloud-architect", {"aws": 4}, family="Infrastructure", title="Cloud Architect")


FILTERS = [
    ("", ["cloud-architect", "data-engineer", "data-scientist"]),
    ("q=data", ["data-engineer", "data-scientist"]),
    ("q=etl", ["data-engineer"]),
    ("q=ARCHITECT", ["cloud-architect"]),
    ("family=data", ["data-engineer", "data-scientist"]),
    ("family=Infrastructure&q=cloud", ["cloud-architect"]),
    ("q=nobody", []),
]


def test_list_filters(client, admin, roles, subtests):
    for query, expected in FILTERS:
        with subtests.test(msg=query):
            response = client.get(f"/v1/roles?{query}", headers=admin)
            assert [r["id"] for r in response.get_json()] == expected
            assert pagination(response)["total"] == len(expected)


@pytest.mark.parametrize(
    "profile",
    [{"current_role": "data-engineer"}, {"target_roles": ["cloud-architect", "data-engineer"]}],
    ids=["held", "targeted"],
)
def test_a_role_in_use_cannot_be_deleted(client, admin, roles, seed, profile):
    seed.employee("e-1", **profile)
    problem = assert_problem(
        client.delete("/v1/roles/data-engineer", headers={**admin, **STAR}), 409
    )
    assert "in use" in problem["detail"]
    assert client.get("/v1/roles/data-engineer", headers=admin).status_code == 200


def test_deleting_a_role(client, admin, roles, catalog_version):
    version = catalog_version()
    etag = client.get("/v1/roles/data-scientist", headers=admin).headers["ETag"]
    response = client.delete("/v1/roles/data-scientist", headers={**admin, "If-Match": etag})
    assert response.status_code == 204
    assert catalog_version() == version + 1
    assert_problem(client.get("/v1/roles/data-scientist", headers=admin), 404)


def test_employees_may_only_name_roles_that_exist(client, admin, roles):
    response = client.put(
        "/v1/employees/e-1",
        json={"current_role": "ceo", "target_roles": ["data-engineer", "astronaut"]},
        headers=admin,
    )
    assert error_fields(response) == {"current_role", "target_roles[1]"}


def test_catalog_version_moves_with_role_writes(client, admin, taxonomy, seed, catalog_version):
    version = catalog_version()
    seed.role("dev", {"python": 3})
    assert catalog_version() == version + 1
    seed.role("dev", {"python": 3})
    assert catalog_version() == version + 1
    seed.role("dev", {"python": 4})
    assert catalog_version() == version + 2
