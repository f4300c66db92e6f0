"""OAuth clients, access tokens, tombstones and change-feed indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 12:00:00.000000

OAuth 2.0 clients (client credentials grant) and the access tokens issued to them, both
stored as SHA-256 hashes; tombstones of deleted skills, roles and employees for the change
feed; an index on (updated_at, id) of every listed table so ``updated_since`` reads in order;
and API keys gain ``updated_at`` (their creation or revocation time until now).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTED_TABLES = ("skills", "items", "roles", "employees")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "oauth_clients",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id"),
    )
    op.create_index("ix_oauth_clients_updated_at", "oauth_clients", ["updated_at", "client_id"])
    op.create_table(
        "oauth_access_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_pk"], ["oauth_clients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(
        "ix_oauth_access_tokens_client_expiry",
        "oauth_access_tokens",
        ["client_pk", "expires_at"],
    )
    op.create_table(
        "tombstones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tombstones_deleted_at", "tombstones", ["deleted_at", "id"])
    for table in LISTED_TABLES:
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at", "id"])

    with op.batch_alter_table("api_keys") as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    # A key changed last when it was revoked, or else when it was made.
    op.execute("UPDATE api_keys SET updated_at = COALESCE(revoked_at, created_at)")
    with op.batch_alter_table("api_keys") as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_index("ix_api_keys_updated_at", ["updated_at", "id"])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("api_keys") as batch_op:
        batch_op.drop_index("ix_api_keys_updated_at")
        batch_op.drop_column("updated_at")
    for table in LISTED_TABLES:
        op.drop_index(f"ix_{table}_updated_at", table_name=table)
    op.drop_index("ix_tombstones_deleted_at", table_name="tombstones")
    op.drop_table("tombstones")
    op.drop_index("ix_oauth_access_tokens_client_expiry", table_name="oauth_access_tokens")
    op.drop_table("oauth_access_tokens")
    op.drop_index("ix_oauth_clients_updated_at", table_name="oauth_clients")
    op.drop_table("oauth_clients")
