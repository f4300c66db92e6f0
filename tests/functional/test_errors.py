"""Errors are RFC 9457 problem+json with the headers HTTP requires; preconditions on writes."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from tests.functional.support import (
    assert_problem,
    employee_body,
    error_fields,
    item_body,
    role_body,
    skill_body,
)

PROBLEM_JSON = "application/problem+json"
# The OAuth token endpoint answers OAuth's own JSON errors (RFC 6749 section 5.2), which OAuth
# libraries read; tests/functional/test_oauth.py checks those.
OAUTH_TOKEN_PATH = "/oauth/token"
# Paths that need no credential at all (the token endpoint authenticates its clients itself).
PUBLIC_PATHS = ("/health", "/ready", "/.well-known/oauth-authorization-server")

# (collection path, id, body for PUT, changed body for PUT) of every resource PUT creates.
RESOURCES = [
    ("/v1/skills", "go", skill_body("go", "Go"), skill_body("go", "Golang")),
    ("/v1/items", "c-1", item_body("c-1"), item_body("c-1", title="Renamed")),
    ("/v1/roles", "dev", role_body("dev"), role_body("dev", title="Developer")),
    ("/v1/employees", "e-1", employee_body(), employee_body(team="data")),
]
RESOURCE_IDS = ["skill", "item", "role", "employee"]


@pytest.fixture
def python(seed):
    """Store the skill the bodies above refer to."""
    seed.skill("python")


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    """Return ``app`` with one more route, which fails the way a bug would."""

    def explode():
        raise RuntimeError("connection string postgresql://admin:hunter2@db/prod")

    app.add_url_rule("/v1/explode", "explode", explode)
    return app


def test_unknown_path_is_a_404_problem(client, admin):
    body = assert_problem(client.get("/v1/nowhere", headers=admin), 404)
    assert body["title"] == "Not Found"
    assert body["type"] == "about:blank"
    assert body["instance"] == "/v1/nowhere"


def test_unknown_resource_is_a_404_problem(client, admin):
    body = assert_problem(client.get("/v1/skills/nope", headers=admin), 404)
    assert "nope" in body["detail"]


@pytest.mark.parametrize(
    "method,path,allowed",
    [
        ("DELETE", "/v1/skills", {"GET", "POST"}),
        ("PATCH", "/v1/skills/go", {"GET", "PUT", "DELETE"}),
        ("GET", "/v1/skills/import", {"POST"}),
        ("PUT", "/v1/api-keys", {"GET", "POST"}),
        ("POST", "/health", {"GET"}),
    ],
)
def test_wrong_method_is_a_405_problem_with_allow(client, admin, method, path, allowed):
    response = client.open(path, method=method, headers=admin)
    assert_problem(response, 405)
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_body_over_the_limit_is_a_413_problem(make_app, admin):
    client = make_app(SKILLPATH_MAX_BODY_BYTES=1000).test_client()
    body = {"id": "go", "name": "Go", "description": "x" * 2000}
    assert_problem(client.post("/v1/skills", json=body, headers=admin), 413)
    big_csv = "id,name\n" + "".join(f"s{n},Skill {n}\n" for n in range(200))
    response = client.post(
        "/v1/skills/import", data=big_csv, content_type="text/csv", headers=admin
    )
    assert_problem(response, 413)
    small = client.post("/v1/skills", json={"id": "go", "name": "Go"}, headers=admin)
    assert small.status_code == 201


@pytest.mark.parametrize(
    "path,content_type",
    [
        ("/v1/skills", "text/plain"),
        ("/v1/skills", "text/csv"),
        ("/v1/skills", "application/x-www-form-urlencoded"),
        ("/v1/skills/import", "application/xml"),
    ],
)
def test_body_in_a_media_type_not_read_is_a_415_problem(client, admin, path, content_type):
    response = client.post(path, data="id,name\ngo,Go\n", content_type=content_type, headers=admin)
    body = assert_problem(response, 415)
    assert content_type in body["detail"]


def test_malformed_json_is_a_400_problem(client, admin):
    response = client.post(
        "/v1/skills", data='{"id": "go",', content_type="application/json", headers=admin
    )
    assert_problem(response, 400)


def test_invalid_fields_are_a_422_problem_naming_each_field(client, admin):
    response = client.post(
        "/v1/skills", json={"id": "bad id", "name": "", "colour": "red"}, headers=admin
    )
    assert error_fields(response) == {"id", "name", "colour"}
    errors = response.get_json()["errors"]
    assert all(error["location"] == "json" and error["message"] for error in errors)


@pytest.mark.parametrize(
    "query,fields",
    [("kind=podcast&language=English", {"kind", "language"}), ("page=0", {"page"})],
)
def test_invalid_query_arguments_are_a_422_problem(client, admin, query, fields):
    response = client.get(f"/v1/items?{query}", headers=admin)
    assert error_fields(response) == fields
    assert {e["location"] for e in response.get_json()["errors"]} == {"query"}


def test_a_failure_is_a_500_problem_that_leaks_nothing(failing_app, admin, caplog):
    client = failing_app.test_client()
    with caplog.at_level(logging.ERROR, logger="skillpath"):
        response = client.get("/v1/explode", headers=admin)
    body = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "hunter2" not in text and "RuntimeError" not in text and "Traceback" not in text
    assert body["title"] == "Internal Server Error"
    # The operator still learns what happened.
    assert any("hunter2" in (r.exc_text or "") for r in caplog.records)


def test_every_documented_error_is_problem_json(client):
    spec = client.get("/openapi.json").get_json()
    responses = spec["components"]["responses"]
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if not (status == "default" or int(status) >= 400):
                    continue
                if "$ref" in response:
                    response = responses[response["$ref"].rsplit("/", 1)[1]]
                elif path == OAUTH_TOKEN_PATH:
                    continue
                where = f"{method.upper()} {path} {status}"
                assert list(response.get("content", {})) == [PROBLEM_JSON], where
                assert response["content"][PROBLEM_JSON]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }, where
                checked += 1
    assert checked > 100


def test_every_operation_documents_its_errors(client):
    spec = client.get("/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters" or path in PUBLIC_PATHS:
                continue
            statuses = set(operation["responses"])
            where = f"{method.upper()} {path}"
            assert {"401", "default"} <= statuses, where
            queried = any(p.get("in") == "query" for p in operation.get("parameters", ()))
            if (queried or "requestBody" in operation) and path != OAUTH_TOKEN_PATH:
                assert "422" in statuses, where
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= statuses, where


# -- ETags and preconditions -------------------------------------------------------------------


def _put(client, headers, path, ident, body, **extra):
    body = {k: v for k, v in body.items() if k != "id"}
    return client.put(f"{path}/{ident}", json=body, headers={**headers, **extra})


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_put_creates_without_a_precondition(client, admin, python, path, ident, body, changed):
    response = _put(client, admin, path, ident, body)
    assert response.status_code == 201
    assert response.headers["Location"].endswith(f"{path}/{ident}")
    assert response.headers["ETag"].startswith('"')
    got = client.get(f"{path}/{ident}", headers=admin)
    assert got.headers["ETag"] == response.headers["ETag"]


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_if_none_match_gives_304(client, admin, python, path, ident, body, changed):
    etag = _put(client, admin, path, ident, body).headers["ETag"]
    response = client.get(f"{path}/{ident}", headers={**admin, "If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["ETag"] == etag
    assert response.get_data() == b""
    other = client.get(f"{path}/{ident}", headers={**admin, "If-None-Match": '"stale"'})
    assert other.status_code == 200
    for header in (f'"stale", {etag}', f"W/{etag}", "*"):
        again = client.get(f"{path}/{ident}", headers={**admin, "If-None-Match": header})
        assert again.status_code == 304, header


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_replacing_needs_if_match(client, admin, python, path, ident, body, changed):
    etag = _put(client, admin, path, ident, body).headers["ETag"]
    assert_problem(_put(client, admin, path, ident, changed), 428)
    stale = _put(client, admin, path, ident, changed, **{"If-Match": '"0123"'})
    assert_problem(stale, 412)
    # If-Match compares strongly: a weak tag never matches.
    assert_problem(_put(client, admin, path, ident, changed, **{"If-Match": f"W/{etag}"}), 412)
    fresh = _put(client, admin, path, ident, changed, **{"If-Match": etag})
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != etag
    # The old ETag is stale now; "*" overwrites whatever is there.
    assert_problem(_put(client, admin, path, ident, body, **{"If-Match": etag}), 412)
    star = _put(client, admin, path, ident, body, **{"If-Match": "*"})
    assert star.status_code == 200
    assert star.headers["ETag"] != fresh.headers["ETag"]


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_deleting_needs_if_match(client, admin, python, path, ident, body, changed):
    etag = _put(client, admin, path, ident, body).headers["ETag"]
    assert_problem(client.delete(f"{path}/{ident}", headers=admin), 428)
    stale = client.delete(f"{path}/{ident}", headers={**admin, "If-Match": '"0123"'})
    assert_problem(stale, 412)
    response = client.delete(f"{path}/{ident}", headers={**admin, "If-Match": etag})
    assert response.status_code in (200, 204)


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_a_versioned_if_match_on_a_missing_resource_is_412(
    client, admin, python, path, ident, body, changed
):
    response = _put(client, admin, path, ident, body, **{"If-Match": '"0123"'})
    assert_problem(response, 412)
    assert client.get(f"{path}/{ident}", headers=admin).status_code == 404


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_if_match_accepts_one_of_several_etags(client, admin, python, path, ident, body, changed):
    etag = _put(client, admin, path, ident, body).headers["ETag"]
    response = _put(client, admin, path, ident, changed, **{"If-Match": f'"other", {etag}'})
    assert response.status_code == 200


@pytest.mark.parametrize("path,ident,body,changed", RESOURCES, ids=RESOURCE_IDS)
def test_put_body_may_repeat_the_path_id_only(client, admin, python, path, ident, body, changed):
    body = {k: v for k, v in body.items() if k != "id"}
    same = client.put(f"{path}/{ident}", json={**body, "id": ident}, headers=admin)
    assert same.status_code == 201
    other = client.put(
        f"{path}/{ident}", json={**body, "id": "other"}, headers={**admin, "If-Match": "*"}
    )
    assert error_fields(other) == {"id"}
