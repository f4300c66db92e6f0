"""OAuth 2.0 client credentials: clients, the token endpoint, tokens as bearer credentials."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from sqlalchemy import text

from service.db import db
from tests.conftest import auth
from tests.functional.support import assert_problem, pagination

TOKEN_FIELDS = {"access_token", "token_type", "expires_in", "scope"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    """Return HTTP Basic credentials for an OAuth client."""
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


@pytest.fixture
def new_client(client, admin):
    """Return a function creating an OAuth client and returning its id and secret."""

    def make(*scopes: str, name: str = "lxp") -> dict:
        response = client.post(
            "/v1/oauth-clients", json={"name": name, "scopes": list(scopes)}, headers=admin
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


def token_for(client, oauth_client: dict, **form: str):
    """Ask the token endpoint for a token with Basic authentication."""
    return client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **form},
        headers=basic(oauth_client["client_id"], oauth_client["client_secret"]),
    )


def test_a_new_client_shows_its_secret_once_and_stores_only_its_hash(client, admin, new_client):
    made = new_client("recommend", "employees:read", "recommend")
    assert made["client_id"].startswith("spc_") and made["client_secret"].startswith("scs_")
    assert made["scopes"] == ["employees:read", "recommend"]
    assert made["revoked_at"] is None
    with client.application.app_context(), db.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM oauth_clients")).mappings().one()
    assert row["secret_hash"] == hashlib.sha256(made["client_secret"].encode()).hexdigest()
    assert all(made["client_secret"] not in str(value) for value in row.values())
    listed = client.get("/v1/oauth-clients", headers=admin)
    assert [c["client_id"] for c in listed.get_json()] == [made["client_id"]]
    assert "client_secret" not in listed.get_json()[0]
    assert pagination(listed)["total"] == 1


def test_clients_are_for_admins_only(client, new_key):
    headers = new_key("catalog:write", "employees:read", "employees:write", "recommend")
    assert_problem(client.get("/v1/oauth-clients", headers=headers), 403)
    body = {"name": "x", "scopes": ["recommend"]}
    assert_problem(client.post("/v1/oauth-clients", json=body, headers=headers), 403)


@pytest.mark.parametrize("how", ["basic", "form"])
def test_a_token_from_basic_or_form_credentials_works_as_a_bearer(client, new_client, how):
    made = new_client("catalog:write")
    form = {"grant_type": "client_credentials"}
    headers = {}
    if how == "basic":
        headers = basic(made["client_id"], made["client_secret"])
    else:
        form |= {"client_id": made["client_id"], "client_secret": made["client_secret"]}
    response = client.post("/oauth/token", data=form, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    token = response.get_json()
    assert set(token) == TOKEN_FIELDS
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert token["scope"] == "catalog:write"
    bearer = auth(token["access_token"])
    assert client.put("/v1/skills/go", json={"name": "Go"}, headers=bearer).status_code == 201
    # The token holds its client's scopes and no more.
    assert_problem(client.get("/v1/employees", headers=bearer), 403)


def test_only_the_hash_of_a_token_is_stored(client, new_client):
    token = token_for(client, new_client("recommend")).get_json()["access_token"]
    with client.application.app_context(), db.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM oauth_access_tokens")).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize(
    ("credentials", "form"),
    [
        ("wrong secret", {}),
        ("unknown client", {}),
        ("none", {}),
        ("form wrong secret", {}),
        # PostgreSQL refuses a NUL in any query parameter: it must never get one.
        ("NUL in the form's client id", {}),
        ("NUL in Basic's client id", {}),
    ],
)
def test_bad_client_credentials_are_invalid_client_401(client, new_client, credentials, form):
    made = new_client("recommend")
    data = {"grant_type": "client_credentials"}
    headers = {}
    if credentials == "wrong secret":
        headers = basic(made["client_id"], "scs_wrong")
    elif credentials == "unknown client":
        headers = basic("spc_nobody", made["client_secret"])
    elif credentials == "form wrong secret":
        data |= {"client_id": made["client_id"], "client_secret": "scs_wrong"}
    elif credentials == "NUL in the form's client id":
        data |= {"client_id": made["client_id"] + "\x00", "client_secret": made["client_secret"]}
    elif credentials == "NUL in Basic's client id":
        headers = basic(made["client_id"][:-1] + "\x00", made["client_secret"])
    response = client.post("/oauth/token", data=data, headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.get_json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_scope_narrows_to_a_subset_of_the_clients(client, new_client):
    made = new_client("recommend", "employees:read")
    token = token_for(client, made, scope="recommend").get_json()
    assert token["scope"] == "recommend"
    bearer = auth(token["access_token"])
    assert client.get("/v1/skills/resolve?text=go", headers=bearer).status_code == 200
    assert_problem(client.get("/v1/employees", headers=bearer), 403)


@pytest.mark.parametrize(
    "scope",
    [
        "admin",
        "recommend catalog:write",
        "no-such-scope",
        # Characters an OAuth error description may not repeat back.
        '=HYPERLINK("x")',
        "a\x00b",
        "\u202egnp.exe recommend",
        "back\\slash",
    ],
)
def test_a_scope_the_client_lacks_is_invalid_scope(client, new_client, scope):
    response = token_for(client, new_client("recommend"), scope=scope)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_scope"


def test_an_admin_client_may_ask_for_any_narrower_scope(client, new_client):
    token = token_for(client, new_client("admin"), scope="recommend").get_json()
    assert token["scope"] == "recommend"
    bearer = auth(token["access_token"])
    assert client.get("/v1/skills/resolve?text=go", headers=bearer).status_code == 200
    assert_problem(client.get("/v1/oauth-clients", headers=bearer), 403)


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
        ({}, 400, "unsupported_grant_type"),
    ],
)
def test_other_grant_types_are_refused(client, new_client, form, status, error):
    made = new_client("recommend")
    response = client.post(
        "/oauth/token", data=form, headers=basic(made["client_id"], made["client_secret"])
    )
    assert response.status_code == status
    assert response.get_json()["error"] == error


def test_a_json_body_is_an_oauth_invalid_request(client, new_client):
    made = new_client("recommend")
    response = client.post(
        "/oauth/token",
        json={"grant_type": "client_credentials"},
        headers=basic(made["client_id"], made["client_secret"]),
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_revoking_a_client_refuses_its_tokens_at_once(client, admin, new_client):
    made = new_client("recommend")
    bearer = auth(token_for(client, made).get_json()["access_token"])
    assert client.get("/v1/skills", headers=bearer).status_code == 200
    assert client.delete(f"/v1/oauth-clients/{made['client_id']}", headers=admin).status_code == 204
    assert_problem(client.get("/v1/skills", headers=bearer), 401)
    assert token_for(client, made).status_code == 401
    listed = client.get("/v1/oauth-clients", headers=admin).get_json()
    assert listed[0]["revoked_at"] is not None
    # Revoking twice is harmless; an unknown client is a 404.
    assert client.delete(f"/v1/oauth-clients/{made['client_id']}", headers=admin).status_code == 204
    assert_problem(client.delete("/v1/oauth-clients/spc_nobody", headers=admin), 404)


def test_a_token_expires(make_app, admin):
    # Long enough that a loaded machine still uses the token before it lapses.
    client = make_app(SKILLPATH_TOKEN_TTL=3).test_client()
    made = client.post(
        "/v1/oauth-clients", json={"name": "short", "scopes": ["recommend"]}, headers=admin
    ).get_json()
    token = token_for(client, made).get_json()
    assert token["expires_in"] == 3
    bearer = auth(token["access_token"])
    assert client.get("/v1/skills", headers=bearer).status_code == 200
    time.sleep(3.2)
    assert_problem(client.get("/v1/skills", headers=bearer), 401)
    # A new token works, and asking for it cleared the expired one away.
    assert client.get("/v1/skills", headers=auth(token_for(client, made).json["access_token"]))
    with client.application.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM oauth_access_tokens")).scalar_one() == 1


def test_api_keys_keep_working_beside_tokens(client, new_key, new_client):
    key = new_key("recommend")
    token = auth(token_for(client, new_client("recommend")).get_json()["access_token"])
    for headers in (key, token):
        assert client.get("/v1/skills/resolve?text=go", headers=headers).status_code == 200
    assert_problem(client.get("/v1/skills", headers=auth("spt_not-a-token")), 401)


def test_a_clients_tokens_share_one_rate_limit_budget(make_app, admin):
    client = make_app(SKILLPATH_RATELIMIT="4/minute").test_client()
    made = client.post(
        "/v1/oauth-clients", json={"name": "busy", "scopes": ["recommend"]}, headers=admin
    ).get_json()
    tokens = [auth(token_for(client, made).get_json()["access_token"]) for _ in range(2)]
    answers = [client.get("/v1/skills", headers=tokens[n % 2]) for n in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers[:4]] == ["3", "2", "1", "0"]
    # Another client, and an API key, have budgets of their own.
    other = client.post(
        "/v1/oauth-clients", json={"name": "calm", "scopes": ["recommend"]}, headers=admin
    ).get_json()
    assert client.get("/v1/skills", headers=auth(token_for(client, other).json["access_token"]))
    assert client.get("/v1/skills", headers=admin).status_code == 200


def test_the_discovery_document_follows_rfc_8414(client):
    response = client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    metadata = response.get_json()
    assert metadata["issuer"] == "http://localhost"
    assert metadata["token_endpoint"] == "http://localhost/oauth/token"
    assert metadata["grant_types_supported"] == ["client_credentials"]
    assert metadata["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert "recommend" in metadata["scopes_supported"]
    # No authorization endpoint, so no response type: Authlib's check wants at least one.
    assert metadata.pop("response_types_supported") == []
    document = AuthorizationServerMetadata(metadata)
    for key in AuthorizationServerMetadata.REGISTRY_KEYS:
        if key != "response_types_supported":
            getattr(document, f"validate_{key}")()


def test_the_token_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"]["/oauth/token"]["post"]
    assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"]
    assert operation["security"] == [{"clientBasic": []}, {}]
    assert "application/json" in operation["responses"]["401"]["content"]


@pytest.mark.parametrize(
    ("base_url", "status"),
    [("http://skillpath.example.com", 400), ("https://skillpath.example.com", 200)],
)
def test_tokens_travel_over_tls_only_except_on_loopback(client, new_client, base_url, status):
    made = new_client("recommend")
    response = client.post(
        "/oauth/token",
        base_url=base_url,
        data={"grant_type": "client_credentials"},
        headers=basic(made["client_id"], made["client_secret"]),
    )
    assert response.status_code == status
    if status == 400:
        assert response.get_json()["error"] == "insecure_transport"
