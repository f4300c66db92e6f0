"""Employee skill profiles: /v1/employees."""

from __future__ import annotations

import pytest

from tests.functional.support import (
    assert_problem,
    count_rows,
    employee_body,
    error_fields,
    pagination,
)

STAR = {"If-Match": "*"}
PROFILE = {
    "display_name": "Dana Example",
    "team": "platform",
    "current_role": "dev",
    "target_roles": ["architect"],
    "skills": [
        {"skill": "Python", "level": 3, "source": "assessment", "assessed_at": "2026-03-01"},
        {"skill": "k8s", "level": 0},
    ],
    "completed": [
        {"item": "py-101", "completed_at": "2025-06-30"},
        {"item": "k8s-cert", "completed_at": "2024-01-15", "expires_at": "2027-01-15"},
    ],
    "preferences": {
        "hours_per_week": 4.5,
        "budget": 1200,
        "modalities": ["self_paced", "blended"],
        "languages": ["en", "pt-BR"],
    },
}


@pytest.fixture
def organisation(seed):
    """Store the skills, items and roles profiles refer to."""
    seed.skill("python", "Python")
    seed.skill("kubernetes", "Kubernetes", aliases=["k8s"])
    seed.item("py-101", {"python": 2})
    seed.item("k8s-cert", {"kubernetes": 3}, kind="certification", valid_months=36)
    seed.role("dev", {"python": 3})
    seed.role("architect", {"kubernetes": 4})


def _put(client, headers, ident, body, **extra):
    return client.put(f"/v1/employees/{ident}", json=body, headers={**headers, **extra})


def test_put_creates_then_reads_a_profile(client, admin, organisation):
    created = _put(client, admin, "e-0001", PROFILE)
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/v1/employees/e-0001")
    employee = created.get_json()
    assert employee["id"] == "e-0001"
    assert employee["skills"] == [
        {"skill": "kubernetes", "level": 0, "source": "self", "assessed_at": None},
        {"skill": "python", "level": 3, "source": "assessment", "assessed_at": "2026-03-01"},
    ]
    assert employee["completed"] == [
        {
            "item": "k8s-cert",
            "completed_at": "2024-01-15",
            "expires_at": "2027-01-15",
            "score": None,
            "source": None,
        },
        {
            "item": "py-101",
            "completed_at": "2025-06-30",
            "expires_at": None,
            "score": None,
            "source": None,
        },
    ]
    assert employee["target_roles"] == ["architect"]
    assert employee["preferences"] == PROFILE["preferences"]
    got = client.get("/v1/employees/e-0001", headers=admin)
    assert got.get_json() == employee
    assert got.headers["ETag"] == created.headers["ETag"]


def test_a_profile_with_defaults_only(client, admin):
    employee = _put(client, admin, "e-1", {}).get_json()
    assert employee["skills"] == [] and employee["completed"] == []
    assert employee["current_role"] is None and employee["preferences"] == {}


def test_put_without_a_body_is_422(client, admin):
    assert_problem(client.put("/v1/employees/e-1", headers=admin), 422)
    assert_problem(client.get("/v1/employees/e-1", headers=admin), 404)


def test_put_replaces_the_whole_profile(client, admin, organisation):
    _put(client, admin, "e-1", PROFILE)
    replaced = _put(client, admin, "e-1", {"team": "data"}, **STAR)
    assert replaced.status_code == 200
    employee = replaced.get_json()
    assert employee["team"] == "data"
    assert employee["skills"] == [] and employee["completed"] == []
    assert employee["target_roles"] == [] and employee["display_name"] is None


