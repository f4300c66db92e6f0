"""The ``skillpath`` command: migrations, API keys, imports and the demo organisation."""

from __future__ import annotations

import atexit
import gc
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from catalog import migrate
from catalog.api_keys import create_api_key
from catalog.errors import ImportRowsError
from catalog.skills import merged_with_stored_skills
from service.auth import SCOPES
from service.db import db
from service.imports import (
    EMPLOYEE_IMPORT,
    IMPORTS,
    ITEM_IMPORT,
    ROLE_IMPORT,
    SKILL_IMPORT,
    ImportSpec,
    import_records,
)

DEMO_DIR = Path(__file__).resolve().parent.parent / "catalog" / "demo"
# Order matters: roles and items name skills; employees name roles and items.
DEMO_FILES = (
    (SKILL_IMPORT, "skills.json"),
    (ROLE_IMPORT, "roles.json"),
    (ITEM_IMPORT, "items.json"),
    (EMPLOYEE_IMPORT, "employees.json"),
)
IMPORT_BATCH = 2_000
# The demo employee whose learning plan the demo keeps, and the role it aims at.
DEMO_PLAN = ("E1001", "cloud-architect")


def _create_app():
    from service.app import create_app

    # The CLI migrates explicitly (db upgrade); start-up must not race it.
    return create_app({"SKILLPATH_AUTO_MIGRATE": False})


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def cli() -> None:
    """Skillpath: skills-based learning paths."""
    # After large imports, the interpreter's final garbage collection has crashed (SIGSEGV)
    # in dict traversal, after all work was committed; not reproduced outside the CLI yet.
    # Freezing the heap at exit keeps that last collection away from it.
    atexit.register(gc.freeze)


