"""The scope matrix: every operation in the OpenAPI document, every scope, against a live server.

A key without an operation's scopes gets 403 whatever the path names, so no narrow key can
learn which employees exist; a key with them is never refused. Answers derived from a stored
employee need ``employees:read`` besides their own scope (DESIGN.md's personal data rule).
"""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from tests.reliability.conftest import LiveServer

pytestmark = pytest.mark.reliability

SCOPES = ("catalog:write", "employees:read", "employees:write", "recommend", "evidence:write")
PUBLIC = frozenset()
ANY_KEY = frozenset({"(any key)"})
# Every operation the service documents, and the scopes a key needs for it (admin has all).
# An operation missing here fails the test: a new endpoint must say who may call it.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("GET", "/v1/skills"): ANY_KEY,
    ("GET", "/v1/skills/{skill_id}"): ANY_KEY,
    ("GET", "/v1/items"): ANY_KEY,
    ("GET", "/v1/items/{item_id}"): ANY_KEY,
    ("GET", "/v1/roles"): ANY_KEY,
    ("GET", "/v1/roles/{role_id}"): ANY_KEY,
    ("POST", "/v1/skills"): frozenset({"catalog:write"}),
    ("PUT", "/v1/skills/{skill_id}"): frozenset({"catalog:write"}),
    ("DELETE", "/v1/skills/{skill_id}"): frozenset({"catalog:write"}),
    ("POST", "/v1/items"): frozenset({"catalog:write"}),
    ("PUT", "/v1/items/{item_id}"): frozenset({"catalog:write"}),
    ("PATCH", "/v1/items/{item_id}"): frozenset({"catalog:write"}),
    ("DELETE", "/v1/items/{item_id}"): frozenset({"catalog:write"}),
    ("POST", "/v1/roles"): frozenset({"catalog:write"}),
    ("PUT", "/v1/roles/{role_id}"): frozenset({"catalog:write"}),
    ("DELETE", "/v1/roles/{role_id}"): frozenset({"catalog:write"}),
    ("POST", "/v1/skills/import"): frozenset({"catalog:write"}),
    ("POST", "/v1/items/import"): frozenset({"catalog:write"}),
    ("POST", "/v1/roles/import"): frozenset({"catalog:write"}),
    ("GET", "/v1/employees"): frozenset({"employees:read"}),
    ("GET", "/v1/employees/{employee_id}"): frozenset({"employees:read"}),
    ("PUT", "/v1/employees/{employee_id}"): frozenset({"employees:write"}),
    ("PATCH", "/v1/employees/{employee_id}"): frozenset({"employees:write"}),
    ("DELETE", "/v1/employees/{employee_id}"): frozenset({"employees:write"}),
    ("POST", "/v1/employees/import"): frozenset({"employees:write"}),
    ("GET", "/v1/skills/resolve"): frozenset({"recommend"}),
    ("POST", "/v1/learning-paths"): frozenset({"recommend"}),
    ("GET", "/v1/employees/{employee_id}/gaps"): frozenset({"recommend", "employees:read"}),
    ("GET", "/v1/employees/{employee_id}/recommendations"): frozenset(
        {"recommend", "employees:read"}
    ),
    ("POST", "/v1/employees/{employee_id}/learning-paths"): frozenset(
        {"recommend", "employees:read"}
    ),
    ("GET", "/v1/employees/{employee_id}/role-matches"): frozenset({"recommend", "employees:read"}),
    ("GET", "/v1/api-keys"): frozenset({"admin"}),
    ("POST", "/v1/api-keys"): frozenset({"admin"}),
    ("DELETE", "/v1/api-keys/{key_id}"): frozenset({"admin"}),
    # The token endpoint authenticates clients by their own secret; its metadata is public.
    ("POST", "/oauth/token"): PUBLIC,
    ("GET", "/.well-known/oauth-authorization-server"): PUBLIC,
    ("GET", "/v1/changes"): ANY_KEY,
    ("GET", "/v1/oauth-clients"): frozenset({"admin"}),
    ("POST", "/v1/oauth-clients"): frozenset({"admin"}),
    ("DELETE", "/v1/oauth-clients/{client_id}"): frozenset({"admin"}),
    ("GET", "/v1/webhooks"): frozenset({"admin"}),
    ("POST", "/v1/webhooks"): frozenset({"admin"}),
    ("GET", "/v1/webhooks/{webhook_id}"): frozenset({"admin"}),
    ("PATCH", "/v1/webhooks/{webhook_id}"): frozenset({"admin"}),
    ("DELETE", "/v1/webhooks/{webhook_id}"): frozenset({"admin"}),
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"): frozenset({"admin"}),
}
# Evidence and feedback take either scope: (any of) rather than (all of).
EVIDENCE = frozenset({"any of", "evidence:write", "employees:write"})
EXPECTED.update(
    {
        ("POST", "/v1/employees/{employee_id}/completions"): EVIDENCE,
        ("GET", "/v1/employees/{employee_id}/history"): frozenset({"employees:read"}),
        # Listing matched statements reads personal evidence (?unmatched=true needs no more).
        ("GET", "/v1/xapi/statements"): frozenset({"evidence:write", "employees:read"}),
        ("POST", "/v1/xapi/statements"): frozenset({"evidence:write"}),
        ("GET", "/v1/employees/{employee_id}/plans"): frozenset({"employees:read"}),
        ("POST", "/v1/employees/{employee_id}/plans"): frozenset({"recommend", "employees:read"}),
        ("GET", "/v1/employees/{employee_id}/plans/{plan_id}"): frozenset({"employees:read"}),
        ("DELETE", "/v1/employees/{employee_id}/plans/{plan_id}"): frozenset({"employees:write"}),
        ("POST", "/v1/employees/{employee_id}/plans/{plan_id}/replan"): frozenset(
            {"recommend", "employees:read"}
        ),
        ("GET", "/v1/employees/{employee_id}/feedback"): frozenset({"employees:read"}),
        ("POST", "/v1/employees/{employee_id}/feedback"): EVIDENCE,
        ("DELETE", "/v1/employees/{employee_id}/feedback/{feedback_id}"): EVIDENCE,
    }
)
PARAMETER = re.compile(r"\{(\w+)\}")


