"""``skillpath import``: record files, O*NET and ESCO, all rows or none."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from service.cli.base import cli, new_session, with_app

if TYPE_CHECKING:
    from service.imports import ImportSpec

# The record types `skillpath import` reads from files (service.imports.IMPORTS).
RECORD_IMPORTS = ("skills", "roles", "items", "employees")


def import_spec(plural: str) -> ImportSpec:
    """Return how records of the type ``plural`` are imported."""
    from service.imports import IMPORTS

    return next(spec for spec in IMPORTS if spec.plural == plural)


def run_import(
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
        new_session(write=True) as session,
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
        spec = import_spec(plural)
        run_import(spec, _read_rows(spec, path), dry_run=dry_run, label=path.name)

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

    with new_session(write=False) as session:
        # Several sources may describe one skill: add their ids and aliases, replace nothing.
        skills = merged_with_stored_skills(session=session, records=bundle.skills)
    run_import(import_spec("skills"), skills, dry_run=dry_run, label=f"{label} skills")
    if dry_run:
        click.echo(f"{label} roles: skipped in a dry run (they need the skills written)")
    else:
        run_import(import_spec("roles"), bundle.roles, dry_run=dry_run, label=f"{label} roles")


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
