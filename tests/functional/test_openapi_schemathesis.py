"""Property-based tests of every operation in /openapi.json against the app, in process.

Schemathesis generates requests from the document and runs its default checks on each answer
(no 5xx, documented status codes, content types, headers and response schemas, schema-valid
requests accepted, schema-violating ones rejected, 401 without credentials, ...).
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.app import create_app
from tests.conftest import ADMIN_KEY
from tests.functional.schemathesis_cases import SEED, config, point_references


def _load_schema():
    """Load the OpenAPI document from an app that never opens its database.

    Operations are collected before any fixture runs, so the document comes from an app of its
    own; every test then sends its cases to the ``app`` fixture, on a fresh database.
    """
    spec_app = create_app({"SKILLPATH_DATABASE_URL": "sqlite://", "SKILLPATH_AUTO_MIGRATE": False})
    return schemathesis.openapi.from_wsgi(
        "/openapi.json", spec_app, config=schemathesis.Config.from_dict(config(ADMIN_KEY))
    )


schema = _load_schema()


@pytest.fixture
def seeded_app(app: Flask, client, admin) -> Flask:
    """Return ``app`` holding the records generated references are pointed at."""
    for kind, rows in SEED.items():
        response = client.post(f"/v1/{kind}/import", json=rows, headers=admin)
        assert response.status_code == 200, response.get_json()
    return app


@schema.parametrize()
# The app fixture is shared by the examples of one operation on purpose: the database fills up
# as they run, so later examples meet stored records instead of an empty catalog.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_conforms_to_its_openapi_document(case, seeded_app: Flask):
    point_references(case)
    excluded = []
    if case.media_type == "text/csv":
        # The document can only say a CSV import is text; which texts are valid CSV records of
        # the kind is beyond JSON Schema, so "schema-valid" says nothing about acceptance.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(app=seeded_app, excluded_checks=excluded)