def _operations(live: LiveServer) -> list[tuple[str, str]]:
    doc = live.request("GET", "/openapi.json").body
    return [
        (method.upper(), path)
        for path, operations in doc["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture(scope="module")
def keys(live: LiveServer) -> dict[frozenset[str], dict[str, str]]:
    """Create a key for every set of scopes the matrix tries; return their headers."""
    sets = [frozenset(c) for n in (1, 2) for c in combinations(SCOPES, n)]
    made = {}
    for scopes in sets:
        answer = live.request(
            "POST", "/v1/api-keys", body={"name": "matrix " + ",".join(sorted(scopes)),
                                          "scopes": sorted(scopes)},
        )  # fmt: skip
        assert answer.status == 201, answer.body
        made[scopes] = {"Authorization": f"Bearer {answer.body['secret']}"}
    live.request("PUT", "/v1/employees/E-exists", body={"team": "matrix"})
    return made


def _path(template: str, employee: str) -> str:
    values = {"employee_id": employee, "key_id": "999999"}
    return PARAMETER.sub(lambda m: values.get(m.group(1), "matrix-x"), template)


def _allowed(needed: frozenset[str], held: frozenset[str]) -> bool:
    if "any of" in needed:
        return bool((needed - {"any of"}) & held)
    return needed in (PUBLIC, ANY_KEY) or ("admin" not in needed and needed <= held)


def test_the_matrix_names_every_documented_operation(live: LiveServer):
    assert sorted(_operations(live)) == sorted(EXPECTED)


def test_no_operation_answers_a_key_without_its_scopes(live: LiveServer, keys):
    tried = refused = 0
    for method, template in _operations(live):
        needed = EXPECTED[(method, template)]
        if needed == PUBLIC:
            continue
        for held, headers in keys.items():
            # An unknown employee and a stored one must look the same to a narrow key.
            for employee in ("E-exists", "E-missing"):
                path = _path(template, employee)
                body = {} if method in {"POST", "PUT", "PATCH"} else None
                answer = live.request(method, path, body=body, headers={**headers, "If-Match": "*"})
                tried += 1
                if _allowed(needed, held):
                    assert answer.status not in (401, 403), (method, path, sorted(held), answer)
                else:
                    refused += 1
                    assert answer.status == 403, (method, path, sorted(held), answer.status)
                if "{employee_id}" not in template:
                    break
    assert tried > 500 and refused > 300, (tried, refused)


def test_no_key_at_all_is_a_401_everywhere(live: LiveServer):
    for method, template in _operations(live):
        if EXPECTED[(method, template)] == PUBLIC:
            continue
        answer = live.request(method, _path(template, "E-exists"), headers={"Authorization": ""})
        assert answer.status == 401, (method, template, answer.status)


def test_a_write_without_read_scope_does_not_echo_the_profile(live: LiveServer, keys):
    writer = keys[frozenset({"employees:write"})]
    body = {"team": "secret-team", "skills": []}
    created = live.request("PUT", "/v1/employees/E-quiet", body=body, headers=writer)
    assert created.status == 201
    patched = live.request(
        "PATCH", "/v1/employees/E-quiet", body={}, headers={**writer, "If-Match": "*"}
    )
    assert patched.status == 200
    for answer in (created, patched):
        assert "secret-team" not in str(answer.body), answer.body
