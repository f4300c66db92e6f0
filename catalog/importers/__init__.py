"""Importers that turn public skills frameworks (O*NET, ESCO) into bulk-import records.

Each importer reads a directory of the framework's own files and returns an :class:`ImportBundle`
of plain dicts in exactly the shapes ``POST /v1/skills/import`` and ``POST /v1/roles/import``
accept. Importers never touch the database, and the same input always gives the same output, so
importing twice changes nothing the second time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.vocabulary import MAX_ID_LENGTH
from recommender.text import name_key

__all__ = [
    "ImportBundle",
    "ImportFormatError",
    "Progress",
    "SlugRegistry",
    "name_key",
    "slugify",
]

#: Called now and then with the number of rows read so far, over all files of one import.
Progress = Callable[[int], None]


class ImportFormatError(ValueError):
    """A source file is missing, or lacks a required column, or has a malformed row."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        column: str | None = None,
        row: int | None = None,
    ):
        where = Path(path).name if path is not None else None
        prefix = f"{where}, row {row}" if where and row is not None else where
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.path = Path(path) if path is not None else None
        self.column = column
        self.row = row


@dataclass
class ImportBundle:
    """Skills and roles ready for the bulk imports, plus the source keys that gave no record."""

    skills: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_REPLACEMENTS = (
    (re.compile(r"\+"), " plus "),
    (re.compile(r"#"), " sharp "),
    (re.compile(r"&"), " and "),
    (re.compile(r"(?<![a-z0-9])\.(?=[a-z])"), " dot "),
)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return a lowercase hyphenated id for a label: "C++" -> "c-plus-plus", ".NET" -> "dot-net"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = ascii_text.casefold()
    for pattern, replacement in _REPLACEMENTS:
        slug = pattern.sub(replacement, slug)
    slug = _NON_SLUG.sub("-", slug).strip("-")
    return slug[:MAX_ID_LENGTH].rstrip("-") or "x"


class SlugRegistry:
    """Hands out unique ids: the plain slug first, then a qualified one, then numbered ones."""

    def __init__(self, taken: Iterable[str] = ()):
        self._taken = set(taken)

    def claim(self, label: str, qualifier: str | None = None) -> str:
        """Return a free id for ``label`` and mark it taken.

        :param qualifier: tried as a suffix ("mathematics-knowledge") before numbering.
        """
        base = slugify(label)
        candidates = [base]
        if qualifier:
            candidates.append(f"{base}-{slugify(qualifier)}")
        for candidate in candidates:
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate
        number = 2
        while f"{candidates[-1]}-{number}" in self._taken:
            number += 1
        candidate = f"{candidates[-1]}-{number}"
        self._taken.add(candidate)
        return candidate