INVALID = [
    ({"display_name": "d" * 201}, "display_name"),
    ({"team": "t" * 101}, "team"),
    ({"current_role": "not a role id"}, "current_role"),
    ({"target_roles": ["dev"] * 21}, "target_roles"),
    ({"skills": [{"skill": "python", "level": -1}]}, "skills[0].level"),
    ({"skills": [{"skill": "python", "level": 6}]}, "skills[0].level"),
    ({"skills": [{"skill": "python", "level": True}]}, "skills[0].level"),
    ({"skills": [{"skill": "python", "level": 2, "source": "rumour"}]}, "skills[0].source"),
    (
        {"skills": [{"skill": "python", "level": 2, "assessed_at": "yesterday"}]},
        "skills[0].assessed_at",
    ),
    ({"skills": [{"skill": "python", "level": 2}] * 501}, "skills"),
    ({"skills": [{"skill": "python", "level": 2}] * 2}, "skills"),
    ({"skills": [{"skill": "cobol", "level": 2}]}, "skills[0].skill"),
    ({"completed": [{"item": "nope"}]}, "completed[0].item"),
    ({"completed": [{"item": "py-101"}, {"item": "py-101"}]}, "completed"),
    (
        {"completed": [{"item": "py-101", "completed_at": "2025-13-01"}]},
        "completed[0].completed_at",
    ),
    ({"target_roles": ["astronaut"]}, "target_roles[0]"),
    ({"preferences": {"hours_per_week": 0}}, "preferences.hours_per_week"),
    ({"preferences": {"hours_per_week": 1e-300}}, "preferences.hours_per_week"),
    ({"preferences": {"hours_per_week": 81}}, "preferences.hours_per_week"),
    ({"preferences": {"budget": -1}}, "preferences.budget"),
    ({"preferences": {"budget": "100"}}, "preferences.budget"),
    ({"resolve": "yes"}, "resolve"),
    (
        {"skills": [{"skill": "python", "level": 2, "assessed_at": "20250101"}]},
        "skills[0].assessed_at",
    ),
    ({"preferences": {"modalities": ["podcast"]}}, "preferences.modalities[0]"),
    ({"preferences": {"languages": ["English"]}}, "preferences.languages[0]"),
    ({"preferences": {"timezone": "UTC"}}, "preferences.timezone"),
    ({"id": "someone-else"}, "id"),
    ({"email": "dana.example.com"}, "email"),
    ({"email": "a" * 250 + "@x.com"}, "email"),
]


def test_invalid_profiles_are_422(client, admin, organisation, subtests):
    for change, field in INVALID:
        with subtests.test(msg=field):
            response = _put(client, admin, "e-1", {**employee_body(), **change})
            assert field in error_fields(response)
            assert_problem(client.get("/v1/employees/e-1", headers=admin), 404)


def test_employee_scopes(client, organisation, new_key):
    reader, writer = new_key("employees:read"), new_key("employees:write")
    assert _put(client, writer, "e-1", PROFILE).status_code == 201
    assert client.get("/v1/employees/e-1", headers=reader).status_code == 200
    assert_problem(client.get("/v1/employees/e-1", headers=writer), 403)
    assert_problem(_put(client, reader, "e-1", PROFILE, **STAR), 403)
    assert_problem(client.get("/v1/employees/e-1", headers=new_key("catalog:write")), 403)


@pytest.fixture
def staff(seed, organisation):
    """Store a few employees in two teams."""
    seed.employee("e-1", team="platform", current_role="dev")
    seed.employee("e-2", team="data", current_role="architect")
    seed.employee("e-3", team="platform")


FILTERS = [
    ("", ["e-1", "e-2", "e-3"]),
    ("team=platform", ["e-1", "e-3"]),
    ("team=data", ["e-2"]),
    ("team=nobody", []),
    ("role=dev", ["e-1"]),
    ("team=platform&role=architect", []),
]


def test_list_filters(client, admin, staff, subtests):
    for query, expected in FILTERS:
        with subtests.test(msg=query):
            response = client.get(f"/v1/employees?{query}", headers=admin)
            assert [e["id"] for e in response.get_json()] == expected
            assert pagination(response)["total"] == len(expected)


def test_list_pages(client, admin, staff):
    response = client.get("/v1/employees?page=2&page_size=2", headers=admin)
    assert [e["id"] for e in response.get_json()] == ["e-3"]
    assert pagination(response)["total"] == 3


