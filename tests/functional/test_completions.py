"""POST /v1/employees/{id}/completions: learning evidence in, once per item and day."""

from __future__ import annotations

import pytest

from tests.functional.loop_support import completions_of, days_ago, organisation
from tests.functional.support import assert_problem, count_rows

PATH = "/v1/employees/e-1/completions"


@pytest.fixture
def org(seed):
    organisation(seed)


def test_one_completion_is_added_then_recognised(client, admin, org):
    record = {"item": "py-101", "completed_at": days_ago(3), "score": 0.9, "source": "lxp"}
    first = client.post(PATH, json=record, headers=admin)
    assert first.status_code == 201
    assert first.get_json() == {
        "added": [{**record, "expires_at": None}],
        "unchanged": 0,
    }
    again = client.post(PATH, json={**record, "score": 0.5}, headers=admin)
    assert again.status_code == 200
    assert again.get_json() == {"added": [], "unchanged": 1}
    assert completions_of(client, admin, "e-1") == [{**record, "expires_at": None}]


def test_a_batch_adds_what_is_new_and_keeps_renewals(client, admin, org):
    client.post(PATH, json={"item": "py-101", "completed_at": days_ago(30)}, headers=admin)
    batch = [
        {"item": "py-101", "completed_at": days_ago(30)},
        {"item": "py-101", "completed_at": days_ago(2)},
        {"item": "sql-101", "completed_at": days_ago(2)},
        {"item": "sql-101", "completed_at": days_ago(2)},
    ]
    response = client.post(PATH, json=batch, headers=admin)
    assert response.status_code == 201
    body = response.get_json()
    assert [(c["item"], c["completed_at"]) for c in body["added"]] == [
        ("py-101", days_ago(2)),
        ("sql-101", days_ago(2)),
    ]
    assert body["unchanged"] == 2
    stored = completions_of(client, admin, "e-1")
    assert sorted((c["item"], c["completed_at"]) for c in stored) == [
        ("py-101", days_ago(30)),
        ("py-101", days_ago(2)),
        ("sql-101", days_ago(2)),
    ]


def test_the_profile_round_trips_with_renewed_completions(client, admin, org):
    for day in (days_ago(400), days_ago(5)):
        client.post(PATH, json={"item": "aws-cert", "completed_at": day}, headers=admin)
    got = client.get("/v1/employees/e-1", headers=admin)
    body = {k: v for k, v in got.get_json().items() if k not in ("id", "created_at", "updated_at")}
    again = client.put(
        "/v1/employees/e-1", json=body, headers={**admin, "If-Match": got.headers["ETag"]}
    )
    assert again.status_code == 200
    assert again.headers["ETag"] == got.headers["ETag"]


def test_unknown_items_are_named_with_suggestions_and_nothing_is_written(client, admin, org):
    batch = [
        {"item": "py-101", "completed_at": days_ago(1)},
        {"item": "py-10", "completed_at": days_ago(1)},
        {"item": "nothing-like-it", "completed_at": days_ago(1)},
    ]
    body = assert_problem(client.post(PATH, json=batch, headers=admin), 422)
    errors = {e["field"]: e for e in body["errors"]}
    assert set(errors) == {"[1].item", "[2].item"}
    assert "py-101" in errors["[1].item"]["suggestions"]
    assert count_rows(client.application, "completions") == 0


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"item": "py-101"}, "completed_at"),
        ({"item": "py-101", "completed_at": "2999-01-01"}, "completed_at"),
        ({"item": "py-101", "completed_at": days_ago(1), "score": 1.5}, "score"),
        ({"item": "py-101", "completed_at": days_ago(1), "colour": "red"}, "colour"),
        ({"completed_at": days_ago(1)}, "item"),
    ],
)
def test_malformed_records_are_422(client, admin, org, record, field):
    body = assert_problem(client.post(PATH, json=record, headers=admin), 422)
    assert field in {e["field"] for e in body["errors"]}
    indexed = assert_problem(client.post(PATH, json=[record], headers=admin), 422)
    assert f"[0].{field}" in {e["field"] for e in indexed["errors"]}


def test_an_empty_or_oversized_batch_is_422(client, make_app, admin, org):
    assert_problem(client.post(PATH, json=[], headers=admin), 422)
    small = make_app(SKILLPATH_MAX_IMPORT_ROWS=2).test_client()
    rows = [{"item": "py-101", "completed_at": days_ago(n)} for n in range(1, 4)]
    assert_problem(small.post(PATH, json=rows, headers=admin), 422)


def test_an_unknown_employee_is_404(client, admin, org):
    record = {"item": "py-101", "completed_at": days_ago(1)}
    assert_problem(client.post("/v1/employees/nobody/completions", json=record, headers=admin), 404)


@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        (("evidence:write",), 201),
        (("employees:write",), 201),
        (("employees:read", "recommend"), 403),
    ],
)
def test_completions_need_evidence_or_employee_writes(client, new_key, org, scopes, status):
    record = {"item": "py-101", "completed_at": days_ago(1)}
    response = client.post(PATH, json=record, headers=new_key(*scopes))
    assert response.status_code == status
    # Scope before existence: no 404 oracle for a key without the scope.
    missing = client.post(
        "/v1/employees/nobody/completions", json=record, headers=new_key("recommend")
    )
    assert missing.status_code == 403
