"""A random stamp beside the catalog version

Revision ID: 0009_mem
Revises: 0008
Create Date: 2026-12-02 10:30:00.000000

Workers save the models they fit from one catalog version to a file other workers map; a
version number alone would name two different catalogs once a database is recreated or
restored, so every move of the version also draws a new random stamp.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_mem"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("catalog_state") as batch:
        batch.add_column(sa.Column("stamp", sa.String(length=32), nullable=True))
    # Versions reached before this revision get a stamp of their own too.
    op.execute(
        sa.text("UPDATE catalog_state SET stamp = :stamp").bindparams(stamp=secrets.token_hex(16))
    )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("catalog_state") as batch:
        batch.drop_column("stamp")
