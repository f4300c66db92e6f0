"""Fixtures of the functional tests: a seeder writing through the API, the catalog version."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.functional.console_support import seeded
from tests.functional.support import Seeder


@pytest.fixture
def seed(client: FlaskClient, admin: dict[str, str]) -> Seeder:
    """Return a helper that creates records through the API."""
    return Seeder(client, admin)


@pytest.fixture
def catalog_version(client: FlaskClient):
    """Return a function reading the catalog version from GET /ready."""

    def read() -> int:
        response = client.get("/ready")
        assert response.status_code == 200
        return response.get_json()["catalog_version"]

    return read


@pytest.fixture
def demo(app: Flask) -> Flask:
    """Return the app with the demo organisation loaded."""
    return seeded(app)
