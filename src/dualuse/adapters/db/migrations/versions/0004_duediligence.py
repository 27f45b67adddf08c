"""Due diligence: cases and their step records, notifications to authorities, the Art. 5(4) exchange,
risk profiles, civil-society submissions and ICP self-assessments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dd_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("transaction", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("conclusion", sa.String(30), nullable=True),
        sa.Column("red_flag_version", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dd_cases_organisation_id", "dd_cases", ["organisation_id"])
    op.create_table(
        "dd_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("dd_cases.id"), nullable=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(254), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dd_entries_case_id", "dd_entries", ["case_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("dd_cases.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("transaction", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("decided_by", sa.String(254), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notifications_organisation_id", "notifications", ["organisation_id"])
    op.create_index("ix_notifications_member_state", "notifications", ["member_state"])
    op.create_table(
        "art5_requirements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("notification_id", sa.Integer, sa.ForeignKey("notifications.id"), nullable=False),
        sa.Column("imposing_state", sa.String(2), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("end_user", sa.String(300), nullable=False),
        sa.Column("item", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("notified_on", sa.Date, nullable=False),
        sa.Column("published_on", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "art5_views",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("requirement_id", sa.Integer, sa.ForeignKey("art5_requirements.id"), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("view", sa.String(10), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("recorded_by", sa.String(254), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_art5_views_requirement_id", "art5_views", ["requirement_id"])
    op.create_table(
        "risk_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("entered_by", sa.String(254), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_name", sa.String(300), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("what_happened", sa.Text, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("moderation_note", sa.Text, nullable=True),
        sa.Column("moderated_by", sa.String(254), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "icp_assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("assessed_by", sa.String(254), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_icp_assessments_organisation_id", "icp_assessments", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("icp_assessments")
    op.drop_table("submissions")
    op.drop_table("risk_profiles")
    op.drop_table("art5_views")
    op.drop_table("art5_requirements")
    op.drop_table("notifications")
    op.drop_table("dd_entries")
    op.drop_table("dd_cases")
