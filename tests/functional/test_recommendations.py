"""The recommender over HTTP: gaps, recommendations, learning paths, role matches, resolve."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.version import get_catalog_version
from service.db import db
from tests.functional.support import (
    assert_problem,
    error_fields,
    item_body,
    recorded_statements,
)

STAR = {"If-Match": "*"}
TODAY = dt.datetime.now(dt.UTC).date()
LONG_AGO = (TODAY - dt.timedelta(days=3 * 365)).isoformat()
RECENTLY = (TODAY - dt.timedelta(days=30)).isoformat()

# The "backend" role: skill -> (required level, weight).
BACKEND = {"python": (4, 1.0), "sql": (3, 0.5), "aws": (2, 0.8), "terraform": (2, 0.4)}


def _competencies(spec: dict[str, tuple[int, float]]) -> list[dict]:
    return [{"skill": s, "level": lv, "weight": w} for s, (lv, w) in spec.items()]


@pytest.fixture
def catalog(seed):
    """Store a small catalog: skills, items, roles, and an employee aiming at "backend"."""
    seed.skill("python", "Python", aliases=["py"])
    seed.skill("sql", "SQL")
    seed.skill("aws", "Amazon Web Services", aliases=["AWS"])
    seed.skill("terraform", "Terraform")
    seed.skill("kubernetes", "Kubernetes")
    seed.skill("docker", "Docker")
    seed.item("py-basics", {"python": 2}, duration_hours=10, cost=0)
    seed.item(
        "py-advanced",
        {"python": 4},
        prerequisites=[{"skill": "python", "level": 2}],
        modality="instructor_led",
        duration_hours=20,
        cost=100,
    )
    seed.item("sql-course", {"sql": 3}, duration_hours=15, cost=50, language="de")
    seed.item(
        "aws-cert",
        {"aws": 3},
        kind="certification",
        modality="blended",
        valid_months=12,
        duration_hours=30,
        cost=150,
    )
    seed.item(
        "docker-mentor",
        {"docker": 2, "aws": 1},
        kind="mentoring",
        modality="mentoring",
        duration_hours=5,
    )
    seed.role("backend", _competencies(BACKEND))
    seed.role("data", {"sql": 3})
    seed.role("cloud", {"aws": 4, "terraform": 3, "kubernetes": 3})
    seed.employee(
        "e1",
        target_roles=["backend"],
        skills=[{"skill": "python", "level": 2}, {"skill": "sql", "level": 3}],
        completed=[
            {"item": "py-basics", "completed_at": RECENTLY},
            {"item": "aws-cert", "completed_at": LONG_AGO},
        ],
    )


@pytest.fixture
def rec(new_key):
    """Return the headers of a key that may recommend for stored employees."""
    return new_key("recommend", "employees:read")


def _recommended(client, headers, query="") -> list[str]:
    response = client.get(f"/v1/employees/e1/recommendations{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [r["item"]["id"] for r in response.get_json()["items"]]


def _stateless(client, headers, **body):
    return client.post("/v1/learning-paths", json=body, headers=headers)


def _check_path(path: dict, cur: dict[str, int], spec: dict[str, tuple[int, float]]) -> None:
    """Assert a path's constraints, closes, coverage, readiness and schedule agree."""
    limits = path["constraints"]
    steps = path["steps"]
    assert path["total_hours"] == pytest.approx(sum(s["item"]["duration_hours"] for s in steps))
    assert path["total_cost"] == pytest.approx(sum(s["item"]["cost"] for s in steps))
    if limits["max_hours"] is not None:
        assert path["total_hours"] <= limits["max_hours"] + 1e-9
    if limits["budget"] is not None:
        assert path["total_cost"] <= limits["budget"] + 1e-9
    if limits["max_items"] is not None:
        assert len(steps) <= limits["max_items"]
    assert [s["position"] for s in steps] == list(range(1, len(steps) + 1))

    reached = dict(cur)
    for step in steps:
        for change in step["closes"] + step["builds"]:
            assert change["from"] == reached.get(change["skill"], 0), (step, reached)
            assert change["to"] > change["from"]
            reached[change["skill"]] = change["to"]
    big_g = sum(w * max(0, req - cur.get(s, 0)) for s, (req, w) in spec.items())
    total = sum(w * req for req, w in spec.values())
    closed = sum(
        w * max(0, min(reached.get(s, 0), req) - cur.get(s, 0)) for s, (req, w) in spec.items()
    )
    assert path["readiness_before"] == round(1 - big_g / total, 4)
    assert path["readiness_after"] == round(1 - (big_g - closed) / total, 4)
    if big_g:
        assert path["coverage"] == round(closed / big_g, 4)
    unmet = {u["skill"] for u in path["unmet"]}
    assert unmet == {s for s, (req, _) in spec.items() if reached.get(s, 0) < req}

    for before, after in zip(steps, steps[1:], strict=False):
        # Steps run end to end; partial weeks are shared and days round outwards, so the
        # next step may start on the day (or the week) the previous one ends.
        assert after["start_week"] >= before["end_week"]
        assert after["start_date"] >= before["start_date"]
        end = dt.date.fromisoformat(before["end_date"])
        assert dt.date.fromisoformat(after["start_date"]) >= end - dt.timedelta(days=1)
    for step in steps:
        assert step["start_week"] <= step["end_week"]
        assert step["start_date"] <= step["end_date"]


