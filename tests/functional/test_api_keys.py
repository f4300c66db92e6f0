"""API keys: /v1/api-keys (admin only)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import event, text

from service.db import db
from tests.conftest import auth
from tests.functional.support import assert_problem, error_fields, pagination


def _create(client, admin, name="ci", scopes=("catalog:write",)):
    return client.post("/v1/api-keys", json={"name": name, "scopes": list(scopes)}, headers=admin)


def test_create_shows_the_secret_once_and_stores_only_its_hash(client, admin):
    response = _create(client, admin, scopes=["employees:write", "catalog:write", "catalog:write"])
    assert response.status_code == 201
    key = response.get_json()
    secret = key["secret"]
    assert secret.startswith("sk_") and len(secret) > 40
    assert key["prefix"] == secret[:10]
    assert key["scopes"] == ["catalog:write", "employees:write"]
    assert key["revoked_at"] is None and key["created_at"]
    with client.application.app_context(), db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM api_keys")).mappings().all()
    assert len(rows) == 1
    assert rows[0]["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in rows[0].values())


def test_a_new_key_works_at_once(client, admin):
    secret = _create(client, admin).get_json()["secret"]
    assert client.put("/v1/skills/go", json={"name": "Go"}, headers=auth(secret)).status_code == 201


def test_list_never_shows_secrets(client, admin):
    for n in range(3):
        _create(client, admin, name=f"key {n}")
    response = client.get("/v1/api-keys", headers=admin)
    keys = response.get_json()
    assert [k["name"] for k in keys] == ["key 2", "key 1", "key 0"]
    assert all("secret" not in k and "secret_hash" not in k for k in keys)
    assert pagination(response)["total"] == 3
    page = client.get("/v1/api-keys?page=2&page_size=2", headers=admin).get_json()
    assert [k["name"] for k in page] == ["key 0"]


def test_revoke(client, admin):
    key = _create(client, admin).get_json()
    assert client.delete(f"/v1/api-keys/{key['id']}", headers=admin).status_code == 204
    assert_problem(client.get("/v1/skills", headers=auth(key["secret"])), 401)
    listed = client.get("/v1/api-keys", headers=admin).get_json()
    assert listed[0]["revoked_at"] is not None
    # Revoking twice is harmless.
    assert client.delete(f"/v1/api-keys/{key['id']}", headers=admin).status_code == 204


def test_a_revoked_key_is_refused_at_once_by_a_worker_that_trusted_it(client, admin, make_app):
    """Each app is a worker with its own cache of verified keys; one revokes, both refuse."""
    key = _create(client, admin).get_json()
    other = make_app().test_client()
    statements: list[str] = []
    with other.application.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2].lower()))
    assert other.get("/v1/skills", headers=auth(key["secret"])).status_code == 200
    assert any("from api_keys" in s for s in statements)
    statements.clear()
    assert other.get("/v1/skills", headers=auth(key["secret"])).status_code == 200
    assert not any("from api_keys" in s for s in statements)  # trusted, not looked up
    assert client.delete(f"/v1/api-keys/{key['id']}", headers=admin).status_code == 204
    assert_problem(other.get("/v1/skills", headers=auth(key["secret"])), 401)
    assert_problem(client.get("/v1/skills", headers=auth(key["secret"])), 401)


@pytest.mark.parametrize("key_id", ["999", "2147483648", "99999999999999999999", "0"])
def test_revoking_an_unknown_key_is_404(client, admin, key_id):
    assert_problem(client.delete(f"/v1/api-keys/{key_id}", headers=admin), 404)


@pytest.mark.parametrize("digit", ["%D9%A1", "%EF%BC%91"], ids=["Arabic-Indic", "fullwidth"])
def test_a_key_id_in_other_digits_names_no_key(client, admin, digit):
    key = _create(client, admin).get_json()
    assert key["id"] == 1
    assert_problem(client.delete(f"/v1/api-keys/{digit}", headers=admin), 404)
    assert client.get("/v1/api-keys", headers=admin).get_json()[0]["revoked_at"] is None


INVALID = [
    ({"name": "", "scopes": ["admin"]}, "name"),
    ({"name": "n" * 201, "scopes": ["admin"]}, "name"),
    ({"name": "ci", "scopes": []}, "scopes"),
    ({"name": "ci", "scopes": ["root"]}, "scopes[0]"),
    ({"name": "ci"}, "scopes"),
    ({"scopes": ["admin"]}, "name"),
    ({"name": "ci", "scopes": ["admin"], "secret": "mine"}, "secret"),
    ({"name": "ci", "scopes": ["admin"], "id": 7}, "id"),
]


def test_invalid_keys_are_422(client, admin, subtests):
    for body, field in INVALID:
        with subtests.test(msg=field):
            assert field in error_fields(client.post("/v1/api-keys", json=body, headers=admin))


@pytest.mark.parametrize(
    "scope", ["catalog:write", "employees:write", "employees:read", "recommend"]
)
def test_only_admins_manage_keys(client, new_key, scope):
    headers = new_key(scope)
    assert_problem(client.get("/v1/api-keys", headers=headers), 403)
    assert_problem(_create(client, headers), 403)
    assert_problem(client.delete("/v1/api-keys/1", headers=headers), 403)


def test_an_admin_key_made_through_the_api_manages_keys(client, admin):
    secret = _create(client, admin, scopes=["admin"]).get_json()["secret"]
    made = _create(client, auth(secret), name="made by a key")
    assert made.status_code == 201
