"""Sanctions list versions, their entities and deltas; parties, screenings, hits and decisions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sanctions_list_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("format", sa.String(30), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("published", sa.Date, nullable=True),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("imported_by", sa.String(254), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sanctions_list_versions_source", "sanctions_list_versions", ["source"])
    op.create_table(
        "listed_entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_version_id", sa.Integer, sa.ForeignKey("sanctions_list_versions.id"), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_listed_entities_list_version_id", "listed_entities", ["list_version_id"])
    op.create_table(
        "sanctions_deltas",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_version_id", sa.Integer, sa.ForeignKey("sanctions_list_versions.id"), nullable=False),
        sa.Column("change", sa.String(10), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
    )
    op.create_index("ix_sanctions_deltas_list_version_id", "sanctions_deltas", ["list_version_id"])
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("schema", sa.String(20), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("birth_date", sa.String(10), nullable=True),
        sa.Column("identifiers", sa.JSON, nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_parties_organisation_id", "parties", ["organisation_id"])
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("parties.id"), nullable=True),
        sa.Column("query", sa.JSON, nullable=False),
        sa.Column("list_versions", sa.JSON, nullable=False),
        sa.Column("algorithm", sa.String(60), nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("screened_by", sa.String(254), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_screenings_organisation_id", "screenings", ["organisation_id"])
    op.create_table(
        "hits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("party_id", sa.Integer, sa.ForeignKey("parties.id"), nullable=True),
        sa.Column("party_fingerprint", sa.String(64), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("entity_name", sa.String(500), nullable=False),
        sa.Column("entity_fingerprint", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("alert", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_hits_organisation_id", "hits", ["organisation_id"])
    op.create_table(
        "hit_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("hit_id", sa.Integer, sa.ForeignKey("hits.id"), nullable=False),
        sa.Column("party_fingerprint", sa.String(64), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("entity_fingerprint", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(254), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_hit_decisions_organisation_id", "hit_decisions", ["organisation_id"])
    op.create_table(
        "screening_settings",
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), primary_key=True),
        sa.Column("threshold", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("screening_settings")
    op.drop_table("hit_decisions")
    op.drop_table("hits")
    op.drop_table("screenings")
    op.drop_table("parties")
    op.drop_table("sanctions_deltas")
    op.drop_table("listed_entities")
    op.drop_table("sanctions_list_versions")
