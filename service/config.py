"""Configuration: every SKILLPATH_ environment variable is read here and nowhere else."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PREFIX = "SKILLPATH_"
DEFAULT_DATABASE_URL = "sqlite:///" + str(Path("var") / "skillpath.db")


def _text(value: str, name: str) -> str:
    return value


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{PREFIX}{name} must be a whole number, not {value!r}") from None


def _float(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{PREFIX}{name} must be a number, not {value!r}") from None


def _bool(value: str, name: str) -> bool:
    word = value.strip().lower()
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{PREFIX}{name} must be true or false, not {value!r}")


def _log_level(value: str, name: str) -> str:
    level = value.strip().upper()
    if level not in logging.getLevelNamesMapping():
        names = ", ".join(("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
        raise ValueError(f"{PREFIX}{name} must be one of {names}, not {value!r}")
    return level


# A CSP source expression: a scheme and host (with a * label, a port), or a keyword.
_FRAME_SOURCE = re.compile(r"^(?:'self'|'none'|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::[0-9]{1,5})?)$")


def _frame_ancestors(value: str, name: str) -> str:
    sources = value.split()
    bad = [source for source in sources if not _FRAME_SOURCE.match(source)]
    if not sources or bad or ("'none'" in sources and len(sources) > 1):
        raise ValueError(
            f"{PREFIX}{name} must be 'none', 'self' or origins such as "
            f"https://lxp.example.com separated by spaces, not {value!r}"
        )
    return " ".join(sources)


def _seconds(value: str, name: str) -> int:
    seconds = _int(value, name)
    if seconds < 1:
        raise ValueError(f"{PREFIX}{name} must be at least 1 second, not {seconds}")
    return seconds


def _positive(value: str, name: str) -> float:
    number = _float(value, name)
    if number <= 0:
        raise ValueError(f"{PREFIX}{name} must be more than 0, not {value!r}")
    return number


def _attempts(value: str, name: str) -> int:
    count = _int(value, name)
    if count < 1:
        raise ValueError(f"{PREFIX}{name} must be at least 1, not {count}")
    return count


def _hosts(value: str, name: str) -> tuple[str, ...]:
    return tuple(host.strip().lower().rstrip(".") for host in value.split(",") if host.strip())


MAX_SHARE_LINK_DAYS = 366


def _days(value: str, name: str) -> int:
    days = _int(value, name)
    if not 1 <= days <= MAX_SHARE_LINK_DAYS:
        raise ValueError(f"{PREFIX}{name} must be 1 to {MAX_SHARE_LINK_DAYS} days, not {days}")
    return days


MIN_ADMIN_KEY_LENGTH = 16


def _admin_key(value: str, name: str) -> str:
    if len(value) < MIN_ADMIN_KEY_LENGTH:
        raise ValueError(
            f"{PREFIX}{name} must be at least {MIN_ADMIN_KEY_LENGTH} characters long, "
            f"not {len(value)}; make one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(24))'"
        )
    return value


# name: (default, parser(value, name), description); the README's configuration table agrees.
SETTINGS: dict[str, tuple[Any, Any, str]] = {
    "DATABASE_URL": (DEFAULT_DATABASE_URL, _text, "SQLAlchemy URL of the database"),
    "ADMIN_KEY": (None, _admin_key, "a bootstrap secret (16+ characters) accepted as an admin key"),
    "RATELIMIT": (
        "600/minute",
        _text,
        "requests each API key or OAuth client may make, e.g. 600/minute",
    ),
    "RATELIMIT_STORAGE_URI": (
        "memory://",
        _text,
        "where rate-limit counters live: memory:// is per worker process; redis://host:6379",
    ),
    "TOKEN_TTL": (3600, _seconds, "seconds an OAuth access token stays valid"),
    "MAX_BODY_BYTES": (10 * 1024 * 1024, _int, "largest request body accepted (413 above)"),
    "MAX_IMPORT_ROWS": (20_000, _int, "most rows one bulk import may carry"),
    "PLANNER_TIME_LIMIT": (0.3, _float, "seconds the exact path planner may take before greedy"),
    "EMBEDDING_CACHE": (
        str(Path("var") / "embeddings"),
        _text,
        "folder where the skill resolver keeps its text embeddings for every build and restart",
    ),
    "INDEX_DIR": (
        str(Path("var") / "index"),
        _text,
        "folder where each catalog version's fitted index is saved once and mapped by every "
        "worker of the host (writable by the service only)",
    ),
    "AUTO_MIGRATE": (None, _text, "apply migrations at start-up (default: on for SQLite only)"),
    "LOG_LEVEL": ("INFO", _log_level, "level of the app's JSON log lines: DEBUG ... CRITICAL"),
    "WEBHOOK_ALLOW_HOSTS": (
        (),
        _hosts,
        "comma-separated hosts webhooks may reach over http or on private addresses (dev, tests)",
    ),
    "WEBHOOK_TIMEOUT": (5.0, _positive, "seconds a webhook receiver has to connect and answer"),
    "WEBHOOK_MAX_ATTEMPTS": (12, _attempts, "attempts at a webhook delivery before giving up"),
    "WEBHOOK_RETRY_SECONDS": (
        10.0,
        _positive,
        "wait before a failed webhook delivery's 2nd attempt; doubles each time, at most 6 h",
    ),
    "METRICS_PUBLIC": (
        False,
        _bool,
        "serve /metrics without an API key (then reachable only behind the load balancer)",
    ),
    "SECRET_KEY": (
        None,
        _admin_key,
        "signs share links (16+ characters); default: one generated once and kept in the database",
    ),
    "CONSOLE_SESSION_TTL": (8 * 3600, _seconds, "seconds a console sign-in lasts"),
    "SHARE_LINK_DAYS": (30, _days, "days a share link stays valid unless its request says"),
    "SHARE_FRAME_ANCESTORS": (
        "'self'",
        _frame_ancestors,
        "origins that may frame a shared plan (/ui/share/...), e.g. https://lxp.example.com",
    ),
}


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Flask config keys (``SKILLPATH_*``) from the environment, with defaults."""
    environ = os.environ if environ is None else environ
    config = {}
    for name, (default, parse, _) in SETTINGS.items():
        raw = environ.get(PREFIX + name)
        if raw is None or raw == "":
            config[PREFIX + name] = default
        else:
            config[PREFIX + name] = parse(raw, name)
    return config
