"""The ``skillpath`` command: migrations, credentials, imports and the demo organisation.

Only click and the standard library load at start-up: every command imports what it needs
(the app, the database, numpy and scikit-learn through the recommender) when it runs, so
``skillpath --help`` answers at once.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from flask import Flask

    from service.imports import ImportSpec

DEMO_DIR = Path(__file__).resolve().parent.parent / "catalog" / "demo"
# Order matters: roles and items name skills; employees name roles and items.
DEMO_FILES = (
    ("skills", "skills.json"),
    ("roles", "roles.json"),
    ("items", "items.json"),
    ("employees", "employees.json"),
)
# The record types `skillpath import` reads from files (service.imports.IMPORTS).
RECORD_IMPORTS = ("skills", "roles", "items", "employees")
SCOPES_HELP = (
    "A scope to grant: repeat the option or separate scopes with commas "
    "(admin, catalog:write, employees:write, employees:read, recommend; admin holds all)."
)
# The demo employee whose learning plan the demo keeps, and the role it aims at.
DEMO_PLAN = ("E1001", "cloud-architect")


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


def _session(*, write: bool):
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


def _scopes(values: Iterable[str]) -> list[str]:
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


def _when(value: Any) -> str:
    """Format a timestamp for a listing, or a dash for none."""
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"


@cli.group("keys")
def keys_group() -> None:
    """API keys."""


@keys_group.command("create")
@click.option("--name", required=True, help="Who the key is for.")
@scopes_option
@with_app
def keys_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an API key and print its secret alone on the last line."""
    from catalog.api_keys import create_api_key

    wanted = _scopes(scopes)
    with _session(write=True) as session:
        key, secret = create_api_key(session=session, name=name, scopes=wanted)
        session.commit()
        click.echo(f"created key {key.id} ({key.name}) with scopes {', '.join(key.scopes)}")
    click.echo(secret)


@keys_group.command("list")
@with_app
def keys_list() -> None:
    """List API keys, newest first (secrets are never stored)."""
    from catalog.api_keys import list_api_keys

    with _session(write=False) as session:
        keys = list_api_keys(session=session, page=1, page_size=sys.maxsize).items
        click.echo(f"{'ID':>5}  {'PREFIX':<10}  {'CREATED':<16}  {'REVOKED':<16}  NAME (SCOPES)")
        for key in keys:
            click.echo(
                f"{key.id:>5}  {key.prefix:<10}  {_when(key.created_at):<16}  "
                f"{_when(key.revoked_at):<16}  {key.name} ({', '.join(key.scopes)})"
            )


@keys_group.command("revoke")
@click.argument("key_id", metavar="ID", type=click.IntRange(min=1))
@with_app
def keys_revoke(key_id: int) -> None:
    """Revoke the API key ID at once (revoking twice is harmless)."""
    from catalog.api_keys import revoke_api_key
    from catalog.errors import NotFoundError

    with _session(write=True) as session:
        try:
            key = revoke_api_key(session=session, key_id=key_id)
        except NotFoundError:
            raise click.BadParameter(f"there is no API key {key_id}", param_hint="ID") from None
        session.commit()
        click.echo(f"revoked key {key.id} ({key.name})")


@cli.group("oauth-clients")
def oauth_clients_group() -> None:
    """OAuth 2.0 clients (client credentials grant at /oauth/token)."""


