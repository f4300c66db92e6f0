"""Fixtures shared by every test: an app on a fresh database, its clients, and API keys.

The database is parametrized: SQLite (a file under ``tmp_path``) always, PostgreSQL as well when
``SKILLPATH_TEST_DATABASE_URL`` names a server (``postgresql+psycopg://user@host:port/db``); the
PostgreSQL runs carry the ``postgres`` marker: ``-m postgres`` or ``-m "not postgres"`` picks one.
Without the variable there are no PostgreSQL runs at all, rather than a skipped one per test.
The tests drop and recreate that database's ``public`` schema: give them one of their own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from catalog import migrate
from service.app import create_app
from service.db import db

ADMIN_KEY = "test-admin-key-0123456789"
POSTGRES_URL = os.environ.get("SKILLPATH_TEST_DATABASE_URL", "")

Headers = dict[str, str]
DATABASES = [pytest.param("sqlite", id="sqlite")]
if POSTGRES_URL:
    DATABASES.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))


def pytest_report_header(config: pytest.Config) -> str:
    """Say which databases the tests run on."""
    if POSTGRES_URL:
        return f"databases: SQLite and PostgreSQL ({make_url(POSTGRES_URL).render_as_string()})"
    return "databases: SQLite (set SKILLPATH_TEST_DATABASE_URL to add PostgreSQL)"


def auth(secret: str) -> Headers:
    """Return the Authorization header for an API key secret."""
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="session", autouse=True)
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the resolver's text embeddings in one folder for the whole run, not in ``var/``.

    Every app, CLI run and live server of the run reads the setting from the environment, so
    each skill text is encoded once per run rather than once per index build.
    """
    folder = tmp_path_factory.mktemp("embeddings")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKILLPATH_EMBEDDING_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def postgres() -> Iterator[Engine]:
    """Give the session a PostgreSQL database with a fresh ``public`` schema, migrated to head."""
    if make_url(POSTGRES_URL).get_backend_name() != "postgresql":
        pytest.fail("SKILLPATH_TEST_DATABASE_URL must be a postgresql+psycopg:// URL")
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(POSTGRES_URL)
    yield engine
    engine.dispose()


def _empty_postgres(engine: Engine) -> None:
    """Remove every row the previous test left, keeping the migrated schema."""
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.begin() as conn:
        names = ", ".join(f'"{t}"' for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite file for the session; each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "skillpath.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of an empty, migrated database of the parametrized backend."""
    if request.param == "sqlite":
        path = tmp_path / "skillpath.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    _empty_postgres(request.getfixturevalue("postgres"))
    return POSTGRES_URL


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> dict[str, object]:
    """Return the test mapping ``app`` is built from; a test may change it before using ``app``."""
    return {
        "TESTING": True,
        "SKILLPATH_DATABASE_URL": database_url,
        "SKILLPATH_INDEX_DIR": str(tmp_path / "index"),
        "SKILLPATH_ADMIN_KEY": ADMIN_KEY,
        "SKILLPATH_AUTO_MIGRATE": False,
    }


@pytest.fixture
def app(config: dict[str, object]) -> Iterator[Flask]:
    """Return an app on a fresh database."""
    app = create_app(config)
    yield app
    db.dispose(app)


@pytest.fixture
def make_app(config: dict[str, object]) -> Iterator[Callable[..., Flask]]:
    """Return a function building an app from the test mapping with some keys changed."""
    apps: list[Flask] = []

    def make(**changes: object) -> Flask:
        apps.append(create_app({**config, **changes}))
        return apps[-1]

    yield make
    for made in apps:
        db.dispose(made)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner of ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def admin() -> Headers:
    """Return the headers of the bootstrap admin key."""
    return auth(ADMIN_KEY)


@pytest.fixture
def new_key(client: FlaskClient, admin: Headers) -> Callable[..., Headers]:
    """Return a function creating an API key with the given scopes and returning its headers."""

    def make(*scopes: str, name: str = "test key") -> Headers:
        response = client.post(
            "/v1/api-keys", json={"name": name, "scopes": list(scopes)}, headers=admin
        )
        assert response.status_code == 201, response.get_json()
        return auth(response.get_json()["secret"])

    return make
