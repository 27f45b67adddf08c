"""Who is asking, organisations, their members and API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from dualuse.domain.identity import ApiToken, Organisation, Principal


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


class TokenOut(BaseModel):
    """An API token without its secret: ``prefix`` tells which one it is."""

    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            scope=token.scope.value,
            created_at=token.created_at,
            expires_at=token.expires,
            revoked_at=token.revoked_at,
        )