@cli.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply the schema migrations."""
    migrate.upgrade(current_app.config["SKILLPATH_DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@cli.group("keys")
def keys_group() -> None:
    """API keys."""


@keys_group.command("create")
@click.option("--name", required=True, help="Who the key is for.")
@click.option(
    "--scopes",
    required=True,
    help=f"Comma-separated scopes: {', '.join(SCOPES)}.",
)
@with_appcontext
def keys_create(name: str, scopes: str) -> None:
    """Create an API key and print its secret alone on the last line."""
    wanted = [s.strip() for s in scopes.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise click.BadParameter(f"use scopes among {', '.join(SCOPES)}", param_hint="--scopes")
    with db.sessionmaker(write=True)() as session:
        key, secret = create_api_key(session=session, name=name, scopes=wanted)
        session.commit()
        click.echo(f"created key {key.id} ({key.name}) with scopes {', '.join(key.scopes)}")
    click.echo(secret)


def _run_import(
    spec: ImportSpec, rows: list[dict[str, Any]], *, dry_run: bool, label: str
) -> dict[str, Any]:
    """Import ``rows`` in one transaction, printing a summary, or the row errors and exit 1."""
    with db.sessionmaker(write=True)() as session:
        try:
            report = import_records(
                session=session,
                spec=spec,
                rows=rows,
                dry_run=dry_run,
                max_rows=max(len(rows), 1),
            )
        except ImportRowsError as exc:
            for error in exc.errors[:50]:
                click.echo(f"row {error.row}: {error.field}: {error.message}", err=True)
            if len(exc.errors) > 50:
                click.echo(f"... and {len(exc.errors) - 50} more", err=True)
            click.echo(f"{label}: nothing imported", err=True)
            sys.exit(1)
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{label}: {report['rows']} rows; {report['created']} {verb} created, "
        f"{report['updated']} updated, {report['unchanged']} unchanged"
    )
    return report


def _read_rows(spec: ImportSpec, path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        try:
            return spec.read_csv(text)
        except ImportRowsError as exc:
            for error in exc.errors:
                click.echo(f"row {error.row}: {error.field}: {error.message}", err=True)
            sys.exit(1)
    data = json.loads(text)
    if not isinstance(data, list):
        raise click.BadParameter("a JSON file must hold an array of records", param_hint="FILE")
    return data


@cli.group("import")
def import_group() -> None:
    """Bulk imports (all rows or none)."""


def _file_import(spec: ImportSpec) -> Callable:
    @import_group.command(spec.plural)
    @click.argument(
        "path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
    )
    @click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
    @with_appcontext
    def command(path: Path, dry_run: bool) -> None:
        _run_import(spec, _read_rows(spec, path), dry_run=dry_run, label=path.name)

    command.__doc__ = f"Import {spec.plural} from a JSON array or CSV file."
    return command


for _spec in IMPORTS:
    _file_import(_spec)


def _progress(label: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    """Return a callback that reports rows read, and one that ends the line."""
    state = {"rows": 0}
    interactive = sys.stderr.isatty()

    def tick(rows: int) -> None:
        state["rows"] = rows
        if interactive:
            click.echo(f"\r{label}: {rows:,} rows read", nl=False, err=True)

    def done() -> None:
        click.echo(f"\r{label}: {state['rows']:,} rows read", err=True)

    return tick, done


def _import_bundle(bundle, *, dry_run: bool, label: str) -> None:
    with db.sessionmaker(write=False)() as session:
        # Several sources may describe one skill: add their ids and aliases, replace nothing.
        skills = merged_with_stored_skills(session=session, records=bundle.skills)
    with click.progressbar(length=2, label=f"{label}: importing", file=sys.stderr) as bar:
        _run_import(SKILL_IMPORT, skills, dry_run=dry_run, label=f"{label} skills")
        bar.update(1)
        if dry_run:
            click.echo(f"{label} roles: skipped in a dry run (they need the skills written)")
        else:
            _run_import(ROLE_IMPORT, bundle.roles, dry_run=dry_run, label=f"{label} roles")
        bar.update(1)


@import_group.command("onet")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--soc",
    "soc_prefixes",
    multiple=True,
    help="Only occupations whose SOC code starts so (e.g. 15-); repeatable. Default: all.",
)
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@with_appcontext
def import_onet(directory: Path, soc_prefixes: tuple[str, ...], dry_run: bool) -> None:
    """Import O*NET skills, knowledge, hot technologies and occupations (as roles)."""
    from catalog.importers.onet import read_onet

    tick, done = _progress("O*NET")
    bundle = read_onet(directory, soc_prefixes=soc_prefixes or None, progress=tick)
    done()
    _import_bundle(bundle, dry_run=dry_run, label="O*NET")


@import_group.command("esco")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@with_appcontext
def import_esco(directory: Path, dry_run: bool) -> None:
    """Import ESCO skills and occupations (as roles)."""
    from catalog.importers.esco import read_esco

    tick, done = _progress("ESCO")
    bundle = read_esco(directory, progress=tick)
    done()
    _import_bundle(bundle, dry_run=dry_run, label="ESCO")


def seed_demo() -> None:
    """Load the demo organisation shipped with the package (idempotent).

    Demo skills merge with stored ones like an importer's, so re-seeding after an O*NET or
    ESCO import keeps the ids and aliases those added.
    """
    for spec, name in DEMO_FILES:
        rows = json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))
        if spec is SKILL_IMPORT:
            with db.sessionmaker(write=False)() as session:
                rows = merged_with_stored_skills(session=session, records=rows)
        _run_import(spec, rows, dry_run=False, label=f"demo {spec.plural}")
    _keep_demo_plan()


def _keep_demo_plan() -> None:
    """Keep a learning plan for one demo employee, unless one is active already.

    The import wrote every demo employee's skill history already (their levels, as events).
    """
    from catalog.plans import active_plan
    from service.plans import create_plan

    employee_id, role_id = DEMO_PLAN
    with db.sessionmaker(write=True)() as session:
        if active_plan(session=session, employee_id=employee_id, role_id=role_id) is None:
            plan = create_plan(
                session=session, employee_id=employee_id, role_id=role_id, constraints={}
            )
            session.commit()
            click.echo(f"demo plan: {plan['id']} for {employee_id} towards {role_id}")
        else:
            click.echo(f"demo plan: {employee_id} has an active plan towards {role_id} already")


@cli.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the shipped demo organisation into the database (idempotent)."""
    seed_demo()


@cli.command("demo")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=os.cpu_count() or 2, show_default=True)
@with_appcontext
def demo(bind: str, workers: int) -> None:
    """Migrate, seed the demo organisation, then serve with gunicorn."""
    migrate.upgrade(current_app.config["SKILLPATH_DATABASE_URL"])
    seed_demo()
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = [gunicorn, "--bind", bind, "--workers", str(workers), "service.app:create_app()"]
    os.execv(gunicorn, args)
