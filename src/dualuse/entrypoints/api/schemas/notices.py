"""Authority notices (Arts. 4(1), 5(1), 6(1), 7, 8(1)): the competent authority informs a party that an
authorisation is required."""

from __future__ import annotations

from pydantic import BaseModel, Field


class NoticeIn(BaseModel):
    organisation_id: int = Field(ge=1, le=2**31 - 1)
    article: str = Field(max_length=10, description="4(1), 5(1), 6(1), 7 or 8(1)")
    scope: str = Field(max_length=20, description="transaction, end_user or destination")
    destination: str = Field(max_length=60)
    end_user: str = Field(default="", max_length=300)
    item: str = Field(default="", max_length=300)
    control_code: str | None = Field(default=None, max_length=40)
    reason: str = Field(max_length=4000)


class WithdrawalIn(BaseModel):
    reason: str = Field(max_length=4000)


class NoticeOut(BaseModel):
    id: int
    number: str
    member_state: str
    organisation_id: int
    organisation_name: str
    article: str
    legal_basis: str
    scope: str
    destination: str
    end_user: str
    item: str
    control_code: str | None
    about: str = Field(description="what the notice covers, in words")
    reason: str
    issued_on: str = Field(json_schema_extra={"format": "date"})
    issued_by: str
    status: str
    withdrawn_on: str | None = Field(json_schema_extra={"format": "date"})
    withdrawal_reason: str | None