@oauth_clients_group.command("create")
@click.option("--name", required=True, help="Who the client is for.")
@scopes_option
@with_app
def oauth_clients_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an OAuth client: its id, then its secret alone on the last line."""
    from catalog.oauth_clients import create_client

    wanted = _scopes(scopes)
    with _session(write=True) as session:
        client, secret = create_client(session=session, name=name, scopes=wanted)
        session.commit()
        click.echo(f"created client {client.client_id} ({name}) with scopes {', '.join(wanted)}")
    click.echo(secret)


@oauth_clients_group.command("list")
@with_app
def oauth_clients_list() -> None:
    """List OAuth clients, newest first (secrets are never stored)."""
    from catalog.oauth_clients import list_clients

    with _session(write=False) as session:
        clients = list_clients(session=session, page=1, page_size=sys.maxsize).items
        click.echo(f"{'CLIENT ID':<20}  {'CREATED':<16}  {'REVOKED':<16}  NAME (SCOPES)")
        for client in clients:
            click.echo(
                f"{client.client_id:<20}  {_when(client.created_at):<16}  "
                f"{_when(client.revoked_at):<16}  {client.name} ({', '.join(client.scopes)})"
            )


@oauth_clients_group.command("revoke")
@click.argument("client_id")
@with_app
def oauth_clients_revoke(client_id: str) -> None:
    """Revoke an OAuth client and its tokens at once (revoking twice is harmless)."""
    from catalog.errors import NotFoundError
    from catalog.oauth_clients import revoke_client

    with _session(write=True) as session:
        try:
            client = revoke_client(session=session, client_id=client_id)
        except NotFoundError:
            raise click.BadParameter(
                f"there is no OAuth client {client_id!r}", param_hint="CLIENT_ID"
            ) from None
        session.commit()
        click.echo(f"revoked client {client.client_id} ({client.name})")


def _import_spec(plural: str) -> ImportSpec:
    """Return how records of the type ``plural`` are imported."""
    from service.imports import IMPORTS

    return next(spec for spec in IMPORTS if spec.plural == plural)


def _run_import(
    spec: ImportSpec, rows: list[dict[str, Any]], *, dry_run: bool, label: str
) -> dict[str, Any]:
    """Import ``rows`` in one transaction, printing a summary, or the row errors and exit 1.

    A progress bar on stderr counts rows checked, then rows written.
    """
    from catalog.db import collect_between_units, pause_collection
    from catalog.errors import ImportRowsError
    from service.imports import import_records

    # Each import is one unit of work: no collection inside it (see catalog.db), one after.
    pause_collection()
    with (
        _session(write=True) as session,
        click.progressbar(length=max(2 * len(rows), 1), label=label, file=sys.stderr) as bar,
    ):
        try:
            report = import_records(
                session=session,
                spec=spec,
                rows=rows,
                dry_run=dry_run,
                max_rows=max(len(rows), 1),
                progress=bar.update,
            )
        except ImportRowsError as exc:
            bar.render_finish()
            for error in exc.errors[:50]:
                click.echo(f"row {error.row}: {error.field}: {error.message}", err=True)
            if len(exc.errors) > 50:
                click.echo(f"... and {len(exc.errors) - 50} more", err=True)
            click.echo(f"{label}: nothing imported", err=True)
            sys.exit(1)
    collect_between_units()
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{label}: {report['rows']} rows; {report['created']} {verb} created, "
        f"{report['updated']} updated, {report['unchanged']} unchanged"
    )
    return report


def _read_rows(spec: ImportSpec, path: Path) -> list[dict[str, Any]]:
    """Read an import file's rows: a JSON array, or CSV by the spec's columns."""
    from catalog.errors import ImportRowsError

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


def _file_import(plural: str) -> Callable:
    """Add ``skillpath import PLURAL FILE``."""

    @import_group.command(plural, help=f"Import {plural} from a JSON array or CSV file.")
    @click.argument(
        "path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
    )
    @click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
    @with_app
    def command(path: Path, dry_run: bool) -> None:
        spec = _import_spec(plural)
        _run_import(spec, _read_rows(spec, path), dry_run=dry_run, label=path.name)

    return command


for _plural in RECORD_IMPORTS:
    _file_import(_plural)


def _reading(label: str, total: int):
    """Return a progress bar on stderr for reading about ``total`` rows, and its callback."""
    bar = click.progressbar(length=max(total, 1), label=f"{label}: reading", file=sys.stderr)
    state = {"rows": 0}

    def tick(rows: int) -> None:
        # The importers report rows read so far; the bar moves by the difference.
        bar.update(max(0, min(rows, total) - state["rows"]))
        state["rows"] = min(rows, total)

    return bar, tick


def _import_bundle(bundle, *, dry_run: bool, label: str) -> None:
    """Import what an O*NET or ESCO reader returned: skills merged with stored ones, then roles."""
    from catalog.skills import merged_with_stored_skills

    with _session(write=False) as session:
        # Several sources may describe one skill: add their ids and aliases, replace nothing.
        skills = merged_with_stored_skills(session=session, records=bundle.skills)
    _run_import(_import_spec("skills"), skills, dry_run=dry_run, label=f"{label} skills")
    if dry_run:
        click.echo(f"{label} roles: skipped in a dry run (they need the skills written)")
    else:
        _run_import(_import_spec("roles"), bundle.roles, dry_run=dry_run, label=f"{label} roles")


@import_group.command("onet")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--soc",
    "soc_prefixes",
    multiple=True,
    help="Only occupations whose SOC code starts so (e.g. 15-); repeatable. Default: all.",
)
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@with_app
def import_onet(directory: Path, soc_prefixes: tuple[str, ...], dry_run: bool) -> None:
    """Import O*NET skills, knowledge, hot technologies and occupations (as roles)."""
    from catalog.importers.onet import onet_row_count, read_onet

    bar, tick = _reading("O*NET", onet_row_count(directory))
    with bar:
        bundle = read_onet(directory, soc_prefixes=soc_prefixes or None, progress=tick)
    _import_bundle(bundle, dry_run=dry_run, label="O*NET")


@import_group.command("esco")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@with_app
def import_esco(directory: Path, dry_run: bool) -> None:
    """Import ESCO skills and occupations (as roles)."""
    from catalog.importers.esco import esco_row_count, read_esco

    bar, tick = _reading("ESCO", esco_row_count(directory))
    with bar:
        bundle = read_esco(directory, progress=tick)
    _import_bundle(bundle, dry_run=dry_run, label="ESCO")


def seed_demo() -> None:
    """Load the demo organisation shipped with the package (idempotent).

    Demo skills merge with stored ones like an importer's, so re-seeding after an O*NET or
    ESCO import keeps the ids and aliases those added.
    """
    from catalog.skills import merged_with_stored_skills

    for plural, name in DEMO_FILES:
        rows = json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))
        if plural == "skills":
            with _session(write=False) as session:
                rows = merged_with_stored_skills(session=session, records=rows)
        _run_import(_import_spec(plural), rows, dry_run=False, label=f"demo {plural}")
    _keep_demo_plan()


def _keep_demo_plan() -> None:
    """Keep a learning plan for one demo employee, unless one is active already.

    The import wrote every demo employee's skill history already (their levels, as events).
    """
    from catalog.plans import active_plan
    from service.plans import create_plan

    employee_id, role_id = DEMO_PLAN
    with _session(write=True) as session:
        if active_plan(session=session, employee_id=employee_id, role_id=role_id) is None:
            plan = create_plan(
                session=session, employee_id=employee_id, role_id=role_id, constraints={}
            )
            session.commit()
            click.echo(f"demo plan: {plan['id']} for {employee_id} towards {role_id}")
        else:
            click.echo(f"demo plan: {employee_id} has an active plan towards {role_id} already")


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


@cli.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due now, then exit (tests, cron).")
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="Seconds between looks at the outbox when nothing is due.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(min=1, max=65535),
    help="Serve this sender's Prometheus metrics on this port (when apart from the app).",
)
@with_app
def deliver(once: bool, poll: float, metrics_port: int | None) -> None:
    """Send webhook deliveries from the outbox, with retries, until stopped."""
    import signal

    from flask import current_app

    from service.db import db
    from service.deliverer import Deliverer

    deliverer = Deliverer(sessions=db.sessionmaker(write=True), settings=current_app.config)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        from service.metrics import registry

        start_http_server(metrics_port, registry=registry)
    if not once:
        # SIGTERM (docker stop, the end of `make run`) finishes the send under way, then exits.
        signal.signal(signal.SIGTERM, lambda *_: deliverer.stopping.set())
        click.echo(f"delivering webhooks as {deliverer.owner}", err=True)
    try:
        attempts = deliverer.run(once=once, poll=poll)
    except KeyboardInterrupt:
        return
    if once:
        click.echo(f"{attempts} delivery attempt(s)")
