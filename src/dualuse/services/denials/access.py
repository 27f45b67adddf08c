"""Who reads and acts on denials: the competent authorities of every member state (each is notified of the
others' denials, Art. 16(1)) and the Commission (notified too; it reads, never acts). An authority reviews
only its own denials and answers only the consultations addressed to its state."""

from __future__ import annotations

from dualuse.domain.errors import PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize

NO_DENIAL = "no such denial"
NO_CONSULTATION = "no such consultation"


def reader(principal: Principal) -> str:
    """The recipient code the principal reads as: its member state, or ``EU`` for the Commission."""
    if not principal.is_authenticated:
        raise PermissionDeniedError("sign in to see denials")
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        authorize(principal, Permission.VIEW_UNION_AGGREGATES)
        return "EU"
    return authority_state(principal)


def authority_state(principal: Principal) -> str:
    """The member state of an authority's officer; refused for anyone else."""
    if not principal.is_authenticated:
        raise PermissionDeniedError("sign in to see denials")
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority acts on denials")
    return principal.member_state
