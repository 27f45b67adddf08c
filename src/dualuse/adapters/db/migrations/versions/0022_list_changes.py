"""The life of a list change: drafts, public comments, the impact stored with the adoption, and the
notifications sent when a change enters into force (issue 15).

Revision ID: 0022
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("proposer", sa.String(2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("version_id", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("impact", sa.JSON, nullable=True),
        sa.Column("notified", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_list_changes_proposer", "list_changes", ["proposer"])
    op.create_index("ix_list_changes_status", "list_changes", ["status"])
    op.create_table(
        "list_change_comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_change_id", sa.Integer, sa.ForeignKey("list_changes.id"), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("organisation_name", sa.String(200), nullable=False),
        sa.Column("organisation_type", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rejection_reason", sa.Text, nullable=True),
        sa.Column("moderated_by", sa.String(254), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_list_change_comments_list_change_id", "list_change_comments", ["list_change_id"])
    op.create_table(
        "list_change_notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_change_id", sa.Integer, sa.ForeignKey("list_changes.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_list_change_notices_list_change_id", "list_change_notices", ["list_change_id"])
    op.create_index("ix_list_change_notices_organisation_id", "list_change_notices", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("list_change_notices")
    op.drop_table("list_change_comments")
    op.drop_table("list_changes")
