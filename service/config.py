"""Configuration: every SKILLPATH_ environment variable is read here and nowhere else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PREFIX = "SKILLPATH_"
DEFAULT_DATABASE_URL = "sqlite:///" + str(Path("var") / "skillpath.db")


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


# name: (default, parser, description) -- the README's configuration table lists the same.
SETTINGS: dict[str, tuple[Any, Any, str]] = {
    "DATABASE_URL": (DEFAULT_DATABASE_URL, str, "SQLAlchemy URL of the database"),
    "ADMIN_KEY": (None, str, "a bootstrap secret accepted as an admin API key"),
    "MAX_BODY_BYTES": (10 * 1024 * 1024, _int, "largest request body accepted (413 above)"),
    "MAX_IMPORT_ROWS": (20_000, _int, "most rows one bulk import may carry"),
    "PLANNER_TIME_LIMIT": (2.0, _float, "seconds the exact path planner may take before greedy"),
    "AUTO_MIGRATE": (None, str, "apply migrations at start-up (default: on for SQLite only)"),
    "LOG_LEVEL": ("INFO", str, "logging level"),
}


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Flask config keys (``SKILLPATH_*``) from the environment, with defaults."""
    environ = os.environ if environ is None else environ
    config = {}
    for name, (default, parse, _) in SETTINGS.items():
        raw = environ.get(PREFIX + name)
        if raw is None or raw == "":
            config[PREFIX + name] = default
        elif parse in (_int, _float):
            config[PREFIX + name] = parse(raw, name)
        else:
            config[PREFIX + name] = parse(raw)
    return config
