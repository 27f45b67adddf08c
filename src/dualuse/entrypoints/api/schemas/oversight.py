"""The Commission's figures (F15, issue #18): licences and notices counted per member state, enforcement
figures; no exporter is named (Arts. 4, 5(4), 23(2)(a), 26(2))."""

from __future__ import annotations

from pydantic import BaseModel

from dualuse.entrypoints.api.schemas.enforcement import EnforcementLineOut


class LicenceFigureOut(BaseModel):
    member_state: str
    licence_type: str
    status: str
    count: int


class NoticeFigureOut(BaseModel):
    member_state: str
    article: str
    issued: int
    in_force: int


class CommissionFiguresOut(BaseModel):
    licences: list[LicenceFigureOut]
    notices: list[NoticeFigureOut]
    enforcement: list[EnforcementLineOut]
