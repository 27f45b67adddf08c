"""Who am I, organisations and their members."""

from __future__ import annotations

from fastapi import APIRouter

from dualuse.entrypoints.api.schemas.identity import MeOut, OrganisationOut, TokenOut, UserOut
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import RowId, UowDep, UserDep
from dualuse.services import identity

router = APIRouter(prefix="/api/v1", tags=["identity"], responses=API_ERRORS)


@router.get("/me", summary="The signed-in user or token holder")
def me(principal: UserDep) -> MeOut:
    return MeOut.of(principal)


@router.get("/organisations/{organisation_id}", summary="An organisation's profile")
def organisation(organisation_id: RowId, principal: UserDep, uow: UowDep) -> OrganisationOut:
    return OrganisationOut.of(identity.get_organisation(uow, principal, organisation_id))


@router.get("/organisations/{organisation_id}/users", summary="Members of an organisation (its admins only)")
def organisation_users(organisation_id: RowId, principal: UserDep, uow: UowDep) -> list[UserOut]:
    users = identity.list_members(uow, principal, organisation_id)
    return [UserOut(id=u.id, email=u.email, full_name=u.full_name, role=u.role.value) for u in users]


@router.get("/me/tokens", summary="Your own API tokens (never their secrets)")
def my_tokens(principal: UserDep, uow: UowDep) -> list[TokenOut]:
    return [TokenOut.of(t) for t in identity.tokens_of(uow, principal)]
