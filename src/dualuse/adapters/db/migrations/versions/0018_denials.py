"""Denials between member states (Art. 16): notifications, their recipients, consultations (Arts. 14, 16(5)).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "denials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issuing_state", sa.String(2), nullable=False, index=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), nullable=True, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "denial_notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("denial_id", sa.Integer, sa.ForeignKey("denials.id"), nullable=False, index=True),
        sa.Column("sender_state", sa.String(2), nullable=False),
        sa.Column("recipient", sa.String(2), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), nullable=True),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_denial_notifications_recipient", "denial_notifications", ["recipient", "id"])
    op.create_table(
        "denial_consultations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("consulting_state", sa.String(2), nullable=False, index=True),
        sa.Column("consulted_state", sa.String(2), nullable=False, index=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), nullable=True, index=True),
        sa.Column("denial_id", sa.Integer, sa.ForeignKey("denials.id"), nullable=True, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("denial_consultations")
    op.drop_index("ix_denial_notifications_recipient", table_name="denial_notifications")
    op.drop_table("denial_notifications")
    op.drop_table("denials")
