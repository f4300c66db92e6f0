"""The settings table: defaults, parsing, and the message a bad value gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import DEFAULT_DATABASE_URL, SETTINGS, load_config


def test_defaults_fill_every_setting():
    assert load_config({}) == {
        "SKILLPATH_DATABASE_URL": DEFAULT_DATABASE_URL,
        "SKILLPATH_ADMIN_KEY": None,
        "SKILLPATH_RATELIMIT": "600/minute",
        "SKILLPATH_RATELIMIT_STORAGE_URI": "memory://",
        "SKILLPATH_METRICS_PUBLIC": False,
        "SKILLPATH_TOKEN_TTL": 3600,
        "SKILLPATH_MAX_BODY_BYTES": 10 * 1024 * 1024,
        "SKILLPATH_MAX_IMPORT_ROWS": 20_000,
        "SKILLPATH_PLANNER_TIME_LIMIT": 0.3,
        "SKILLPATH_EMBEDDING_CACHE": str(Path("var") / "embeddings"),
        "SKILLPATH_INDEX_DIR": str(Path("var") / "index"),
        "SKILLPATH_AUTO_MIGRATE": None,
        "SKILLPATH_LOG_LEVEL": "INFO",
        "SKILLPATH_WEBHOOK_ALLOW_HOSTS": (),
        "SKILLPATH_WEBHOOK_TIMEOUT": 5.0,
        "SKILLPATH_WEBHOOK_MAX_ATTEMPTS": 12,
        "SKILLPATH_WEBHOOK_RETRY_SECONDS": 10.0,
        "SKILLPATH_SECRET_KEY": None,
        "SKILLPATH_CONSOLE_SESSION_TTL": 8 * 3600,
        "SKILLPATH_SHARE_LINK_DAYS": 30,
        "SKILLPATH_SHARE_FRAME_ANCESTORS": "'self'",
    }
    assert set(load_config({})) == {f"SKILLPATH_{name}" for name in SETTINGS}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SKILLPATH_MAX_BODY_BYTES": "2048"}, {"SKILLPATH_MAX_BODY_BYTES": 2048}),
        ({"SKILLPATH_MAX_IMPORT_ROWS": " 12 "}, {"SKILLPATH_MAX_IMPORT_ROWS": 12}),
        ({"SKILLPATH_PLANNER_TIME_LIMIT": "0.25"}, {"SKILLPATH_PLANNER_TIME_LIMIT": 0.25}),
        ({"SKILLPATH_PLANNER_TIME_LIMIT": "3"}, {"SKILLPATH_PLANNER_TIME_LIMIT": 3.0}),
        (
            {"SKILLPATH_DATABASE_URL": "postgresql+psycopg://db/skillpath"},
            {"SKILLPATH_DATABASE_URL": "postgresql+psycopg://db/skillpath"},
        ),
        (
            {"SKILLPATH_ADMIN_KEY": "s3cret-0123456789"},
            {"SKILLPATH_ADMIN_KEY": "s3cret-0123456789"},
        ),
        ({"SKILLPATH_RATELIMIT": "10/second"}, {"SKILLPATH_RATELIMIT": "10/second"}),
        ({"SKILLPATH_AUTO_MIGRATE": "0"}, {"SKILLPATH_AUTO_MIGRATE": "0"}),
        ({"SKILLPATH_TOKEN_TTL": "300"}, {"SKILLPATH_TOKEN_TTL": 300}),
        (
            {"SKILLPATH_WEBHOOK_ALLOW_HOSTS": " LocalHost, 127.0.0.1 ,,hooks.test. "},
            {"SKILLPATH_WEBHOOK_ALLOW_HOSTS": ("localhost", "127.0.0.1", "hooks.test")},
        ),
        ({"SKILLPATH_WEBHOOK_RETRY_SECONDS": "0.5"}, {"SKILLPATH_WEBHOOK_RETRY_SECONDS": 0.5}),
        # An empty variable means "not set".
        ({"SKILLPATH_MAX_IMPORT_ROWS": ""}, {"SKILLPATH_MAX_IMPORT_ROWS": 20_000}),
        ({"SKILLPATH_LOG_LEVEL": ""}, {"SKILLPATH_LOG_LEVEL": "INFO"}),
        # Other variables are not settings.
        ({"MAX_IMPORT_ROWS": "5", "SKILLPATH_UNKNOWN": "x"}, {}),
    ],
)
def test_values_are_parsed(environ, expected):
    config = load_config(environ)
    assert config == {**load_config({}), **expected}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"SKILLPATH_MAX_IMPORT_ROWS": "many"},
            "SKILLPATH_MAX_IMPORT_ROWS must be a whole number, not 'many'",
        ),
        (
            {"SKILLPATH_MAX_BODY_BYTES": "1.5"},
            "SKILLPATH_MAX_BODY_BYTES must be a whole number, not '1.5'",
        ),
        (
            {"SKILLPATH_PLANNER_TIME_LIMIT": "soon"},
            "SKILLPATH_PLANNER_TIME_LIMIT must be a number, not 'soon'",
        ),
        (
            {"SKILLPATH_TOKEN_TTL": "0"},
            "SKILLPATH_TOKEN_TTL must be at least 1 second, not 0",
        ),
        (
            {"SKILLPATH_WEBHOOK_TIMEOUT": "0"},
            "SKILLPATH_WEBHOOK_TIMEOUT must be more than 0, not '0'",
        ),
        (
            {"SKILLPATH_WEBHOOK_MAX_ATTEMPTS": "0"},
            "SKILLPATH_WEBHOOK_MAX_ATTEMPTS must be at least 1, not 0",
        ),
        (
            {"SKILLPATH_ADMIN_KEY": "a"},
            "SKILLPATH_ADMIN_KEY must be at least 16 characters long, not 1; make one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(24))'",
        ),
    ],
)
def test_bad_values_name_the_variable(environ, message):
    with pytest.raises(ValueError) as caught:
        load_config(environ)
    assert str(caught.value) == message


def test_the_process_environment_is_read_by_default(monkeypatch):
    monkeypatch.setenv("SKILLPATH_LOG_LEVEL", "DEBUG")
    assert load_config()["SKILLPATH_LOG_LEVEL"] == "DEBUG"
