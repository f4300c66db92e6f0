"""Structural checks of the deployment files: Dockerfile, .dockerignore, compose.yaml, gunicorn.

These read the files; they build and run no image. They catch a renamed setting, a lost health
check or a stage that runs as root, not a broken image.
"""

from __future__ import annotations

import faulthandler
import fnmatch
import gc
import os
import re
import runpy
import shlex
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from limits.storage import storage_from_string
from sqlalchemy.engine import make_url

from service.config import PREFIX, SETTINGS

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"\bSKILLPATH_[A-Z0-9_]+")


def known_settings() -> set[str]:
    """Return every variable the app (service/config.py) or gunicorn.conf.py reads."""
    gunicorn = set(SETTING.findall((ROOT / "gunicorn.conf.py").read_text()))
    return {PREFIX + name for name in SETTINGS} | gunicorn


# -- Dockerfile ---------------------------------------------------------------------------------


def instructions() -> list[tuple[str, str]]:
    """Return the Dockerfile's instructions as (KEYWORD, arguments), continuations joined."""
    joined = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stages() -> dict[str, list[tuple[str, str]]]:
    """Return the instructions of each stage, by the name ``FROM ... AS name`` gives it."""
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for keyword, rest in instructions():
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+)\s+AS\s+(\S+)", rest, re.IGNORECASE)
            assert match, f"every stage is named: FROM {rest}"
            current = found.setdefault(match[2], [])
        current.append((keyword, rest))
    return found


def final_stage() -> list[tuple[str, str]]:
    """Return the instructions of the last stage, the image that runs."""
    return list(stages().values())[-1]


def exec_form(rest: str) -> list[str]:
    """Return the words of a JSON-array instruction (CMD, HEALTHCHECK's CMD)."""
    return yaml.safe_load(rest[rest.index("[") :])


def test_the_dockerfile_builds_in_one_stage_and_runs_in_a_slim_one():
    named = stages()
    assert list(named) == ["builder", "runtime"]
    for steps in named.values():
        assert steps[0][1].split()[0] == "python:3.11-slim"
    runtime = final_stage()
    assert ("COPY", "--from=builder /opt/venv /opt/venv") in runtime
    assert not any(k == "RUN" and "pip install" in rest for k, rest in runtime)


def test_the_image_runs_gunicorn_as_an_unprivileged_user():
    runtime = final_stage()
    users = [rest for keyword, rest in runtime if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    user_at = runtime.index(("USER", users[-1]))
    cmd_at = max(i for i, (keyword, _) in enumerate(runtime) if keyword == "CMD")
    assert user_at < cmd_at
    assert exec_form(runtime[cmd_at][1]) == ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]


def test_the_image_declares_its_port_volume_and_health_check():
    runtime = final_stage()
    keywords = dict(runtime)
    assert keywords["EXPOSE"] == "8000"
    assert "/app/var" in keywords["VOLUME"]
    check = keywords["HEALTHCHECK"]
    command = exec_form(check[check.index("CMD") + 3 :])
    assert command[:2] == ["python", "-c"]
    assert "urllib.request" in command[2] and "127.0.0.1:8000/health" in command[2]
    env = " ".join(rest for keyword, rest in runtime if keyword == "ENV")
    assert "SKILLPATH_BIND=0.0.0.0:8000" in env  # the port the health check asks


def test_the_dockerfile_names_only_known_settings():
    text = (ROOT / "Dockerfile").read_text()
    assert set(SETTING.findall(text)) <= known_settings()


