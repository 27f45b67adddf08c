"""Pydantic DTOs of the API (they live here only)."""

from __future__ import annotations

from pydantic import BaseModel

from dualuse.domain.identity import Organisation, Principal


class OrganisationOut(BaseModel):
    id: int
    kind: str
    name: str
    member_state: str | None
    eori: str | None

    @classmethod
    def of(cls, org: Organisation) -> OrganisationOut:
        return cls(
            id=org.id, kind=org.kind.value, name=org.name, member_state=org.member_state, eori=org.eori
        )


class MeOut(BaseModel):
    email: str | None
    role: str | None
    organisation_id: int | None
    organisation_kind: str | None
    member_state: str | None
    permissions: list[str]

    @classmethod
    def of(cls, p: Principal) -> MeOut:
        return cls(
            email=p.email,
            role=p.role.value if p.role else None,
            organisation_id=p.organisation_id,
            organisation_kind=p.organisation_kind.value if p.organisation_kind else None,
            member_state=p.member_state,
            permissions=sorted(x.value for x in p.permissions),
        )


class UserOut(BaseModel):
    id: int
    email: str
    full_name: str
    role: str
