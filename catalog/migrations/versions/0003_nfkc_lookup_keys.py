"""skill lookup keys in NFKC form

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00.000000

Skill names and aliases are now keyed by recommender.text.name_key (NFKC, whitespace folded,
case-folded), the form the fuzzy resolver compares free text in, so "ＡＷＳ" and "AWS" are one
name. This recomputes every stored key. Two skills whose names only NFKC tells apart cannot
both hold the new key: the one already keyed so (else the lowest id) takes it, and the other
keeps its old key; lookups by that name find the first, and renaming the second makes it
findable again. A key too long for its column also stays as it was.
"""

from collections.abc import Callable, Iterator, Sequence

import sqlalchemy as sa
from alembic import op

from recommender.text import name_key

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_LENGTH = 600  # the width of both key columns since 0002
BATCH = 1000

skills = sa.table(
    "skills",
    sa.column("id", sa.String),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
)
aliases = sa.table(
    "skill_aliases",
    sa.column("skill_id", sa.String),
    sa.column("position", sa.Integer),
    sa.column("alias", sa.String),
    sa.column("alias_key", sa.String),
)


def _casefold_key(text: str) -> str:
    """Return a key as revisions 0001 and 0002 stored it (what a downgrade must restore)."""
    return " ".join(text.split()).casefold()


def _rows(bind: sa.Connection, table: sa.TableClause, keys: Sequence[str]) -> Iterator[tuple]:
    """Yield every row of ``table`` in primary-key order, ``BATCH`` rows a query."""
    columns = [table.c[name] for name in keys]
    last: tuple | None = None
    while True:
        query = sa.select(*table.c).order_by(*columns).limit(BATCH)
        if last is not None:
            query = query.where(sa.tuple_(*columns) > sa.tuple_(*last))
        batch = bind.execute(query).all()
        yield from batch
        if len(batch) < BATCH:
            return
        last = tuple(getattr(batch[-1], name) for name in keys)


def _unique_keys(current: dict[str, str], wanted: dict[str, str]) -> dict[str, str]:
    """Return the new key of each skill, keeping the current one wherever two would clash."""
    final = dict(wanted)
    while True:
        holders: dict[str, list[str]] = {}
        for skill_id, key in final.items():
            holders.setdefault(key, []).append(skill_id)
        clashes = [ids for ids in holders.values() if len(ids) > 1]
        if not clashes:
            return final
        for ids in clashes:
            # A skill already keyed so keeps the key; else the lowest id does.
            ids.sort(key=lambda skill_id: (final[skill_id] != current[skill_id], skill_id))
            for skill_id in ids[1:]:
                final[skill_id] = current[skill_id]


def _rekey(key: Callable[[str], str]) -> None:
    """Recompute every skill's name key and every alias key with ``key``."""
    bind = op.get_bind()
    current: dict[str, str] = {}
    wanted: dict[str, str] = {}
    for row in _rows(bind, skills, ("id",)):
        current[row.id] = row.name_key
        new = key(row.name)
        wanted[row.id] = new if len(new) <= KEY_LENGTH else row.name_key
    final = _unique_keys(current, wanted)
    changed = [skill_id for skill_id, new in final.items() if new != current[skill_id]]
    # Keys are unique, and a swap would collide half-way: park the changing rows on keys no
    # name can have (a key never starts with a space) before giving them their new ones.
    for step in (lambda skill_id: " " + skill_id, final.__getitem__):
        for start in range(0, len(changed), BATCH):
            bind.execute(
                skills.update()
                .where(skills.c.id == sa.bindparam("skill_id"))
                .values(name_key=sa.bindparam("new_key")),
                [
                    {"skill_id": skill_id, "new_key": step(skill_id)}
                    for skill_id in changed[start : start + BATCH]
                ],
            )
    updates = []
    for row in _rows(bind, aliases, ("skill_id", "position")):
        new = key(row.alias)
        if new != row.alias_key and len(new) <= KEY_LENGTH:
            updates.append({"owner": row.skill_id, "at": row.position, "new_key": new})
    for start in range(0, len(updates), BATCH):
        bind.execute(
            aliases.update()
            .where(
                aliases.c.skill_id == sa.bindparam("owner"),
                aliases.c.position == sa.bindparam("at"),
            )
            .values(alias_key=sa.bindparam("new_key")),
            updates[start : start + BATCH],
        )


def upgrade() -> None:
    """Apply this revision."""
    _rekey(name_key)


def downgrade() -> None:
    """Revert this revision."""
    _rekey(_casefold_key)
