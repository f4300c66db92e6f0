"""``skillpath seed-demo`` and ``skillpath demo``: the shipped demo organisation and its year."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click

from service.cli.base import cli, new_session, with_app
from service.cli.imports import import_spec, run_import

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "catalog" / "demo"
# Order matters: roles and items name skills; employees name roles and items.
DEMO_FILES = (
    ("skills", "skills.json"),
    ("roles", "roles.json"),
    ("items", "items.json"),
    ("employees", "employees.json"),
)
# What happened to the demo organisation in its year, replayed for its new employees.
DEMO_HISTORY = "history.json"
# The demo employee whose active plan the README points at, and the role it aims at.
DEMO_PLAN = ("E1001", "cloud-architect")


def seed_demo() -> None:
    """Load the demo organisation shipped with the package (idempotent).

    Demo skills merge with stored ones like an importer's, so re-seeding after an O*NET or
    ESCO import keeps the ids and aliases those added. Demo employees not stored yet are
    imported as they stood when the demo's year began, and the year is replayed for them
    (service.demo_history); those stored already are left as they are.
    """
    from catalog.skills import merged_with_stored_skills
    from service.demo_history import moment_of, replay

    for plural, name in DEMO_FILES:
        rows = json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))
        if plural == "skills":
            with new_session(write=False) as session:
                rows = merged_with_stored_skills(session=session, records=rows)
        if plural == "employees":
            year = json.loads((DEMO_DIR / DEMO_HISTORY).read_text(encoding="utf-8"))
            done = replay(
                sessions=lambda: new_session(write=True),
                employees=rows,
                steps=year["steps"],
                start=moment_of({"at": year["starts"]}),
            )
            imported = done.pop("employees", 0)
            click.echo(
                f"demo employees: {len(rows)} rows; {imported} were created as they stood "
                f"on {year['starts'][:10]}, {len(rows) - imported} already stored"
            )
            replayed = ", ".join(f"{count} {kind}" for kind, count in sorted(done.items()))
            click.echo(f"demo history to {year['ends']}: {replayed or 'nothing new'}")
            continue
        run_import(import_spec(plural), rows, dry_run=False, label=f"demo {plural}")


@cli.command("seed-demo")
@with_app
def seed_demo_command() -> None:
    """Load the shipped demo organisation into the database (idempotent)."""
    seed_demo()


@cli.command("demo")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=os.cpu_count() or 2, show_default=True)
@with_app
def demo(bind: str, workers: int) -> None:
    """Migrate, seed the demo organisation, then serve with gunicorn."""
    from flask import current_app

    from catalog import migrate

    migrate.upgrade(current_app.config["SKILLPATH_DATABASE_URL"])
    seed_demo()
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = [gunicorn, "--bind", bind, "--workers", str(workers), "service.app:create_app()"]
    os.execv(gunicorn, args)