def _check_prerequisites(client, headers, path: dict, cur: dict[str, int]) -> None:
    """Assert every step's prerequisites are met by the profile or earlier steps."""
    levels = dict(cur)
    for step in path["steps"]:
        item = client.get(f"/v1/items/{step['item']['id']}", headers=headers).get_json()
        for pre in item.get("prerequisites") or []:
            assert levels.get(pre["skill"], 0) >= pre["level"], (step, levels)
        for taught in item["skills"]:
            levels[taught["skill"]] = max(levels.get(taught["skill"], 0), taught["level"])


# -- gaps ---------------------------------------------------------------------------------------


def test_gaps_follow_the_design_formulas(client, rec, catalog):
    response = client.get("/v1/employees/e1/gaps", headers=rec)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["target"]["role"] == "backend"  # the first target role by default
    # python 2 (stated and by completion), sql 3, aws 0 (the certification has expired).
    cur = {"python": 2, "sql": 3, "aws": 0, "terraform": 0}
    big_g = sum(w * max(0, req - cur[s]) for s, (req, w) in BACKEND.items())
    total = sum(w * req for req, w in BACKEND.values())
    assert body["weighted_gap"] == round(big_g, 4)
    assert body["readiness"] == round(1 - big_g / total, 4)
    assert [g["skill"] for g in body["gaps"]] == ["python", "aws", "terraform"]
    weighted = [g["weighted_gap"] for g in body["gaps"]]
    assert weighted == sorted(weighted, reverse=True)
    for gap in body["gaps"]:
        req, w = BACKEND[gap["skill"]]
        assert (gap["current"], gap["required"], gap["gap"]) == (
            cur[gap["skill"]],
            req,
            req - cur[gap["skill"]],
        )
        assert gap["weighted_gap"] == round(w * gap["gap"], 4)
    assert [m["skill"] for m in body["met"]] == ["sql"]
    assert body["met"][0]["gap"] == 0


def test_gaps_for_a_named_role(client, rec, catalog):
    body = client.get("/v1/employees/e1/gaps?role=data", headers=rec).get_json()
    assert body["target"]["role"] == "data"
    assert body["readiness"] == pytest.approx(1.0)
    assert body["gaps"] == []


def test_gaps_need_a_role(client, rec, catalog, seed):
    seed.employee("e2", skills=[{"skill": "python", "level": 1}])
    assert_problem(client.get("/v1/employees/e2/gaps", headers=rec), 422)
    assert_problem(client.get("/v1/employees/e1/gaps?role=nope", headers=rec), 404)
    assert_problem(client.get("/v1/employees/nobody/gaps", headers=rec), 404)


# -- recommendations ----------------------------------------------------------------------------


def test_completed_items_are_never_recommended(client, rec, catalog):
    ids = _recommended(client, rec)
    assert "py-basics" not in ids
    # The certification expired: it is recommended again.
    assert "aws-cert" in ids
    assert "py-advanced" in ids


def test_a_recommendations_request_reads_the_employee_in_one_statement(
    app, client, admin, rec, catalog
):
    _recommended(client, rec)  # fits the models and meets the key
    client.post(
        "/v1/employees/e1/feedback", json={"item": "sql-course", "action": "dismiss"}, headers=admin
    )
    client.post(
        "/v1/employees/e1/feedback",
        json={"item": "py-advanced", "action": "interested"},
        headers=admin,
    )
    with recorded_statements(app) as statements:
        ranked = _recommended(client, rec)
    assert "sql-course" not in ranked and ranked[0] == "py-advanced"
    employee = [s for s in statements if "from employees" in s]
    assert len(employee) == 1, statements
    for table in ("employee_skills", "completions", "employee_target_roles", "feedback"):
        assert f"from {table}" in employee[0]
        assert not [s for s in statements if f"from {table}" in s and s not in employee], table
    # The key, the catalog version and the employee; nothing else goes to the database.
    assert len(statements) <= 3, statements


