"""Liveness and readiness probes."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.functional.support import assert_problem


def test_health_needs_no_key(client: FlaskClient):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_reports_the_catalog_version(client: FlaskClient):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "catalog_version": 0,
        "index_built": True,
        "index_building": False,
    }


def test_ready_is_503_when_the_database_does_not_answer(make_app, tmp_path):
    # A directory is no SQLite database: every connection attempt fails.
    app = make_app(SKILLPATH_DATABASE_URL=f"sqlite:///{tmp_path}")
    body = assert_problem(app.test_client().get("/ready"), 503)
    assert body["detail"] == "The database does not answer."


def test_openapi_and_docs_need_no_key(client: FlaskClient):
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    assert spec.get_json()["info"]["title"] == "Skillpath"
    assert client.get("/docs").status_code == 200
