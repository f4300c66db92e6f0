"""The command group every ``skillpath`` command hangs on, and what commands share."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from flask import Flask

SCOPES_HELP = (
    "A scope to grant: repeat the option or separate scopes with commas "
    "(admin, catalog:write, employees:write, employees:read, recommend, evidence:write, "
    "analytics:read; admin holds all)."
)


def _create_app() -> Flask:
    """Create the app the commands run in."""
    from service.app import create_app

    # The CLI migrates explicitly (db upgrade); start-up must not race it.
    return create_app({"SKILLPATH_AUTO_MIGRATE": False})


def with_app(command: Callable) -> Callable:
    """Run ``command`` inside an app context, creating the app only then."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from flask.cli import ScriptInfo

        # A test runner hands in its app through Flask's ScriptInfo.
        info = click.get_current_context().find_object(ScriptInfo)
        app = info.load_app() if info is not None else _create_app()
        with app.app_context():
            return command(*args, **kwargs)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skillpath", prog_name="skillpath")
def cli() -> None:
    """Skillpath: skills-based learning paths."""


def new_session(*, write: bool):
    """Return a new database session of the current app."""
    from service.db import db

    return db.sessionmaker(write=write)()


@cli.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_app
def db_upgrade(revision: str) -> None:
    """Apply the schema migrations."""
    from flask import current_app

    from catalog import migrate

    migrate.upgrade(current_app.config["SKILLPATH_DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


def scopes_option(command: Callable) -> Callable:
    """Add a repeatable ``--scopes`` option whose values (each may list several) add up."""
    return click.option(
        "--scopes", "scopes", multiple=True, required=True, metavar="SCOPES", help=SCOPES_HELP
    )(command)


def scopes_named(values: Iterable[str]) -> list[str]:
    """Return the scopes named by every ``--scopes`` value, in order, once each."""
    from service.auth import SCOPES

    wanted = list(dict.fromkeys(s.strip() for v in values for s in v.split(",") if s.strip()))
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        named = f"unknown scope {', '.join(unknown)}; " if unknown else ""
        raise click.BadParameter(
            f"{named}use scopes among {', '.join(SCOPES)}", param_hint="--scopes"
        )
    return wanted


def when(value: Any) -> str:
    """Format a timestamp for a listing, or a dash for none."""
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"
