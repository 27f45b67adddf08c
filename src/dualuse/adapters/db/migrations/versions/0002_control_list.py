"""Control list amendments imported at run time, and exporters' classification records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_list_amendments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.String(40), nullable=False, unique=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("legal_source", sa.Text, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("imported_by", sa.String(254), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "classifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("control_code", sa.String(40), nullable=True),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("list_version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("review_reason", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_classifications_organisation_id", "classifications", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_classifications_organisation_id", "classifications")
    op.drop_table("classifications")
    op.drop_table("control_list_amendments")
