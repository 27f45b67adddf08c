"""What the Commission reads, and the trace it leaves (F15).

The Regulation gives the Commission aggregated information and the information the member states exchange
under the coordination mechanism, not exporters' files:
- Art. 23(2)(a): licensing data per authorisation issued (value, types of authorisation, destinations);
- Art. 16(6) with Art. 23(6): denials and other decisions notified to the other member states and the
  Commission;
- Art. 5(4): requirements imposed on non-listed cyber-surveillance items;
- Art. 26(2): the figures of the annual report (Recommendation (EU) 2024/214).
An exporter's internal compliance programme and the full application file (parties, end use, the
authority's assessment) are neither, so the Commission does not read them here. Each read it does make is
recorded in the audit trail (the events join the hash chain at commit, ``services.audit``).
Source: ../shared/reference/regulation-articles.md (Arts 16, 23, 26; 23(2)(a) and 26(2) verified, 16(6) and
23(6) wording marked M there, so read narrowly).
"""

from __future__ import annotations

from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.services import audit
from dualuse.services.unit_of_work import UnitOfWork


def is_commission(principal: Principal) -> bool:
    """A signed-in Commission user (the command line's system principal is an operator, not the Commission)."""
    return (
        principal.organisation_kind is OrganisationKind.COMMISSION
        and principal.is_authenticated
        and principal.organisation_id is not None
    )


def record_read(
    uow: UnitOfWork,
    principal: Principal,
    *,
    entity_type: str,
    entity_id: str | int,
    legal_basis: str,
    owner: int | None = None,
) -> None:
    """Record a Commission read, and commit it: a read leaves its trace even though it changes nothing."""
    if not is_commission(principal):
        return
    audit.record(
        uow,
        actor=principal.label,
        action="commission.read",
        entity_type=entity_type,
        entity_id=entity_id,
        after={"legal_basis": legal_basis, "owner_organisation_id": owner},
    )
    uow.commit()
