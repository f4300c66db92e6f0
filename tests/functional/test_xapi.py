"""POST/GET /v1/xapi/statements: statements stored whole, matched now or later."""

from __future__ import annotations

import json

import pytest

from tests.functional.loop_support import (
    ATTEMPTED,
    FAILED,
    PASSED,
    completions_of,
    days_ago,
    history_of,
    organisation,
    statement,
)
from tests.functional.support import assert_problem, count_rows

PATH = "/v1/xapi/statements"


@pytest.fixture
def org(seed):
    organisation(seed)


def _post(client, headers, body):
    response = client.post(PATH, json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_completed_statement_records_a_completion(client, admin, org):
    sent = statement(result={"success": True, "score": {"scaled": 0.75}})
    answer = _post(client, admin, sent)
    assert answer == {"stored": 1, "already_stored": 0, "completions_added": 1, "unmatched": []}
    (done,) = completions_of(client, admin, "e-1")
    assert done == {
        "item": "py-101",
        "completed_at": days_ago(1),
        "expires_at": None,
        "score": 0.75,
        "source": "xapi",
    }
    assert history_of(client, admin, "e-1")[-1]["source"] == "item:py-101"


def test_actors_and_objects_match_every_documented_way(client, admin, seed, org):
    # An id shaped like an IRI may itself be the activity id.
    seed.item("lms:py-201", {"python": 3})
    batch = [
        statement(actor={"mbox": "mailto:ada@example.COM"}, activity="urn:lms:sql-101"),
        statement(verb=PASSED, activity="lms:py-201"),
        statement(activity="https://learn.example.com/py-101"),
    ]
    answer = _post(client, admin, batch)
    assert answer["completions_added"] == 3
    assert sorted(c["item"] for c in completions_of(client, admin, "e-1")) == [
        "lms:py-201",
        "py-101",
        "sql-101",
    ]


def test_resending_changes_nothing(client, admin, org):
    batch = [statement(), statement(ident=None, verb=ATTEMPTED)]
    first = _post(client, admin, batch)
    assert first["stored"] == 2
    again = _post(client, admin, batch)
    assert again == {"stored": 0, "already_stored": 2, "completions_added": 0, "unmatched": []}
    assert count_rows(client.application, "xapi_statements") == 2
    assert len(completions_of(client, admin, "e-1")) == 1


def test_failed_results_and_other_verbs_are_evidence_only(client, admin, org):
    batch = [
        statement(result={"success": False}),
        statement(verb=FAILED),
        statement(verb=ATTEMPTED),
        statement(verb="https://example.com/verbs/liked"),
    ]
    answer = _post(client, admin, batch)
    assert (answer["stored"], answer["completions_added"], answer["unmatched"]) == (4, 0, [])
    assert completions_of(client, admin, "e-1") == []


def test_unmatched_statements_wait_for_their_employee_and_item(client, admin, seed, org):
    batch = [
        statement(actor={"account": {"homePage": "https://hr", "name": "e-2"}}),
        statement(actor={"mbox": "mailto:bo@example.com"}, activity="urn:lms:new"),
        statement(activity="https://learn.example.com/new"),
        statement(actor={"objectType": "Group", "member": [{"mbox": "mailto:x@example.com"}]}),
        statement(),
    ]
    batch[4]["object"] = {"objectType": "StatementRef", "id": batch[0]["id"]}
    answer = _post(client, admin, batch)
    assert [(u["index"], u["reason"]) for u in answer["unmatched"]] == [
        (0, "unknown_actor"),
        (1, "unknown_actor"),
        (2, "unknown_object"),
        (3, "unidentified_actor"),
        (4, "not_an_activity"),
    ]
    listed = client.get(PATH, query_string={"unmatched": "true"}, headers=admin)
    assert {s["id"] for s in listed.get_json()} == {s["id"] for s in batch}

    created = seed.employee("e-2")
    # The write that matched the statement answers with the completion it recorded.
    assert [c["item"] for c in created["completed"]] == ["py-101"]
    assert [c["item"] for c in completions_of(client, admin, "e-2")] == ["py-101"]
    seed.employee("e-3", email="BO@example.com")
    assert completions_of(client, admin, "e-3") == []  # its item is still unknown
    seed.item("new-course", {"sql": 2}, external_ids={"xapi": "urn:lms:new"})
    assert [c["item"] for c in completions_of(client, admin, "e-3")] == ["new-course"]
    seed.item("newer", {"aws": 1}, url="https://learn.example.com/new")
    assert "newer" in [c["item"] for c in completions_of(client, admin, "e-1")]
    waiting = client.get(PATH, query_string={"unmatched": "true"}, headers=admin).get_json()
    assert sorted(s["unmatched"] for s in waiting) == ["not_an_activity", "unidentified_actor"]


def test_an_item_named_alike_by_two_items_is_ambiguous(client, admin, seed, org):
    seed.item("twin", {"sql": 1}, url="https://learn.example.com/py-101")
    answer = _post(client, admin, statement())
    assert answer["unmatched"][0]["reason"] == "ambiguous_object"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"actor": None}, "[1].actor"),
        ({"verb": {"display": {"en": "did"}}}, "[1].verb.id"),
        ({"timestamp": "2999-01-01T00:00:00Z"}, "[1].timestamp"),
        ({"timestamp": "last tuesday"}, "[1].timestamp"),
        ({"actor": {"mbox": "ada@example.com"}}, "[1].actor.mbox"),
        (
            {"actor": {"mbox": "mailto:a@x.com", "account": {"homePage": "h", "name": "n"}}},
            "[1].actor",
        ),
        ({"object": {"id": "not an iri"}}, "[1].object.id"),
        ({"result": {"success": "yes"}}, "[1].result.success"),
        ({"result": {"score": {"scaled": 2}}}, "[1].result.score.scaled"),
        ({"colour": "red"}, "[1].colour"),
        ({"id": "not-a-uuid"}, "[1].id"),
        ({"object": {"objectType": {"a": 1}, "id": "https://x.example"}}, "[1].object.objectType"),
        ({"actor": {"objectType": ["Agent"], "mbox": "mailto:a@x.com"}}, "[1].actor.objectType"),
    ],
)
def test_a_malformed_statement_rejects_the_batch_naming_its_index(
    client, admin, org, change, field
):
    bad = statement()
    for key, value in change.items():
        if value is None:
            bad.pop(key)
        else:
            bad[key] = value
    body = assert_problem(client.post(PATH, json=[statement(), bad], headers=admin), 422)
    assert field in {e["field"] for e in body["errors"]}, body
    assert count_rows(client.application, "xapi_statements") == 0