def test_the_employee_statement_reads_the_catalog_version_too(app, client, admin, catalog):
    """Without a key to check, a recommendations request sends the database one statement."""
    url = "/v1/employees/e1/recommendations"
    assert client.get(url, headers=admin).status_code == 200  # fits the models
    with recorded_statements(app) as statements:
        answer = client.get(url, headers=admin).get_json()
    assert len(statements) == 1, statements
    assert "from employees" in statements[0] and "from catalog_state" in statements[0]
    with app.test_request_context():
        assert answer["catalog_version"] == get_catalog_version(session=db.session)


def test_a_current_certification_is_not_recommended(client, rec, catalog, seed):
    seed.employee("e1", target_roles=["backend"], completed=[{"item": "aws-cert"}])
    assert "aws-cert" not in _recommended(client, rec)
    gaps = client.get("/v1/employees/e1/gaps", headers=rec).get_json()
    assert "aws" in {m["skill"] for m in gaps["met"]}


def test_retired_and_new_items_show_at_once(client, admin, rec, catalog, catalog_version):
    assert "aws-cert" in _recommended(client, rec)
    before = catalog_version()
    retired = client.delete("/v1/items/aws-cert", headers={**admin, **STAR})
    assert retired.status_code in (200, 204), retired.get_json()
    assert "aws-cert" not in _recommended(client, rec)
    created = client.post("/v1/items", json=item_body("tf-101", {"terraform": 2}), headers=admin)
    assert created.status_code == 201, created.get_json()
    assert catalog_version() > before
    response = client.get("/v1/employees/e1/recommendations", headers=rec)
    assert response.get_json()["catalog_version"] == catalog_version()
    assert "tf-101" in [r["item"]["id"] for r in response.get_json()["items"]]


def test_recommendation_filters(client, rec, catalog):
    items = client.get("/v1/employees/e1/recommendations", headers=rec).get_json()["items"]
    assert len({r["item"]["modality"] for r in items}) > 1
    for r in items:  # an item that is not ready says what it needs first
        assert r["ready"] == (not r["missing"])
        for need in r["missing"]:
            assert set(need) == {"skill", "level", "item"}
            assert (need["item"] is None) == (need["skill"] is not None)
    for query, field, allowed in [
        ("?modality=blended", "modality", {"blended"}),
        ("?modality=mentoring&modality=blended", "modality", {"mentoring", "blended"}),
        ("?kind=certification", "kind", {"certification"}),
        ("?kind=mentoring", "kind", {"mentoring"}),
    ]:
        response = client.get(f"/v1/employees/e1/recommendations{query}", headers=rec)
        listed = response.get_json()["items"]
        assert listed, query
        assert {r["item"][field] for r in listed} <= allowed, query
    # sql is met, so a language filter is seen on a role that needs it.
    de = client.get("/v1/employees/e1/recommendations?role=cloud&language=de", headers=rec)
    assert de.get_json()["items"] == []
    en = client.get("/v1/employees/e1/recommendations?role=cloud&language=en", headers=rec)
    assert {r["item"]["language"] for r in en.get_json()["items"]} == {"en"}


def test_language_filter_on_a_german_item(client, rec, catalog, seed):
    seed.employee("e1", target_roles=["data"])
    assert _recommended(client, rec) == ["sql-course"]
    assert _recommended(client, rec, "?language=de") == ["sql-course"]
    assert _recommended(client, rec, "?language=en") == []


def test_preferred_modalities_apply_by_default(client, rec, catalog, seed):
    seed.employee(
        "e1",
        target_roles=["backend"],
        skills=[{"skill": "python", "level": 2}],
        preferences={"modalities": ["blended"]},
    )
    assert _recommended(client, rec) == ["aws-cert"]
    assert "py-advanced" in _recommended(client, rec, "?modality=instructor_led")


def test_limit_and_determinism(client, rec, catalog):
    assert len(_recommended(client, rec)) >= 3
    assert len(_recommended(client, rec, "?limit=2")) == 2
    first = client.get("/v1/employees/e1/recommendations", headers=rec).get_json()
    second = client.get("/v1/employees/e1/recommendations", headers=rec).get_json()
    assert first == second
    scores = [r["score"] for r in first["items"]]
    assert scores == sorted(scores, reverse=True)


