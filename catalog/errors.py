"""The catalog's own error hierarchy; the HTTP layer maps each to a status code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CatalogError(Exception):
    """Base class of every error the catalog raises on purpose."""


class NotFoundError(CatalogError):
    """A referenced resource does not exist."""

    def __init__(self, kind: str, ident: str, *, suggestions: Sequence[str] = ()):
        super().__init__(f"{kind} {ident!r} does not exist")
        self.kind = kind
        self.ident = ident
        self.suggestions = list(suggestions)  # the closest existing ids, best first


class ConflictError(CatalogError):
    """The write would contradict stored data (a duplicate id, or a resource still in use)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class AlreadyExistsError(ConflictError):
    """A record to be created has an id that a stored record already has."""

    def __init__(self, kind: str, ident: str):
        super().__init__(f"{kind} {ident!r} already exists")
        self.kind = kind
        self.ident = ident


class UnknownSkillError(CatalogError):
    """One or more skill references match no skill id, name or alias."""

    def __init__(self, unknown: Sequence[str], *, field: str = "skills"):
        names = ", ".join(repr(u) for u in unknown)
        super().__init__(f"unknown skill(s): {names}")
        self.unknown = list(unknown)
        self.field = field


class InvalidCatalogError(CatalogError):
    """The data is well-formed but breaks a domain rule (for example a prerequisite cycle)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RowError:
    """One problem found in one row of a bulk import (rows count from 1)."""

    row: int
    field: str | None
    message: str
    unknown_skill: str | None = None
    conflict: bool = False  # the row contradicts stored data rather than being malformed
    unknown_item: str | None = None


class ImportRowsError(CatalogError):
    """A bulk import was rejected whole; ``errors`` names every bad row."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__(f"{len(errors)} row error(s); nothing was imported")
        self.errors = list(errors)


class RecordError(CatalogError):
    """A single record was rejected; ``errors`` names every bad field."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class NoTargetRoleError(CatalogError):
    """No role was named, and the employee has no target role to default to."""


class ConcurrentWriteError(ConflictError):
    """Concurrent writers kept colliding on the same rows; the write may simply be retried."""
