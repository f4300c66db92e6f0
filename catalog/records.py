"""The batch engine: create, replace and read records of any type a :class:`RecordType` describes.

Writes take plain dicts in the shape of the public API (already checked for types and bounds by
the caller) and raise :mod:`catalog.errors` for anything the data itself gets wrong. A record type
that moves the catalog version moves it in the same transaction as the write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.errors import (
    AlreadyExistsError,
    ConflictError,
    ImportRowsError,
    InvalidCatalogError,
    NotFoundError,
    RecordError,
    RowError,
)
from catalog.models import Base, utcnow
from catalog.queries import chunks
from catalog.version import bump_catalog_version

T = TypeVar("T", bound=Base)
Record = Mapping[str, Any]
# How many records a batch writes between two calls of its progress callback.
PROGRESS_EVERY = 100
# A record and the number of its row in the batch the client sent (rows count from 1).
Numbered = tuple[int, Record]


class SkillFinder(Protocol):
    """Maps skill references to skill ids, and lists the references it could not map."""

    def __call__(
        self, *, session: Session, refs: Iterable[str]
    ) -> tuple[dict[str, str], list[str]]: ...


@dataclass(frozen=True)
class Reference:
    """A reference a record makes to another stored record (not a skill)."""

    model: type[Base]
    name: str  # what messages call the record referred to: "item", "role"
    field: str  # where the reference sits in the record: "requires_items[0]"
    ident: str


def _no_references(record: Record) -> Iterable[Reference]:
    return ()


def _no_batch_errors(records: Sequence[Numbered]) -> list[RowError]:
    return []


def _no_written_errors(session: Session, rows: Mapping[str, int]) -> list[RowError]:
    return []


def _no_stored_errors(session: Session, records: Sequence[Record]) -> list[RowError]:
    return []


# What a batch changed, by id: the state before (None for a created record) and after.
Changes = Mapping[str, tuple[dict[str, Any] | None, dict[str, Any]]]


@dataclass(frozen=True)
class RecordType(Generic[T]):
    """What makes a record of one type: its model, its state, and the rules of writing it.

    :param name: what messages call a record of this type ("item").
    :param state: the writable fields of a stored row, in the shape writes take them.
    :param normalise: a record as :attr:`state` would read once written, given the mapping of
        its skill references to ids (ids resolved, lists sorted and deduplicated, no ``id``).
    :param apply: writes a normalised record onto a row; raises :class:`ConflictError` or
        :class:`InvalidCatalogError` for a record that breaks a rule.
    :param skill_fields: the fields listing ``{"skill": ..., ...}`` rows.
    :param find_skills: how the references in ``skill_fields`` become skill ids (by id, name or
        alias); :func:`catalog.skills.resolve_skill_refs` for every type that has skill fields.
    :param references: the references a record makes to other stored records.
    :param check_batch: errors in a whole batch of numbered records before anything is
        written (names repeated).
    :param check_written: errors in what the batch wrote, after it is flushed (cycles); gets
        the first row of each id in the batch.
    :param check_stored: errors between the batch and other stored records (an email another
        record holds), before anything is written.
    :param on_written: what else a write does in the same transaction (history, matching
        waiting evidence), given each changed record's state before and after.
    :param moves_catalog: whether writing a record moves the catalog version.
    """

    name: str
    model: type[T]
    state: Callable[[T], dict[str, Any]]
    normalise: Callable[[Record, Mapping[str, str]], dict[str, Any]]
    apply: Callable[[Session, T, Record], None]
    skill_fields: tuple[str, ...] = ()
    find_skills: SkillFinder | None = None
    references: Callable[[Record], Iterable[Reference]] = _no_references
    check_batch: Callable[[Sequence[Numbered]], list[RowError]] = _no_batch_errors
    check_written: Callable[[Session, Mapping[str, int]], list[RowError]] = _no_written_errors
    check_stored: Callable[[Session, Sequence[Record]], list[RowError]] = _no_stored_errors
    on_written: Callable[[Session, Changes], None] | None = None
    moves_catalog: bool = True


@dataclass
class UpsertReport:
    """What a batch of upserts did, by id."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]


def skill_refs_of(record_type: RecordType[Any], record: Record) -> list[str]:
    """Return every skill reference ``record`` makes, in order."""
    return [row["skill"] for name in record_type.skill_fields for row in record.get(name) or ()]


