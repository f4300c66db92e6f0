"""Fixtures shared by every test: an app on a fresh database, its clients, and API keys.

The database is parametrized: SQLite (a file under ``tmp_path``) always, PostgreSQL as well when
``SKILLPATH_TEST_DATABASE_URL`` names a server (``postgresql+psycopg://user@host:port/db``); the
PostgreSQL runs carry the ``postgres`` marker: ``-m postgres`` or ``-m "not postgres"`` picks one.
Without the variable there are no PostgreSQL runs at all, rather than a skipped one per test.
The tests drop and recreate that database's ``public`` schema: give them one of their own.

``make test`` runs the suite in one process per core (pytest-xdist). Each process then has a
PostgreSQL database of its own, made beside the given one (``<name>_gw0``, ...), and the tests
that start servers (``tests/reliability``, ``tests/browser``) all run in one process, one after
the other, so that two servers never compete for the cores.
"""

from __future__ import annotations

import contextlib
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
#: This process's pytest-xdist worker ("gw0", "gw1", ...), or None in a run of one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
#: Where tests that start servers live: their process runs them all (see the module's docstring).
LIVE_SERVER_FOLDERS = ("reliability", "browser")
#: Lines of figures tests keep for the summary at the end of the run (see :func:`report_figure`).
FIGURES = pytest.StashKey[list[str]]()
DATABASES = [pytest.param("sqlite", id="sqlite")]
if POSTGRES_URL:
    DATABASES.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))


def pytest_report_header(config: pytest.Config) -> str:
    """Say which databases the tests run on."""
    if POSTGRES_URL:
        return f"databases: SQLite and PostgreSQL ({make_url(POSTGRES_URL).render_as_string()})"
    return "databases: SQLite (set SKILLPATH_TEST_DATABASE_URL to add PostgreSQL)"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Send the tests that start servers to one xdist worker as one unit, the rest one by one.

    (xdist's own ``--dist loadgroup`` marks groups by renaming tests, which pytest 9.2's test
    ids no longer allow.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class LiveServersTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            folder = nodeid.split("/")[1] if nodeid.startswith("tests/") else ""
            return "live servers" if folder in LIVE_SERVER_FOLDERS else nodeid

    return LiveServersTogether(config, log)


def report_figure(config: pytest.Config, line: str) -> None:
    """Keep one line of figures for the summary at the end of the run."""
    config.stash.setdefault(FIGURES, []).append(line)
    print(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker, hand the figures kept to the process that prints the summary."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["figures"] = session.config.stash.get(FIGURES, [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """Gather a finished xdist worker's figures (a hook of pytest-xdist's)."""
    figures = getattr(node, "workeroutput", {}).get("figures", [])
    node.config.stash.setdefault(FIGURES, []).extend(figures)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Print the figures tests kept (the reliability tests' requests tried, failures seen)."""
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.write_sep("-", "figures")
        for line in lines:
            terminalreporter.write_line(line)


def auth(secret: str) -> Headers:
    """Return the Authorization header for an API key secret."""
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="session", autouse=True)
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the resolver's text embeddings in one folder for the whole run, not in ``var/``.

    Every app, CLI run and live server of the run reads the setting from the environment, so
    each skill text is encoded once per run rather than once per index build. The xdist
    workers share the folder (the store is safe for several processes).
    """
    root = tmp_path_factory.getbasetemp()
    folder = (root.parent if WORKER else root) / "embeddings"
    folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKILLPATH_EMBEDDING_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def postgres() -> Iterator[Engine]:
    """Give the session a PostgreSQL database with a fresh ``public`` schema, migrated to head.

    The database is the given one, or in an xdist worker one of the worker's own beside it,
    dropped at the end.
    """
    given = make_url(POSTGRES_URL)
    if given.get_backend_name() != "postgresql":
        pytest.fail("SKILLPATH_TEST_DATABASE_URL must be a postgresql+psycopg:// URL")
    with contextlib.ExitStack() as stack:
        url = given
        if WORKER:
            url = make_url(stack.enter_context(postgres_database(f"{given.database}_{WORKER}")))
        engine = create_engine(url)
        stack.callback(engine.dispose)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(url.render_as_string(hide_password=False))
        yield engine


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """Create database ``name`` afresh on the given server; yield its URL, then drop it."""
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


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
    engine = request.getfixturevalue("postgres")
    _empty_postgres(engine)
    return engine.url.render_as_string(hide_password=False)


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