def dockerignored(path: str) -> bool:
    """Tell whether .dockerignore keeps ``path`` (relative to the root) out of the context."""
    patterns = [
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = Path(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(
        fnmatch.fnmatch(prefix, pattern.removeprefix("**/"))
        or fnmatch.fnmatch(prefix.split("/")[-1], pattern.removeprefix("**/"))
        for pattern in patterns
        for prefix in prefixes
    )


def test_every_copied_file_exists_and_reaches_the_build_context():
    copied = []
    for keyword, rest in instructions():
        words = shlex.split(rest)
        if keyword == "COPY" and not any(w.startswith("--from") for w in words):
            copied += [w for w in words[:-1] if not w.startswith("--")]
    assert {"pyproject.toml", "service", "wsgi.py", "gunicorn.conf.py"} <= set(copied)
    for source in copied:
        assert (ROOT / source).exists(), source
        assert not dockerignored(source), source


@pytest.mark.parametrize(
    "path", [".venv", "var/skillpath.db", ".git", "service/__pycache__/app.cpython-311.pyc"]
)
def test_local_state_stays_out_of_the_build_context(path):
    assert dockerignored(path)


# -- gunicorn.conf.py ---------------------------------------------------------------------------


def gunicorn_settings(monkeypatch, **environ: str) -> dict:
    """Return the names gunicorn.conf.py defines when read under ``environ``."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.setenv(name, "1")  # the file sets them when absent; keep that to this test
    for name in ("SKILLPATH_BIND", "SKILLPATH_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_a_started_worker_leaves_its_start_up_objects_out_of_collections(monkeypatch, tmp_path):
    settings = gunicorn_settings(monkeypatch)
    log = tmp_path / "error.log"
    worker = SimpleNamespace(cfg=SimpleNamespace(errorlog=str(log)))
    handlers = []
    # This process's own fault handler is pytest's: the worker's is checked live
    # (tests/reliability/test_worker_faults.py); here only where it would write.
    monkeypatch.setattr(faulthandler, "enable", lambda **kwargs: handlers.append(kwargs))
    before = gc.get_freeze_count()
    try:
        settings["post_worker_init"](worker=worker)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()  # this test process goes on creating and dropping apps
        worker.fault_log.close()
    assert [(h["file"].name, h["all_threads"]) for h in handlers] == [(str(log), True)]


CORES = len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    ("environ", "bind", "workers"),
    [
        ({}, "127.0.0.1:8000", CORES),
        ({"SKILLPATH_BIND": "", "SKILLPATH_WORKERS": ""}, "127.0.0.1:8000", CORES),
        ({"SKILLPATH_BIND": "0.0.0.0:9000", "SKILLPATH_WORKERS": "3"}, "0.0.0.0:9000", 3),
    ],
)
def test_gunicorn_binds_and_forks_as_the_settings_say(monkeypatch, environ, bind, workers):
    settings = gunicorn_settings(monkeypatch, **environ)
    assert (settings["bind"], settings["workers"]) == (bind, workers)
    assert settings["accesslog"] is None  # the app writes the access lines


@pytest.mark.parametrize("raw", ["0", "-2", "many"])
def test_gunicorn_refuses_a_worker_count_it_cannot_use(monkeypatch, raw):
    with pytest.raises(SystemExit, match="SKILLPATH_WORKERS must be a whole number"):
        gunicorn_settings(monkeypatch, SKILLPATH_WORKERS=raw)


# -- compose.yaml -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    """Return compose.yaml as data, YAML anchors and merge keys resolved."""
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def environment(service: dict) -> dict[str, str]:
    """Return a service's environment as a mapping, whichever form the file uses."""
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: str(value) for name, value in env.items()}


def test_compose_runs_postgres_15_redis_7_a_migration_the_app_and_the_deliverer(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "app", "deliverer"}
    assert services["postgres"]["image"].split(":")[1].split("-")[0] == "15"
    assert services["redis"]["image"].split(":")[1].split("-")[0] == "7"
    assert services["migrate"]["command"] == ["skillpath", "db", "upgrade"]
    assert services["migrate"]["image"] == services["app"]["image"]
    assert services["app"]["build"] == services["migrate"]["build"] == "."
    assert services["deliverer"]["image"] == services["app"]["image"]
    assert services["deliverer"]["command"][:2] == ["skillpath", "deliver"]


def test_compose_starts_each_service_after_what_it_needs(compose):
    services = compose["services"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["app"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert services["deliverer"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


@pytest.mark.parametrize("name", ["postgres", "redis", "app", "deliverer"])
def test_compose_health_checks_every_long_running_service(compose, name):
    test = compose["services"][name]["healthcheck"]["test"]
    assert test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1


def test_compose_points_the_app_at_postgres_and_redis(compose):
    services = compose["services"]
    app, migrate = environment(services["app"]), environment(services["migrate"])
    url = make_url(app["SKILLPATH_DATABASE_URL"].replace("${POSTGRES_PASSWORD:-skillpath}", "pw"))
    assert (url.drivername, url.host, url.database) == (
        "postgresql+psycopg",
        "postgres",
        "skillpath",
    )
    assert migrate["SKILLPATH_DATABASE_URL"] == app["SKILLPATH_DATABASE_URL"]
    deliverer = environment(services["deliverer"])
    assert deliverer["SKILLPATH_DATABASE_URL"] == app["SKILLPATH_DATABASE_URL"]
    assert app["SKILLPATH_RATELIMIT_STORAGE_URI"] == "redis://redis:6379"
    # The image has the client the URI needs (constructing the storage connects to nothing).
    assert type(storage_from_string(app["SKILLPATH_RATELIMIT_STORAGE_URI"])).__name__ == (
        "RedisStorage"
    )
    assert app["SKILLPATH_ADMIN_KEY"].startswith("${SKILLPATH_ADMIN_KEY:?")


def test_compose_sets_only_settings_the_app_reads(compose):
    # A renamed setting must break this test, not a deployment.
    for name, service in compose["services"].items():
        names = {n for n in environment(service) if n.startswith("SKILLPATH_")}
        assert names <= known_settings(), name


def test_the_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    table = table[: table.index("\n## ", 1)]
    for name in known_settings():
        assert f"`{name}`" in table, name
