"""Casework (issue 19): the officer's case file beside each licensing case (evidence, flags, team queue,
assignee, status clock), the parties index for precedents, digital end-user statements, customs holds (Art. 21), and requests after the decision (extension, amendment, appeal, enquiry).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "casework_files",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), primary_key=True),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("team", sa.String(60), nullable=False),
        sa.Column("assignee", sa.String(254), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("status_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_casework_files_queue", "casework_files", ["member_state", "team", "assignee"])
    op.create_table(
        "casework_parties",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), primary_key=True),
        sa.Column("name_key", sa.String(300), primary_key=True),
    )
    op.create_index("ix_casework_parties_name", "casework_parties", ["name_key", "case_id"])
    op.create_table(
        "end_user_statements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(30), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_end_user_statements_case_id", "end_user_statements", ["case_id"])
    op.create_table(
        "customs_holds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customs_state", sa.String(2), nullable=False),
        sa.Column("authority_state", sa.String(2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customs_holds_customs_state", "customs_holds", ["customs_state"])
    op.create_index("ix_customs_holds_authority_state", "customs_holds", ["authority_state"])
    op.create_table(
        "casework_tracks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_casework_tracks_member_state", "casework_tracks", ["member_state"])
    op.create_index("ix_casework_tracks_organisation_id", "casework_tracks", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_casework_tracks_organisation_id", table_name="casework_tracks")
    op.drop_index("ix_casework_tracks_member_state", table_name="casework_tracks")
    op.drop_table("casework_tracks")
    op.drop_index("ix_customs_holds_authority_state", table_name="customs_holds")
    op.drop_index("ix_customs_holds_customs_state", table_name="customs_holds")
    op.drop_table("customs_holds")
    op.drop_index("ix_end_user_statements_case_id", table_name="end_user_statements")
    op.drop_table("end_user_statements")
    op.drop_index("ix_casework_parties_name", table_name="casework_parties")
    op.drop_table("casework_parties")
    op.drop_index("ix_casework_files_queue", table_name="casework_files")
    op.drop_table("casework_files")
