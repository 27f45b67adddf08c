"""Licensing at the competent authority: cases (with optimistic locking), their messages, licences and
the shipments made under them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "licensing_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_licensing_cases_organisation_id", "licensing_cases", ["organisation_id"])
    op.create_index("ix_licensing_cases_member_state", "licensing_cases", ["member_state"])
    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), nullable=False),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("author_role", sa.String(30), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_messages_case_id", "case_messages", ["case_id"])
    op.create_table(
        "licences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), nullable=False),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("check_code", sa.String(52), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_licences_case_id", "licences", ["case_id"])
    op.create_index("ix_licences_member_state", "licences", ["member_state"])
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("licence_id", sa.Integer, sa.ForeignKey("licences.id"), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("customs_reference", sa.String(100), nullable=False),
        sa.Column("shipped_on", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_shipments_licence_id", "shipments", ["licence_id"])


def downgrade() -> None:
    op.drop_table("shipments")
    op.drop_table("licences")
    op.drop_table("case_messages")
    op.drop_table("licensing_cases")
