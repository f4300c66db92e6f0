"""wider skill lookup keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:05:00.000000

Casefolding a 200-character name or alias may give a longer key ("ß" -> "ss"), which
PostgreSQL refused to store in the 200-character columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.alter_column(
            "name_key",
            existing_type=sa.String(length=200),
            type_=sa.String(length=600),
            existing_nullable=False,
        )
    with op.batch_alter_table("skill_aliases", schema=None) as batch_op:
        batch_op.alter_column(
            "alias_key",
            existing_type=sa.String(length=200),
            type_=sa.String(length=600),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("skill_aliases", schema=None) as batch_op:
        batch_op.alter_column(
            "alias_key",
            existing_type=sa.String(length=600),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.alter_column(
            "name_key",
            existing_type=sa.String(length=600),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