def test_delete_erases_everything_about_the_person(client, admin, organisation, seed):
    app = client.application
    _put(client, admin, "e-1", PROFILE)
    seed.employee("e-2", skills=[{"skill": "python", "level": 1}], completed=[{"item": "py-101"}])
    counts = {t: count_rows(app, t) for t in ("employee_skills", "completions")}
    assert count_rows(app, "employee_target_roles") == 1
    etag = client.get("/v1/employees/e-1", headers=admin).headers["ETag"]
    response = client.delete("/v1/employees/e-1", headers={**admin, "If-Match": etag})
    assert response.status_code == 204
    assert_problem(client.get("/v1/employees/e-1", headers=admin), 404)
    assert count_rows(app, "employee_skills") == counts["employee_skills"] - 2
    assert count_rows(app, "completions") == counts["completions"] - 2
    assert count_rows(app, "employee_target_roles") == 0
    assert count_rows(app, "employees") == 1
    # The catalog the profile pointed at stays, and the id may come back.
    assert client.get("/v1/items/py-101", headers=admin).status_code == 200
    again = _put(client, admin, "e-1", PROFILE)
    assert again.status_code == 201
    assert len(again.get_json()["skills"]) == 2


def test_patch_changes_only_the_fields_given(client, admin, organisation):
    _put(client, admin, "e-1", PROFILE)
    response = client.patch(
        "/v1/employees/e-1",
        json={"team": "data", "skills": [{"skill": "kubernetes", "level": 4}]},
        headers={**admin, **STAR},
    )
    assert response.status_code == 200
    employee = response.get_json()
    assert employee["team"] == "data"
    assert employee["skills"] == [
        {"skill": "kubernetes", "level": 4, "source": "self", "assessed_at": None}
    ]
    assert employee["display_name"] == "Dana Example"
    assert len(employee["completed"]) == 2


INVALID_PATCHES = [
    ({"skills": [{"level": 4}]}, "skills[0].skill"),
    ({"completed": [{"completed_at": "2025-01-01"}]}, "completed[0].item"),
    ({"current_role": "astronaut"}, "current_role"),
    ({"preferences": {"hours_per_week": -2}}, "preferences.hours_per_week"),
]


def test_invalid_patches_are_422(client, admin, organisation, subtests):
    _put(client, admin, "e-1", PROFILE)
    for patch, field in INVALID_PATCHES:
        with subtests.test(msg=field):
            before = client.get("/v1/employees/e-1", headers=admin).get_json()
            response = client.patch("/v1/employees/e-1", json=patch, headers={**admin, **STAR})
            assert field in error_fields(response)
            assert client.get("/v1/employees/e-1", headers=admin).get_json() == before


def test_employee_writes_leave_the_catalog_version(client, admin, organisation, catalog_version):
    version = catalog_version()
    _put(client, admin, "e-1", PROFILE)
    client.patch("/v1/employees/e-1", json={"team": "x"}, headers={**admin, **STAR})
    client.post("/v1/employees/import", json=[{"id": "e-2"}], headers=admin)
    client.delete("/v1/employees/e-1", headers={**admin, **STAR})
    assert catalog_version() == version


def test_an_email_belongs_to_one_employee(client, admin, seed):
    seed.employee("e-1", email="ada@example.com")
    clash = client.put("/v1/employees/e-2", json={"email": "ADA@example.com"}, headers=admin)
    assert assert_problem(clash, 409)["detail"].startswith("employee 'e-1' already has")
    rows = [{"id": "e-3", "email": "bo@example.com"}, {"id": "e-4", "email": "Bo@example.com"}]
    body = assert_problem(client.post("/v1/employees/import", json=rows, headers=admin), 422)
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "email")]
    seed.employee("e-1", email="ada@example.org")
    assert (
        client.put(
            "/v1/employees/e-2", json={"email": "ada@example.com"}, headers=admin
        ).status_code
        == 201
    )
