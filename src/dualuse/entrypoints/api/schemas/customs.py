"""Customs (issue 19, point 6; Art. 21): a licence or registration as a declaration needs it, the licence
data feed, the usage feed's report and Art. 21 holds (the feed formats are in ``services.customs.feed``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dualuse.domain.customs import Hold


class HoldIn(BaseModel):
    declaration: str = Field(min_length=1, max_length=40)
    ground: str = Field(max_length=10, description="Art. 21(3): a_i, a_ii or b")
    note: str = Field(min_length=1, max_length=2000)
    licence: str = Field(default="", max_length=20)
    authority_state: str | None = Field(default=None, min_length=2, max_length=2)


class DecisionIn(BaseModel):
    action: str = Field(max_length=10, description="extend, release or refuse")
    note: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class CustomsHolderOut(BaseModel):
    name: str | None
    eori: str | None


class CustomsLineOut(BaseModel):
    """A licence line with what is left of it; quantities and values are decimal strings."""

    line: int
    control_code: str
    cn_code: str | None
    unit: str
    quantity_authorised: str
    quantity_left: str
    value_authorised_eur: str
    value_left_eur: str


class CustomsLicenceOut(BaseModel):
    number: str
    type: str = Field(description="individual or global")
    customs_code: str = Field(description="the code to declare: X060 (individual), X070 (global)")
    issued_by: str
    holder: CustomsHolderOut
    status: str
    valid_from: str = Field(json_schema_extra={"format": "date"})
    valid_until: str = Field(json_schema_extra={"format": "date"})
    in_force: bool
    destinations: list[str]
    lines: list[CustomsLineOut]


class CustomsRegistrationOut(BaseModel):
    number: str
    general_authorisation: str
    customs_code: str
    registered_with: str
    registered_on: str
    holder: CustomsHolderOut


class LicenceFeedOut(BaseModel):
    """The feed ``dualuse-licence-feed``, version 1."""

    format: str
    version: int
    member_state: str
    generated_at: str = Field(json_schema_extra={"format": "date-time"})
    licences: list[CustomsLicenceOut]


class UsageReportOut(BaseModel):
    written_off: int
    skipped: int = Field(description="records already written off (the same feed sent again)")
    exhausted: list[str] = Field(description="licences used up by this feed")


class HoldOut(BaseModel):
    id: int
    customs_state: str
    authority_state: str
    licence: str | None
    declaration: str
    ground: str
    ground_label: str
    status: str
    held_on: str = Field(json_schema_extra={"format": "date"})
    deadline: str = Field(json_schema_extra={"format": "date"})
    extended: bool
    version: int

    @classmethod
    def of(cls, hold: Hold) -> HoldOut:
        return cls(
            id=hold.id,
            customs_state=hold.customs_state,
            authority_state=hold.authority_state,
            licence=hold.licence_number or None,
            declaration=hold.declaration,
            ground=hold.ground.value,
            ground_label=hold.ground.label,
            status=hold.status.value,
            held_on=hold.held_on.isoformat(),
            deadline=hold.deadline.isoformat(),
            extended=hold.extended,
            version=hold.version,
        )


class HoldsOut(BaseModel):
    holds: list[HoldOut]
