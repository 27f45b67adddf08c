"""Exchange between national deployments: this deployment's public signing keys, its trusted peers and their
keys, the outbox (retries with back-off) and the inbox of accepted documents.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_own_keys",
        sa.Column("key_id", sa.String(80), primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "exchange_peers",
        sa.Column("state", sa.String(2), primary_key=True),
        sa.Column("base_url", sa.String(500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "exchange_peer_keys",
        sa.Column("state", sa.String(2), sa.ForeignKey("exchange_peers.state"), primary_key=True),
        sa.Column("key_id", sa.String(80), primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_exchange_peer_keys_key_id", "exchange_peer_keys", ["key_id"])
    op.create_table(
        "exchange_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("recipients", sa.String(100), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_exchange_outbox_document_id", "exchange_outbox", ["document_id"])
    op.create_index("ix_exchange_outbox_next_attempt_at", "exchange_outbox", ["next_attempt_at"])
    op.create_table(
        "exchange_inbox",
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("from_state", sa.String(2), nullable=False),
        sa.Column("to_states", sa.String(100), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(80), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local", sa.Boolean, nullable=False),
    )
    op.create_index("ix_exchange_inbox_kind", "exchange_inbox", ["kind"])


def downgrade() -> None:
    op.drop_table("exchange_inbox")
    op.drop_table("exchange_outbox")
    op.drop_table("exchange_peer_keys")
    op.drop_table("exchange_peers")
    op.drop_table("exchange_own_keys")
