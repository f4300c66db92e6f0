"""/v1/employees/{id}/feedback: dismissed items leave recommendations and plans."""

from __future__ import annotations

import pytest

from tests.functional.loop_support import organisation
from tests.functional.support import assert_problem

FEEDBACK = "/v1/employees/e-1/feedback"


@pytest.fixture
def org(seed):
    organisation(seed)


def _recommended(client, headers):
    response = client.get(
        "/v1/employees/e-1/recommendations", query_string={"role": "dev"}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_dismissed_items_leave_recommendations_and_paths(client, admin, org):
    assert "py-201" in [r["item"]["id"] for r in _recommended(client, admin)]
    response = client.post(
        FEEDBACK,
        json={"item": "py-201", "action": "dismiss", "reason": "done elsewhere"},
        headers=admin,
    )
    assert response.status_code == 201
    record = response.get_json()
    assert response.headers["Location"].endswith(f"{FEEDBACK}/{record['id']}")
    assert "py-201" not in [r["item"]["id"] for r in _recommended(client, admin)]
    path = client.post(
        "/v1/employees/e-1/learning-paths", json={"role": "dev"}, headers=admin
    ).get_json()
    assert "py-201" not in [s["item"]["id"] for s in path["steps"]]
    assert [(e["item"]["id"], e["action"]) for e in path["excluded"]] == [("py-201", "dismiss")]
    plan = client.post("/v1/employees/e-1/plans", json={"role": "dev"}, headers=admin).get_json()
    assert [e["item"]["id"] for e in plan["excluded"]] == ["py-201"]

    taken_back = client.delete(f"{FEEDBACK}/{record['id']}", headers=admin)
    assert taken_back.status_code == 204
    assert "py-201" in [r["item"]["id"] for r in _recommended(client, admin)]
    assert_problem(client.delete(f"{FEEDBACK}/{record['id']}", headers=admin), 404)


def test_items_requiring_a_dismissed_one_leave_too(client, admin, seed, org):
    seed.item("py-301", {"python": 4}, requires_items=["py-201"])
    seed.role("senior", {"python": 4})
    client.post(FEEDBACK, json={"item": "py-201", "action": "not_relevant"}, headers=admin)
    path = client.post(
        "/v1/employees/e-1/learning-paths", json={"role": "senior"}, headers=admin
    ).get_json()
    assert [s["item"]["id"] for s in path["steps"]] == ["py-101"]
    assert {e["item"]["id"]: e["because"] for e in path["excluded"]} == {
        "py-201": "py-201",
        "py-301": "py-201",
    }
    assert [u["code"] for u in path["unmet"]] == ["feedback"]


def test_interest_raises_an_item(client, admin, seed, org):
    ranked = [r["item"]["id"] for r in _recommended(client, admin)]
    last = ranked[-1]
    client.post(FEEDBACK, json={"item": last, "action": "interested"}, headers=admin)
    raised = _recommended(client, admin)
    position = [r["item"]["id"] for r in raised].index(last)
    assert position < len(ranked) - 1
    assert raised[position]["interested"] is True


def test_new_feedback_on_an_item_replaces_the_old(client, admin, org):
    first = client.post(FEEDBACK, json={"item": "py-201", "action": "dismiss"}, headers=admin)
    second = client.post(FEEDBACK, json={"item": "py-201", "action": "interested"}, headers=admin)
    assert second.status_code == 200
    assert second.get_json()["id"] == first.get_json()["id"]
    listed = client.get(FEEDBACK, headers=admin).get_json()
    assert [(f["item"], f["action"]) for f in listed] == [("py-201", "interested")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"item": "py-201", "action": "love"}, "action"),
        ({"action": "dismiss"}, "item"),
        ({"item": "py-2011", "action": "dismiss"}, "item"),
    ],
)
def test_bad_feedback_is_422(client, admin, org, body, field):
    response = assert_problem(client.post(FEEDBACK, json=body, headers=admin), 422)
    assert field in {e["field"] for e in response["errors"]}


def test_feedback_scopes(client, new_key, org):
    body = {"item": "py-201", "action": "dismiss"}
    assert client.post(FEEDBACK, json=body, headers=new_key("evidence:write")).status_code == 201
    assert client.post(FEEDBACK, json=body, headers=new_key("employees:write")).status_code == 200
    assert client.post(FEEDBACK, json=body, headers=new_key("recommend")).status_code == 403
    assert client.get(FEEDBACK, headers=new_key("evidence:write")).status_code == 403
    assert client.get(FEEDBACK, headers=new_key("employees:read")).status_code == 200
