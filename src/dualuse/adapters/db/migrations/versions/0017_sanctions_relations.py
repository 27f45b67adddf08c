"""Ownership and control on the lists: who holds shares in, or directs, whom (FollowTheMoney Ownership and
Directorship), kept with the list version that publishes it.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sanctions_relations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "list_version_id",
            sa.Integer,
            sa.ForeignKey("sanctions_list_versions.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("relation_id", sa.String(200), nullable=False),
        sa.Column("holder_id", sa.String(200), nullable=False),
        sa.Column("holder_name", sa.String(500), nullable=False),
        sa.Column("held_id", sa.String(200), nullable=False),
        sa.Column("held_name", sa.String(500), nullable=False),
        sa.Column("share", sa.Float, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("sanctions_relations")