# -- learning paths -----------------------------------------------------------------------------


def test_employee_path_honours_constraints(client, rec, catalog):
    cur = {"python": 2, "sql": 3}
    body = {"constraints": {"max_hours": 35, "budget": 200, "max_items": 2, "hours_per_week": 4}}
    response = client.post("/v1/employees/e1/learning-paths", json=body, headers=rec)
    assert response.status_code == 200, response.get_json()
    path = response.get_json()
    assert path["target"]["role"] == "backend"
    assert path["constraints"]["max_hours"] == 35
    assert path["constraints"]["budget"] == 200
    assert path["constraints"]["max_items"] == 2
    assert path["steps"]
    _check_path(path, cur, BACKEND)
    _check_prerequisites(client, rec, path, cur)
    assert "py-basics" not in {s["item"]["id"] for s in path["steps"]}


def test_employee_path_plans_an_expired_certification_again(client, rec, catalog):
    body = {"constraints": {"max_hours": 200, "max_items": 8, "start_date": "2030-01-07"}}
    path = client.post("/v1/employees/e1/learning-paths", json=body, headers=rec).get_json()
    ids = [s["item"]["id"] for s in path["steps"]]
    assert "aws-cert" in ids
    assert "py-advanced" in ids
    assert path["steps"][0]["start_date"] == "2030-01-07"
    _check_path(path, {"python": 2, "sql": 3}, BACKEND)
    (terraform,) = path["unmet"]
    assert terraform["skill"] == "terraform"
    assert terraform["code"] == "no_active_item"
    assert path["model"]["planner"] == "milp"
    assert path["model"]["optimal"] is True
    # Proven over every available item: nothing could cover more than this path does.
    assert path["model"]["bound"] == path["coverage"]


def test_stateless_path_orders_prerequisites_first(client, rec, catalog):
    body = {
        "profile": {"skills": [{"skill": "sql", "level": 1}]},
        "target": {"competencies": [{"skill": "Python", "level": 4, "weight": 1.0}]},
        "constraints": {"max_hours": 100, "hours_per_week": 10},
    }
    response = _stateless(client, rec, **body)
    assert response.status_code == 200, response.get_json()
    path = response.get_json()
    assert [s["item"]["id"] for s in path["steps"]] == ["py-basics", "py-advanced"]
    assert path["steps"][0]["unlocks"] == [2]
    assert path["coverage"] == pytest.approx(1.0)
    assert path["readiness_after"] == pytest.approx(1.0)
    assert path["unmet"] == []
    _check_path(path, {"sql": 1}, {"python": (4, 1.0)})
    _check_prerequisites(client, rec, path, {"sql": 1})
    assert (path["model"]["planner"], path["model"]["optimal"]) == ("milp", True)
    assert _stateless(client, rec, **body).get_json() == path


def test_stateless_path_under_tight_limits(client, rec, catalog):
    spec = {"python": (4, 1.0), "aws": (3, 0.8), "docker": (2, 0.5), "terraform": (1, 0.3)}
    body = {
        "profile": {"skills": [{"skill": "python", "level": 1}]},
        "target": {"competencies": _competencies(spec)},
        "constraints": {"max_hours": 40, "budget": 120, "max_items": 3},
    }
    path = _stateless(client, rec, **body).get_json()
    assert path["steps"]
    _check_path(path, {"python": 1}, spec)
    _check_prerequisites(client, rec, path, {"python": 1})
    assert "aws-cert" not in {s["item"]["id"] for s in path["steps"]}  # over budget
    codes = {u["skill"]: u["code"] for u in path["unmet"]}
    assert codes["terraform"] == "no_active_item"


def test_stateless_expired_certification_counts_for_nothing(client, rec, catalog):
    target = {"competencies": [{"skill": "aws", "level": 3, "weight": 1.0}]}
    fresh = _stateless(
        client,
        rec,
        profile={"completed": [{"item": "aws-cert", "completed_at": RECENTLY}]},
        target=target,
    ).get_json()
    assert fresh["readiness_before"] == pytest.approx(1.0)
    assert fresh["steps"] == []
    stale = _stateless(
        client,
        rec,
        profile={"completed": [{"item": "aws-cert", "completed_at": LONG_AGO}]},
        target=target,
    ).get_json()
    assert stale["readiness_before"] == pytest.approx(0.0)
    assert "aws-cert" in [s["item"]["id"] for s in stale["steps"]]
    _check_path(stale, {}, {"aws": (3, 1.0)})