def with_skill_ids(
    record_type: RecordType[Any], record: Record, mapping: Mapping[str, str]
) -> dict[str, Any]:
    """Return ``record`` with each skill reference that ``mapping`` knows replaced by its id."""
    out = dict(record)
    for name in record_type.skill_fields:
        if name in out:
            out[name] = [
                {**row, "skill": mapping.get(row["skill"], row["skill"])} for row in out[name]
            ]
    return out


def get(
    *, session: Session, record_type: RecordType[T], ident: str, for_update: bool = False
) -> T | None:
    """Return the stored record ``ident``, or None.

    With ``for_update`` the row stays locked until the transaction ends (PostgreSQL), so a
    precondition checked against it still holds when the write lands; SQLite writers hold
    the database lock from BEGIN already.
    """
    if for_update:
        return session.get(record_type.model, ident, with_for_update=True, populate_existing=True)
    return session.get(record_type.model, ident)


def get_or_raise(*, session: Session, record_type: RecordType[T], ident: str) -> T:
    """Return the stored record ``ident``; raise :class:`NotFoundError` if there is none."""
    row = session.get(record_type.model, ident)
    if row is None:
        raise NotFoundError(record_type.name, ident)
    return row


def create(*, session: Session, record_type: RecordType[T], ident: str, data: Record) -> T:
    """Create the record ``ident``; an id already taken is an :class:`AlreadyExistsError`."""
    if session.get(record_type.model, ident) is not None:
        raise AlreadyExistsError(record_type.name, ident)
    row, _ = put(session=session, record_type=record_type, ident=ident, data=data)
    return row


def put(
    *, session: Session, record_type: RecordType[T], ident: str, data: Record
) -> tuple[T, bool]:
    """Create or replace the record ``ident`` with ``data``.

    :return: the stored row and whether it was created.
    :raise ConflictError: the record clashes with another one (a skill name already taken).
    :raise RecordError: the record names unknown skills, items or roles, or breaks a rule.
    """
    try:
        report = upsert_many(
            session=session, record_type=record_type, records=[{**data, "id": ident}]
        )
    except ImportRowsError as exc:
        if all(error.conflict for error in exc.errors):
            raise ConflictError("; ".join(error.message for error in exc.errors)) from None
        raise RecordError(exc.errors) from None
    row = get_or_raise(session=session, record_type=record_type, ident=ident)
    return row, bool(report.created)