def test_a_repeated_id_in_one_batch_names_both_indexes(client, admin, org):
    first = statement()
    body = assert_problem(
        client.post(
            PATH, json=[first, statement(), {**first, "verb": {"id": PASSED}}], headers=admin
        ),
        422,
    )
    (error,) = body["errors"]
    assert error["field"] == "[2].id" and "index 0" in error["message"]
    assert count_rows(client.application, "xapi_statements") == 0


def test_a_body_over_the_limit_is_413(client, admin, org):
    huge = json.dumps([statement()] * 40_000).encode()
    assert len(huge) > 10 * 1024 * 1024
    response = client.post(PATH, data=huge, headers={**admin, "Content-Type": "application/json"})
    assert_problem(response, 413)


@pytest.mark.parametrize(
    ("scopes", "post", "list_unmatched", "list_all"),
    [
        (("evidence:write",), 200, 200, 403),
        (("evidence:write", "employees:read"), 200, 200, 200),
        (("employees:write",), 403, 403, 403),
    ],
)
def test_statements_need_evidence_write(
    client, new_key, org, scopes, post, list_unmatched, list_all
):
    key = new_key(*scopes)
    assert client.post(PATH, json=statement(), headers=key).status_code == post
    assert (
        client.get(PATH, query_string={"unmatched": "true"}, headers=key).status_code
        == list_unmatched
    )
    assert client.get(PATH, headers=key).status_code == list_all