def test_stateless_path_for_a_role(client, rec, catalog):
    body = {"profile": {"skills": [{"skill": "AWS", "level": 4}]}, "target": {"role": "data"}}
    path = _stateless(client, rec, **body).get_json()
    assert path["target"]["role"] == "data"
    assert [s["item"]["id"] for s in path["steps"]] == ["sql-course"]
    _check_path(path, {"aws": 4}, {"sql": (3, 1.0)})
    assert_problem(_stateless(client, rec, profile={}, target={"role": "nope"}), 404)


def test_stateless_target_is_exactly_one_of_role_or_competencies(client, rec, catalog):
    both = {"role": "data", "competencies": [{"skill": "sql", "level": 3}]}
    assert error_fields(_stateless(client, rec, profile={}, target=both))
    assert error_fields(_stateless(client, rec, profile={}, target={}))


def test_stateless_unknown_skill_suggests_and_resolve_fixes_it(client, rec, catalog):
    target = {"competencies": [{"skill": "kubernetes", "level": 2}]}
    profile = {"skills": [{"skill": "Kubernets", "level": 1}]}
    response = _stateless(client, rec, profile=profile, target=target)
    body = assert_problem(response, 422)
    (error,) = body["errors"]
    assert error["field"] == "profile.skills[0].skill"
    assert "kubernetes" in error["suggestions"]

    path = _stateless(client, rec, profile={**profile, "resolve": True}, target=target)
    assert path.status_code == 200, path.get_json()
    assert path.get_json()["readiness_before"] == pytest.approx(0.5)
    assert path.get_json()["unmet"][0]["code"] == "no_active_item"


# -- role matches and resolve -------------------------------------------------------------------


def test_role_matches_sorted_by_readiness(client, rec, catalog):
    response = client.get("/v1/employees/e1/role-matches", headers=rec)
    assert response.status_code == 200, response.get_json()
    matches = response.get_json()["matches"]
    assert {m["role"] for m in matches} == {"backend", "data", "cloud"}
    readiness = [m["readiness"] for m in matches]
    assert readiness == sorted(readiness, reverse=True)
    assert matches[0]["role"] == "data"
    assert matches[0]["readiness"] == pytest.approx(1.0)
    assert matches[-1]["role"] == "cloud"
    limited = client.get("/v1/employees/e1/role-matches?limit=1", headers=rec).get_json()
    assert [m["role"] for m in limited["matches"]] == ["data"]
    assert_problem(client.get("/v1/employees/nobody/role-matches", headers=rec), 404)


def test_resolve_exact_then_typo(client, rec, catalog):
    exact = client.get("/v1/skills/resolve?text=Kubernetes", headers=rec)
    assert exact.status_code == 200, exact.get_json()
    first = exact.get_json()[0]
    assert (first["skill"], first["score"]) == ("kubernetes", 1.0)
    typo = client.get("/v1/skills/resolve?text=kubernets&limit=3", headers=rec).get_json()
    assert typo[0]["skill"] == "kubernetes"
    assert typo[0]["score"] < 1.0
    assert len(typo) <= 3
    scores = [m["score"] for m in typo]
    assert scores == sorted(scores, reverse=True)


# -- scopes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/v1/skills/resolve?text=sql"),
        ("get", "/v1/employees/e1/gaps"),
        ("get", "/v1/employees/e1/recommendations"),
        ("post", "/v1/employees/e1/learning-paths"),
        ("post", "/v1/learning-paths"),
        ("get", "/v1/employees/e1/role-matches"),
    ],
)
def test_the_recommend_scope_is_needed(client, new_key, catalog, method, url):
    body = {"profile": {}, "target": {"role": "data"}} if url == "/v1/learning-paths" else {}
    kwargs = {"json": body} if method == "post" else {}
    reader = new_key("employees:read")
    assert_problem(getattr(client, method)(url, headers=reader, **kwargs), 403)
    assert_problem(getattr(client, method)(url, **kwargs), 401)
    # Answers about a stored employee need employees:read as well; the stateless path not.
    personal = url.startswith("/v1/employees/")
    if personal:
        narrow = getattr(client, method)(url, headers=new_key("recommend"), **kwargs)
        assert "employees:read" in assert_problem(narrow, 403)["detail"]
    scopes = ("recommend", "employees:read") if personal else ("recommend",)
    allowed = getattr(client, method)(url, headers=new_key(*scopes), **kwargs)
    assert allowed.status_code == 200, allowed.get_json()
