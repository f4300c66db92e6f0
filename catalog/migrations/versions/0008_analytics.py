"""role changes, for internal moves over time

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02 07:00:00.000000

Every profile write that changes an employee's current role records the change, and whether
the new role was one of their target roles, so workforce KPIs can count internal moves per
period. Nothing is backfilled: moves made before this revision were not observed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=128), nullable=False),
        sa.Column("from_role", sa.String(length=128), nullable=True),
        sa.Column("to_role", sa.String(length=128), nullable=True),
        sa.Column("targeted", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("role_changes", schema=None) as batch_op:
        batch_op.create_index("ix_role_changes_at", ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_role_changes_employee_id"), ["employee_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("role_changes")
