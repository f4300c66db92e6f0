"""Bearer API keys: 401 without a valid key, 403 without the scope an operation needs."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import ADMIN_KEY, auth
from tests.functional.support import assert_problem, employee_body, item_body, role_body

# Answers about a stored employee need employees:read besides their own scope.
PERSONAL = ("recommend", "employees:read")
# One operation of each family, the scopes it needs (None: any valid key) and a body.
OPERATIONS = [
    ("GET", "/v1/skills", None, None),
    ("GET", "/v1/skills/python", None, None),
    ("POST", "/v1/skills", "catalog:write", {"id": "go", "name": "Go"}),
    ("PUT", "/v1/skills/go", "catalog:write", {"name": "Go"}),
    ("DELETE", "/v1/skills/python", "catalog:write", None),
    ("GET", "/v1/items", None, None),
    ("POST", "/v1/items", "catalog:write", item_body("c-2")),
    ("PATCH", "/v1/items/c-1", "catalog:write", {"title": "New"}),
    ("DELETE", "/v1/items/c-1", "catalog:write", None),
    ("GET", "/v1/roles", None, None),
    ("PUT", "/v1/roles/dev", "catalog:write", role_body("dev")),
    ("DELETE", "/v1/roles/dev", "catalog:write", None),
    ("GET", "/v1/employees", "employees:read", None),
    ("GET", "/v1/employees/e-1", "employees:read", None),
    ("PUT", "/v1/employees/e-2", "employees:write", employee_body()),
    ("PATCH", "/v1/employees/e-1", "employees:write", {"team": "data"}),
    ("DELETE", "/v1/employees/e-1", "employees:write", None),
    ("POST", "/v1/skills/import", "catalog:write", [{"id": "go", "name": "Go"}]),
    ("POST", "/v1/items/import", "catalog:write", [item_body("c-2")]),
    ("POST", "/v1/roles/import", "catalog:write", [role_body("dev-2")]),
    ("POST", "/v1/employees/import", "employees:write", [{"id": "e-3"}]),
    ("GET", "/v1/api-keys", "admin", None),
    ("POST", "/v1/api-keys", "admin", {"name": "k", "scopes": ["recommend"]}),
    ("DELETE", "/v1/api-keys/1", "admin", None),
    ("GET", "/v1/skills/resolve?text=pyhton", "recommend", None),
    ("GET", "/v1/employees/e-1/gaps?role=dev", PERSONAL, None),
    ("POST", "/v1/employees/e-1/learning-paths", PERSONAL, {"role": "dev"}),
    ("GET", "/v1/employees/e-1/role-matches", PERSONAL, None),
    ("POST", "/v1/learning-paths", "recommend", {"profile": {}, "target": {"role": "dev"}}),
]
OTHER_SCOPE = {
    "catalog:write": "employees:write",
    "employees:read": "catalog:write",
    "employees:write": "employees:read",
    "admin": "catalog:write",
    "recommend": "employees:read",
    PERSONAL: "recommend",
}


@pytest.fixture
def stored(seed):
    """Store one record of each kind the operations act on."""
    seed.skill("python")
    seed.item("c-1")
    seed.role("dev")
    seed.employee("e-1")


def _send(client: FlaskClient, method: str, path: str, body, headers):
    return client.open(path, method=method, json=body, headers={**headers, "If-Match": "*"})


BAD_HEADERS = {
    "empty": {"Authorization": "Bearer"},
    "unknown": {"Authorization": "Bearer not-a-key"},
    "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
    "other-scheme": {"Authorization": f"Token {ADMIN_KEY}"},
    "no-scheme": {"Authorization": ADMIN_KEY},
}

# Refused requests change nothing, so the cases of one test share its database.


def test_every_operation_needs_a_key(client, subtests):
    for method, path, _, body in OPERATIONS:
        with subtests.test(msg=f"{method} {path}"):
            response = _send(client, method, path, body, {})
            assert_problem(response, 401)
            assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


def test_a_bad_key_is_401(client, subtests):
    for name, header in BAD_HEADERS.items():
        for method, path, body in [("GET", "/v1/skills", None), ("PUT", "/v1/skills/go", {})]:
            with subtests.test(msg=f"{name} {method} {path}"):
                response = _send(client, method, path, body, header)
                assert_problem(response, 401)
                assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


def test_a_key_without_the_scope_is_403(client, new_key, subtests):
    for method, path, scope, body in OPERATIONS:
        if scope is None:
            continue
        with subtests.test(msg=f"{method} {path}"):
            response = _send(client, method, path, body, new_key(OTHER_SCOPE[scope]))
            problem = assert_problem(response, 403)
            lacking = "employees:read" if scope == PERSONAL else scope
            assert lacking in problem["detail"]


def test_a_key_with_the_scope_passes(client, stored, new_key, subtests):
    for method, path, scope, body in OPERATIONS:
        with subtests.test(msg=f"{method} {path}"):
            scopes = (scope,) if isinstance(scope, str) else scope or ("recommend",)
            response = _send(client, method, path, body, new_key(*scopes))
            assert response.status_code not in (401, 403), response.get_json()


def test_admin_keys_hold_every_scope(client, stored, new_key):
    admin_key = new_key("admin")
    assert _send(client, "GET", "/v1/employees", None, admin_key).status_code == 200
    assert _send(client, "PUT", "/v1/skills/go", {"name": "Go"}, admin_key).status_code == 201


def test_a_revoked_key_is_401(client, admin):
    created = client.post(
        "/v1/api-keys", json={"name": "ci", "scopes": ["catalog:write"]}, headers=admin
    ).get_json()
    key = auth(created["secret"])
    assert client.get("/v1/skills", headers=key).status_code == 200
    assert client.delete(f"/v1/api-keys/{created['id']}", headers=admin).status_code == 204
    response = client.get("/v1/skills", headers=key)
    assert_problem(response, 401)
    assert "revoked" in response.get_json()["detail"]
    assert "WWW-Authenticate" in response.headers


def test_the_bootstrap_admin_key_is_off_when_not_configured(make_app):
    client = make_app(SKILLPATH_ADMIN_KEY=None).test_client()
    assert_problem(client.get("/v1/skills", headers=auth(ADMIN_KEY)), 401)


@pytest.mark.parametrize("path", ["/health", "/ready", "/openapi.json"])
def test_probes_and_the_document_are_public(client, path):
    assert client.get(path).status_code == 200


def test_unknown_paths_are_404_without_a_key(client):
    assert_problem(client.get("/v1/nothing-here"), 404)
