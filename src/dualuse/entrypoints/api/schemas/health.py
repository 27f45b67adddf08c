"""Liveness and readiness."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DatabaseHealth(BaseModel):
    status: str = Field(description="ok, or unreachable")
    schema_revision: str | None = Field(default=None, description="the Alembic revision the database is at")
    error: str | None = Field(default=None, description="the kind of failure when unreachable")


class HealthOut(BaseModel):
    """``status`` ok (200) or error (503); versions of the reference data and sanctions lists loaded."""

    status: str
    version: str
    reference_data: dict[str, str] | None = Field(default=None, description="data set → version")
    sanctions_lists: dict[str, str] | None = Field(default=None, description="list → version")
    database: DatabaseHealth
