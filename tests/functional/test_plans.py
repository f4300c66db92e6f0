"""/v1/employees/{id}/plans: kept learning paths, their progress, abandoning and replanning."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.functional.loop_support import days_ago, organisation, today
from tests.functional.support import assert_problem

PLANS = "/v1/employees/e-1/plans"


@pytest.fixture
def org(seed):
    organisation(seed)


def _plan(client, headers, **body):
    response = client.post(PLANS, json={"role": "dev", **body}, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"].endswith(f"{PLANS}/{response.get_json()['id']}")
    return response.get_json()


def _complete(client, headers, item, day=None):
    response = client.post(
        "/v1/employees/e-1/completions",
        json={"item": item, "completed_at": day or today().isoformat()},
        headers=headers,
    )
    assert response.status_code in (200, 201), response.get_json()


def _get(client, headers, plan_id):
    response = client.get(f"{PLANS}/{plan_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_kept_plan_reads_as_a_learning_path_with_progress(client, admin, org):
    path = client.post(
        "/v1/employees/e-1/learning-paths", json={"role": "dev"}, headers=admin
    ).get_json()
    plan = _plan(client, admin)
    assert plan["status"] == "active"
    assert plan["employee"] == "e-1"
    assert plan["target"] == {"role": "dev", "title": "Dev"}
    assert [s["item"]["id"] for s in plan["steps"]] == [s["item"]["id"] for s in path["steps"]]
    assert plan["coverage"] == path["coverage"]
    assert all(s["status"] == "pending" and s["completed_at"] is None for s in plan["steps"])
    assert plan["progress"] == {
        "steps_done": 0,
        "steps_total": len(path["steps"]),
        "hours_done": 0.0,
        "coverage_done": 0.0,
    }
    assert plan["schedule"] == "on_track"
    assert _get(client, admin, plan["id"]) == plan


def test_progress_moves_with_completions_from_the_plan_day_on(client, admin, org):
    plan = _plan(client, admin)
    first = plan["steps"][0]["item"]["id"]
    _complete(client, admin, first, days_ago(10))  # before the plan: does not count
    assert _get(client, admin, plan["id"])["progress"]["steps_done"] == 0
    _complete(client, admin, first)
    got = _get(client, admin, plan["id"])
    assert got["steps"][0]["status"] == "completed"
    assert got["steps"][0]["completed_at"] == today().isoformat()
    assert got["progress"]["steps_done"] == 1
    assert got["progress"]["hours_done"] == plan["steps"][0]["hours"]
    assert 0 < got["progress"]["coverage_done"] <= got["coverage"]
    assert got["schedule"] == "ahead"


def test_the_last_step_done_completes_the_plan(client, admin, org):
    plan = _plan(client, admin)
    for step in plan["steps"]:
        _complete(client, admin, step["item"]["id"])
    got = _get(client, admin, plan["id"])
    assert got["status"] == "completed"
    assert got["progress"]["coverage_done"] == got["coverage"]
    # Completed, it no longer blocks a new plan for the role.
    _plan(client, admin)


def test_a_second_active_plan_for_the_role_is_409_naming_the_first(client, admin, org):
    plan = _plan(client, admin)
    response = client.post(PLANS, json={"role": "dev"}, headers=admin)
    body = assert_problem(response, 409)
    assert plan["id"] in body["detail"]
    assert response.headers["Location"].endswith(plan["id"])


def test_abandoning_keeps_the_plan(client, admin, org):
    plan = _plan(client, admin)
    url = f"{PLANS}/{plan['id']}"
    assert_problem(client.delete(url, headers=admin), 428)
    assert_problem(client.delete(url, headers={**admin, "If-Match": '"stale"'}), 412)
    etag = client.get(url, headers=admin).headers["ETag"]
    response = client.delete(url, headers={**admin, "If-Match": etag})
    assert response.status_code == 200
    assert response.get_json()["status"] == "abandoned"
    assert _get(client, admin, plan["id"])["status"] == "abandoned"
    assert_problem(client.delete(url, headers={**admin, "If-Match": "*"}), 409)
    # Its steps done later do not count for it.
    _complete(client, admin, plan["steps"][0]["item"]["id"])
    assert _get(client, admin, plan["id"])["progress"]["steps_done"] in (0, 1)
    _plan(client, admin)


def test_replanning_keeps_done_steps_and_sees_the_new_catalog(client, admin, seed, org):
    plan = _plan(client, admin)
    done = plan["steps"][0]["item"]["id"]
    _complete(client, admin, done)
    seed.item("sql-fast", {"sql": 3}, duration_hours=2)  # a shorter course appears
    response = client.post(f"{PLANS}/{plan['id']}/replan", headers=admin)
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert response.headers["Location"].endswith(f"{PLANS}/{new['id']}")
    assert new["replaces"] == plan["id"]
    assert new["steps"][0]["item"]["id"] == done
    assert new["steps"][0]["status"] == "completed"
    assert new["progress"]["steps_done"] == 1
    assert "sql-fast" in [s["item"]["id"] for s in new["steps"]]
    assert "sql-101" not in [s["item"]["id"] for s in new["steps"]]
    old = _get(client, admin, plan["id"])
    assert (old["status"], old["superseded_by"]) == ("superseded", new["id"])
    assert_problem(client.post(f"{PLANS}/{plan['id']}/replan", headers=admin), 409)


def test_replanning_leaves_out_a_retired_item(client, admin, org):
    plan = _plan(client, admin)
    retired = plan["steps"][-1]["item"]["id"]
    client.delete(f"/v1/items/{retired}", headers={**admin, "If-Match": "*"})
    new = client.post(f"{PLANS}/{plan['id']}/replan", headers=admin).get_json()
    assert retired not in [s["item"]["id"] for s in new["steps"]]


def test_plans_are_listed_newest_first(client, admin, org):
    first = _plan(client, admin)
    second = client.post(f"{PLANS}/{first['id']}/replan", headers=admin).get_json()
    listed = client.get(PLANS, headers=admin).get_json()
    assert [p["id"] for p in listed] == [second["id"], first["id"]]
    active = client.get(PLANS, query_string={"status": "active"}, headers=admin).get_json()
    assert [p["id"] for p in active] == [second["id"]]


def test_unknown_employee_plan_and_role_are_404(client, admin, org):
    assert_problem(client.get(f"{PLANS}/no-such-plan", headers=admin), 404)
    assert_problem(client.get("/v1/employees/nobody/plans", headers=admin), 404)
    assert_problem(client.post(PLANS, json={"role": "nope"}, headers=admin), 404)


def test_plans_follow_the_personal_data_rule(client, new_key, admin, org):
    plan = _plan(client, admin)
    recommend = new_key("recommend")
    for method, url in [
        ("post", PLANS),
        ("get", PLANS),
        ("get", f"{PLANS}/{plan['id']}"),
        ("post", f"{PLANS}/{plan['id']}/replan"),
        ("post", "/v1/employees/nobody/plans"),
    ]:
        kwargs = {"json": {"role": "dev"}} if url.endswith("plans") and method == "post" else {}
        assert getattr(client, method)(url, headers=recommend, **kwargs).status_code == 403
    writer = new_key("employees:write")
    url = f"{PLANS}/{plan['id']}"
    assert client.delete(url, headers={**writer, "If-Match": "*"}).status_code == 200


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(done=st.lists(st.booleans(), min_size=4, max_size=4), again=st.booleans())
def test_a_replan_never_drops_a_completed_step(client, admin, seed, org, done, again):
    seed.employee("e-1", target_roles=["dev"])  # a fresh start: no completions
    for plan in client.get(PLANS, query_string={"status": "active"}, headers=admin).get_json():
        client.delete(f"{PLANS}/{plan['id']}", headers={**admin, "If-Match": "*"})
    plan = _plan(client, admin)
    finished = {s["item"]["id"] for s, flag in zip(plan["steps"], done, strict=False) if flag}
    for item in finished:
        _complete(client, admin, item)
    current = _get(client, admin, plan["id"])
    for _ in range(2 if again else 1):
        if current["status"] != "active":
            break
        current = client.post(f"{PLANS}/{current['id']}/replan", headers=admin).get_json()
        kept = {s["item"]["id"] for s in current["steps"] if s["status"] == "completed"}
        assert finished <= kept
        assert current["progress"]["steps_done"] >= len(finished)
        assert current["progress"]["coverage_done"] <= current["coverage"]
