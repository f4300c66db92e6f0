"""Answers a person reads: numbers rounded as DESIGN.md says, unknown roles with suggestions."""

from __future__ import annotations

import pytest

from tests.functional.support import assert_problem

# Weights whose sums are not exact in binary floating point (0.7 * 3 = 2.0999999999999996).
NOISY = [
    {"skill": "python", "level": 3, "weight": 0.7},
    {"skill": "sql", "level": 3, "weight": 0.1},
    {"skill": "aws", "level": 3, "weight": 0.3},
]
SHARES = {"readiness", "readiness_before", "readiness_after", "coverage", "weight",
          "weighted_gap", "score", "gain", "similarity"}  # fmt: skip
AMOUNTS = {"duration_hours", "cost", "total_hours", "total_cost", "max_hours", "budget",
           "hours_per_week"}  # fmt: skip


@pytest.fixture
def noisy(seed, new_key):
    """Store a role with noisy weights, items for it, and an employee aiming at it."""
    for skill in ("python", "sql", "aws"):
        seed.skill(skill)
    seed.item("py", {"python": 3}, duration_hours=10.333, cost=19.999)
    seed.item("aws", {"aws": 2}, duration_hours=7.1, cost=0.1)
    seed.role("cloud-architect", NOISY, title="Cloud Architect")
    seed.role("data-analyst", {"sql": 3}, title="Data Analyst")
    seed.employee("e1", target_roles=["cloud-architect"], skills=[{"skill": "sql", "level": 1}])
    return new_key("recommend", "employees:read")


def _numbers(value, name=""):
    """Yield ``(field name, number)`` for every float anywhere in an answer."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _numbers(child, key)
    elif isinstance(value, list):
        for child in value:
            yield from _numbers(child, name)
    elif isinstance(value, float):
        yield name, value


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/v1/employees/e1/gaps", None),
        ("get", "/v1/employees/e1/recommendations", None),
        ("get", "/v1/employees/e1/role-matches", None),
        ("post", "/v1/employees/e1/learning-paths", {"constraints": {"max_hours": 100}}),
    ],
)
def test_shares_have_four_decimals_and_amounts_two(client, noisy, method, path, body):
    kwargs = {"json": body} if body is not None else {}
    answer = getattr(client, method)(path, headers=noisy, **kwargs)
    assert answer.status_code == 200, answer.get_json()
    seen = list(_numbers(answer.get_json()))
    assert seen, "the answer has no numbers to check"
    for name, number in seen:
        places = 2 if name in AMOUNTS else 4
        assert round(number, places) == number, (name, number)


def test_readiness_reads_the_same_from_every_endpoint(client, noisy):
    gaps = client.get("/v1/employees/e1/gaps", headers=noisy).get_json()
    recs = client.get("/v1/employees/e1/recommendations", headers=noisy).get_json()
    path = client.post("/v1/employees/e1/learning-paths", json={}, headers=noisy).get_json()
    matches = client.get("/v1/employees/e1/role-matches", headers=noisy).get_json()
    match = next(m for m in matches["matches"] if m["role"] == "cloud-architect")
    assert gaps["readiness"] == recs["readiness"] == path["readiness_before"] == match["readiness"]


def test_an_unknown_role_suggests_the_closest(client, noisy):
    answer = client.get("/v1/employees/e1/gaps?role=cloud-architekt", headers=noisy)
    problem = assert_problem(answer, 404)
    assert "did you mean 'cloud-architect'" in problem["detail"]
    assert problem["errors"][0]["suggestions"][0] == "cloud-architect"


def test_a_role_named_by_its_title_is_suggested_by_id(client, noisy):
    answer = client.post(
        "/v1/employees/e1/learning-paths", json={"role": "Data-Analyst"}, headers=noisy
    )
    assert assert_problem(answer, 404)["errors"][0]["suggestions"] == ["data-analyst"]


def test_nothing_close_suggests_nothing(client, noisy):
    problem = assert_problem(client.get("/v1/employees/e1/gaps?role=zzzz", headers=noisy), 404)
    assert "errors" not in problem