def upsert_many(
    *,
    session: Session,
    record_type: RecordType[T],
    records: Sequence[Record],
    progress: Callable[[int], None] | None = None,
    numbers: Sequence[int] | None = None,
) -> UpsertReport:
    """Create or replace many records (each with its ``id``) in the caller's transaction.

    References may point at other records of the same batch. Nothing is committed here, and
    on any error the caller must roll back. ``progress``, if given, is called with the number
    of records handled since its last call.

    :param numbers: the row each record came from, when rows the caller already refused are
        left out (by default 1, 2, 3, ...).
    :raise ImportRowsError: naming every bad row: a bad reference in one row does not keep
        another row's clash with stored data from being named.
    """
    if numbers is None:
        numbers = range(1, len(records) + 1)
    numbered = list(zip(numbers, records, strict=True))
    first_row, errors = _first_rows(numbered)
    errors += record_type.check_batch(numbered)
    skill_ids: dict[str, str] = {}
    if record_type.find_skills is not None:
        refs = [ref for record in records for ref in skill_refs_of(record_type, record)]
        skill_ids, _ = record_type.find_skills(session=session, refs=refs)
    errors += _reference_errors(session, record_type, numbered, skill_ids)
    # check_stored counts rows of ``records``; name them by the rows the client sent.
    errors += [
        replace(error, row=numbers[error.row - 1]) if 0 < error.row <= len(numbers) else error
        for error in record_type.check_stored(session, records)
    ]
    # Rows already found bad are not written, but the others still are, to find their clashes.
    refused = {error.row for error in errors}
    model = record_type.model
    existing: dict[str, T] = {}
    # Lock the stored rows, in id order so that two batches never wait on each other in a
    # cycle, and read them afresh: a concurrent batch that changed them has committed by then.
    for chunk in chunks(sorted(first_row)):
        query = (
            select(model)
            .where(model.id.in_(chunk))
            .order_by(model.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        existing.update((row.id, row) for row in session.scalars(query))
    report = UpsertReport(created=[], updated=[], unchanged=[])
    changes: dict[str, tuple[dict[str, Any] | None, dict[str, Any]]] = {}
    with session.no_autoflush:
        for position, (n, record) in enumerate(numbered, 1):
            if progress is not None and position % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
            if n in refused:
                continue
            data = record_type.normalise(record, skill_ids)
            row = existing.get(record["id"])
            before = record_type.state(row) if row is not None else None
            if before == data:
                report.unchanged.append(record["id"])
                continue
            changes[record["id"]] = (before, data)
            created = row is None
            if created:
                row = model(id=record["id"])
            try:
                record_type.apply(session, row, data)
            except (ConflictError, InvalidCatalogError) as exc:
                conflict = isinstance(exc, ConflictError)
                errors.append(RowError(n, getattr(exc, "field", None), str(exc), conflict=conflict))
                continue
            if created:
                session.add(row)
                report.created.append(record["id"])
            else:
                # A change to aliases, skills or completions alone touches only child rows.
                row.updated_at = utcnow()
                report.updated.append(record["id"])
    if progress is not None:
        progress(len(records) % PROGRESS_EVERY)
    if errors:
        raise ImportRowsError(sorted(errors, key=lambda error: error.row))
    if not (report.created or report.updated):
        return report
    # Rows go in first, then their links, so references inside one batch resolve in any order.
    session.flush()
    errors = record_type.check_written(session, first_row)
    if errors:
        raise ImportRowsError(errors)
    if record_type.on_written is not None:
        record_type.on_written(session, changes)
    if record_type.moves_catalog:
        bump_catalog_version(
            session=session,
            record_type=record_type.name,
            created=report.created,
            updated=report.updated,
        )
    return report


def _first_rows(records: Sequence[Numbered]) -> tuple[dict[str, int], list[RowError]]:
    """Return the first row of each id in a batch, and an error for each repeated id."""
    first_row: dict[str, int] = {}
    errors = []
    for n, record in records:
        if record["id"] in first_row:
            message = f"id {record['id']!r} already appears in row {first_row[record['id']]}"
            errors.append(RowError(n, "id", message))
        first_row.setdefault(record["id"], n)
    return first_row, errors


def _reference_errors(
    session: Session,
    record_type: RecordType[Any],
    records: Sequence[Numbered],
    skill_ids: Mapping[str, str],
) -> list[RowError]:
    """Name every reference, row by row, that matches nothing stored and nothing in the batch."""
    errors = []
    for n, record in records:
        for name in record_type.skill_fields:
            for position, row in enumerate(record.get(name) or ()):
                if row["skill"] not in skill_ids:
                    field = f"{name}[{position}].skill"
                    message = f"unknown skill {row['skill']!r}"
                    errors.append(RowError(n, field, message, unknown_skill=row["skill"]))
    references = [(n, ref) for n, record in records for ref in record_type.references(record)]
    wanted: dict[type[Base], set[str]] = {}
    for _, ref in references:
        wanted.setdefault(ref.model, set()).add(ref.ident)
    known = {model: existing_ids(session, model, idents) for model, idents in wanted.items()}
    if record_type.model in known:
        known[record_type.model] |= {record["id"] for _, record in records}
    for n, ref in references:
        if ref.ident not in known[ref.model]:
            errors.append(RowError(n, ref.field, f"unknown {ref.name} {ref.ident!r}"))
    return sorted(errors, key=lambda error: error.row)


def existing_ids(session: Session, model: type[Base], idents: Iterable[str]) -> set[str]:
    """Return which of ``idents`` name stored rows of ``model``."""
    wanted = sorted(set(idents))
    present: set[str] = set()
    for chunk in chunks(wanted):
        present.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
    return present


def no_repeated_skills(rows: Sequence[Mapping[str, Any]], field: str) -> None:
    """Refuse a list of skill rows that names one skill twice."""
    seen: set[str] = set()
    for row in rows:
        if row["skill"] in seen:
            raise InvalidCatalogError(f"skill {row['skill']!r} is listed twice", field=field)
        seen.add(row["skill"])


def by_skill(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return skill rows in the order states list them: by skill id."""
    return sorted(rows, key=lambda row: row["skill"])
