"""File handling shared by the importers: find files, read columns by name, tidy aliases."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from catalog.importers import ImportFormatError, Progress
from catalog.vocabulary import (
    MAX_ALIASES,
    MAX_ALTERNATE_TITLES,
    MAX_COMPETENCIES,
    MAX_NAME_LENGTH,
    MAX_TITLE_LENGTH,
)
from recommender.text import name_key

#: How many rows to read between two progress calls.
PROGRESS_EVERY = 5000


class RowCounter:
    """Counts rows across every file of one import and reports the running total."""

    def __init__(self, callback: Progress | None):
        self.callback = callback
        self.total = 0

    def add(self, rows: int) -> None:
        """Count ``rows`` more rows and report the total so far."""
        self.total += rows
        if self.callback is not None and rows:
            self.callback(self.total)


def find_file(directory: Path, names: Sequence[str]) -> Path:
    """Return the first of ``names`` found in ``directory``, or raise ImportFormatError."""
    for name in names:
        path = directory / name
        if path.is_file():
            return path
    wanted = " or ".join(repr(name) for name in names)
    raise ImportFormatError(f"missing file {wanted} in {directory}", path=directory / names[0])


class Table:
    """A delimited file read row by row, with columns looked up by name.

    :param required: columns that must be present; a missing one raises :class:`ImportFormatError`.
    :param optional: columns read when present (their value is ``""`` otherwise).
    """

    def __init__(
        self,
        path: Path,
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
        delimiter: str = ",",
        quoting: int = csv.QUOTE_MINIMAL,
        progress: RowCounter | None = None,
    ):
        self.path = path
        self.required = tuple(required)
        self.optional = tuple(optional)
        self.delimiter = delimiter
        self.quoting = quoting
        self.progress = progress

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(row number, row)`` pairs, each row mapping the wanted columns to values."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter, quoting=self.quoting)
            header = next(reader, None)
            if header is None:
                raise ImportFormatError("the file is empty (no header row)", path=self.path)
            index = {name.strip(): position for position, name in enumerate(header)}
            for column in self.required:
                if column not in index:
                    raise ImportFormatError(
                        f"missing required column {column!r}", path=self.path, column=column
                    )
            wanted = [(name, index[name]) for name in self.required]
            wanted += [(name, index[name]) for name in self.optional if name in index]
            absent = {name: "" for name in self.optional if name not in index}
            width = max(position for _, position in wanted) + 1
            pending = 0
            # Row numbers count the header as row 1, as a spreadsheet shows them.
            for number, fields in enumerate(reader, start=2):
                if not fields or fields == [""]:
                    continue
                if len(fields) < width:
                    raise ImportFormatError(
                        f"expected at least {width} fields, found {len(fields)}",
                        path=self.path,
                        row=number,
                    )
                row = {name: fields[position].strip() for name, position in wanted}
                row.update(absent)
                yield number, row
                pending += 1
                if self.progress is not None and pending >= PROGRESS_EVERY:
                    self.progress.add(pending)
                    pending = 0
            if self.progress is not None:
                self.progress.add(pending)


def count_rows(paths: Iterable[Path]) -> int:
    """Return about how many data rows the files hold (lines minus headers), for a progress bar."""
    total = 0
    for path in paths:
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        total += max(0, lines - 1)
    return total


def tidy_aliases(skills: list[dict[str, Any]]) -> None:
    """Drop aliases that repeat the skill's name, another skill's name, or another skill's alias.

    The API resolves a skill by exact name or alias, so an alias shared by two skills would be
    ambiguous; dropping it keeps every reference resolvable to exactly one skill.
    """
    names = {name_key(skill["name"]) for skill in skills}
    owners: dict[str, set[str]] = {}
    for skill in skills:
        for alias in skill["aliases"]:
            owners.setdefault(name_key(alias), set()).add(skill["id"])
    for skill in skills:
        kept: list[str] = []
        seen: set[str] = set()
        for alias in skill["aliases"]:
            key = name_key(alias)
            if key in names or key in seen or len(owners[key]) > 1:
                continue
            seen.add(key)
            kept.append(alias)
        skill["aliases"] = kept


def fit_limits(skills: list[dict[str, Any]], roles: list[dict[str, Any]]) -> None:
    """Cut alias, alternate-title and competency lists to what the bulk imports accept.

    The first entries, in the source's order, are kept; labels too long to store are dropped.
    Competencies come sorted by weight, so the least important ones go first.
    """
    for skill in skills:
        aliases = [alias for alias in skill["aliases"] if len(alias) <= MAX_NAME_LENGTH]
        skill["aliases"] = aliases[:MAX_ALIASES]
    for role in roles:
        titles = [title for title in role["alternate_titles"] if len(title) <= MAX_TITLE_LENGTH]
        role["alternate_titles"] = titles[:MAX_ALTERNATE_TITLES]
        role["competencies"] = role["competencies"][:MAX_COMPETENCIES]
