"""learning loop: evidence, history, plans and feedback

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 09:00:00.000000

Employees gain an email (what xAPI ``mbox`` actors match) and items external ids (an xAPI
activity id among them); both are looked up by key columns. A completion becomes one row per
(employee, item, day), so an item completed again later is kept too, with where it came from.
New tables keep xAPI statements, skill history, kept plans and feedback; each row about an
employee goes when the employee is erased.
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _completions_table(name: str) -> None:
    """Create the completions table of this revision under ``name``."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=128), nullable=False),
        sa.Column("item_id", sa.String(length=128), nullable=False),
        sa.Column("completed_at", sa.Date(), nullable=True),
        sa.Column("expires_at", sa.Date(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("statement_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "employee_id", "item_id", "completed_at", name="uq_completions_employee_item_day"
        ),
    )


def _url_keys() -> None:
    """Key every stored item by the SHA-256 of its url."""
    bind = op.get_bind()
    items = sa.table("items", sa.column("id", sa.String), sa.column("url", sa.String))
    keyed = sa.table("items", sa.column("id", sa.String), sa.column("url_key", sa.String))
    rows = bind.execute(sa.select(items.c.id, items.c.url).where(items.c.url.is_not(None))).all()
    updates = [
        {"item": ident, "key": hashlib.sha256(url.encode()).hexdigest()} for ident, url in rows
    ]
    for start in range(0, len(updates), BATCH):
        bind.execute(
            keyed.update()
            .where(keyed.c.id == sa.bindparam("item"))
            .values(url_key=sa.bindparam("key")),
            updates[start : start + BATCH],
        )


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
        batch_op.create_unique_constraint("uq_employees_email_key", ["email_key"])
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("external_ids", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("url_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("xapi_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_items_url_key"), ["url_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_items_xapi_key"), ["xapi_key"], unique=False)
    _url_keys()

    # The key of a completion widens to (employee, item, day): a new table, rows copied over.
    _completions_table("completions_v4")
    op.execute(
        "INSERT INTO completions_v4 (employee_id, item_id, completed_at, expires_at, recorded_at)"
        " SELECT employee_id, item_id, completed_at, expires_at, CURRENT_TIMESTAMP"
        " FROM completions"
    )
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_completions_item_id"))
    op.drop_table("completions")
    op.rename_table("completions_v4", "completions")
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_completions_item_id"), ["item_id"], unique=False)

    op.create_table(
        "skill_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=128), nullable=False),
        sa.Column("skill_id", sa.String(length=128), nullable=False),
        sa.Column("from_level", sa.Integer(), nullable=False),
        sa.Column("to_level", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=148), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("skill_events", schema=None) as batch_op:
        batch_op.create_index("ix_skill_events_employee_at", ["employee_id", "at"], unique=False)

    op.create_table(
        "xapi_statements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("actor_key", sa.String(length=64), nullable=True),
        sa.Column("object_key", sa.String(length=64), nullable=True),
        sa.Column("verb", sa.String(length=2000), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("employee_id", sa.String(length=128), nullable=True),
        sa.Column("item_id", sa.String(length=128), nullable=True),
        sa.Column("completes", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("unmatched", sa.String(length=30), nullable=True),
        sa.Column("statement", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("xapi_statements", schema=None) as batch_op:
        for column in ("actor_key", "object_key", "employee_id", "item_id", "unmatched"):
            batch_op.create_index(batch_op.f(f"ix_xapi_statements_{column}"), [column])

    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=128), nullable=False),
        sa.Column("role_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaces", sa.String(length=36), nullable=True),
        sa.Column("superseded_by", sa.String(length=36), nullable=True),
        sa.Column("requested", sa.JSON(), nullable=False),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_employee_id"), ["employee_id"])
        batch_op.create_index(
            "uq_plans_one_active",
            ["employee_id", "role_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "feedback",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("employee_id", sa.String(length=128), nullable=False),
        sa.Column("item_id", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "item_id", name="uq_feedback_employee_item"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_item_id"), ["item_id"])


def downgrade() -> None:
    """Revert this revision; of an item completed on several days, the latest day stays."""
    op.drop_table("feedback")
    op.drop_table("plans")
    op.drop_table("xapi_statements")
    op.drop_table("skill_events")

    op.create_table(
        "completions_v3",
        sa.Column("employee_id", sa.String(length=128), nullable=False),
        sa.Column("item_id", sa.String(length=128), nullable=False),
        sa.Column("completed_at", sa.Date(), nullable=True),
        sa.Column("expires_at", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.PrimaryKeyConstraint("employee_id", "item_id"),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT employee_id, item_id, completed_at, expires_at FROM completions"
            " ORDER BY employee_id, item_id, completed_at IS NOT NULL, completed_at"
        )
    ).all()
    latest = {(row.employee_id, row.item_id): row._asdict() for row in rows}
    table = sa.table(
        "completions_v3",
        sa.column("employee_id"),
        sa.column("item_id"),
        sa.column("completed_at"),
        sa.column("expires_at"),
    )
    values = list(latest.values())
    for start in range(0, len(values), BATCH):
        bind.execute(table.insert(), values[start : start + BATCH])
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_completions_item_id"))
    op.drop_table("completions")
    op.rename_table("completions_v3", "completions")
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_completions_item_id"), ["item_id"], unique=False)

    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_items_xapi_key"))
        batch_op.drop_index(batch_op.f("ix_items_url_key"))
        batch_op.drop_column("xapi_key")
        batch_op.drop_column("url_key")
        batch_op.drop_column("external_ids")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_constraint("uq_employees_email_key", type_="unique")
        batch_op.drop_column("email_key")
        batch_op.drop_column("email")
