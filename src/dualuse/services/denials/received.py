"""Denials another state's deployment sent (issue #18 item 4 meets items 1-2): a signed denial accepted by
the exchange inbox enters this deployment's register, so that the check of denials in force for an
essentially identical transaction (Art. 16(5)) finds it exactly as it finds one recorded here; a signed
withdrawal takes it out of force. Documents from a state this deployment serves itself are already in the
register (the decision put them there) and are not entered twice.
Source: ../shared/reference/regulation-articles.md, Art 16(1) (notify the other states and the
Commission, verified) and 16(5) (consult before granting, verified)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from dualuse.domain import denials as dn
from dualuse.domain.exchange import DocumentKind, Envelope
from dualuse.services import audit
from dualuse.services.clock import today_in_brussels
from dualuse.services.denials.ports import DenialQuery, NoticeKind
from dualuse.services.denials.register import recipients
from dualuse.services.unit_of_work import UnitOfWork

ACTOR = "exchange"
#: the exchange's words for what the sender did, in the register's (Art. 16(1))
KINDS: Mapping[str, dn.DenialKind] = {
    "refusal": dn.DenialKind.DENIAL,
    "not_to_be_authorised": dn.DenialKind.DENIAL,
    "annulment": dn.DenialKind.ANNULMENT,
    "suspension": dn.DenialKind.SUSPENSION,
    "limitation": dn.DenialKind.SUBSTANTIAL_LIMITATION,
    "revocation": dn.DenialKind.REVOCATION,
}


def reference(from_state: str, sender_reference: str) -> str:
    """The case reference a received denial is kept under: the sender's own, prefixed with its state."""
    return f"{from_state}/{sender_reference}"


def _find(uow: UnitOfWork, from_state: str, sender_reference: str) -> dn.Denial | None:
    wanted = reference(from_state, sender_reference)
    return next(
        (d for d in uow.denials.denials(DenialQuery(issuing_state=from_state)) if d.case_reference == wanted),
        None,
    )


def apply(uow: UnitOfWork, envelope: Envelope, *, local: bool) -> dn.Denial | None:
    """Enter an accepted denial (or withdraw one) in the register, in the inbox's transaction."""
    if local:
        return None
    if envelope.kind is DocumentKind.DENIAL:
        return _register(uow, envelope.from_state, envelope.payload)
    if envelope.kind is DocumentKind.DENIAL_WITHDRAWAL:
        return _withdraw(uow, envelope.from_state, envelope.payload)
    return None


def _register(uow: UnitOfWork, from_state: str, payload: Mapping[str, Any]) -> dn.Denial | None:
    sender_reference = str(payload["reference"])
    if _find(uow, from_state, sender_reference) is not None:
        return None  # the same denial sent again under a new document id: once in the register
    end_user = payload["end_user"]
    parties = [dn.DenialParty(str(end_user["name"]), "end_user", str(end_user["country"]))]
    consignee = payload.get("consignee")
    if consignee:
        parties.append(dn.DenialParty(str(consignee["name"]), "consignee", str(consignee["country"])))
    item = payload["item"]
    decided_on = payload["decided_on"]

    def build(denial_id: int) -> dn.Denial:
        return dn.new_denial(
            denial_id,
            kind=KINDS[str(payload["decision"])],
            issuing_state=from_state,
            # a denial without a control code (a catch-all refusal of a non-listed item) is kept under
            # "unlisted", which overlaps no Annex I code
            items=[dn.DenialItem(str(item.get("control_code") or "unlisted"), str(item["description"]))],
            destination=str(payload["destination"]),
            parties=parties,
            considerations=(),
            reasons=str(payload["reason"]),
            decided_on=decided_on if isinstance(decided_on, date) else date.fromisoformat(str(decided_on)),
            case_reference=reference(from_state, sender_reference),
            actor_id=ACTOR,
        )[0]

    denial = uow.denials.add_denial(build, case_id=None)
    uow.denials.add_notices(
        kind=NoticeKind.DENIAL,
        denial_id=denial.id,
        sender_state=from_state,
        recipients=recipients(from_state),
        subject=f"{denial.kind.value.replace('_', ' ')}: {', '.join(denial.control_codes)} to "
        f"{denial.destination} ({', '.join(p.name for p in denial.parties)})",
        reasons=denial.reasons,
    )
    audit.record(
        uow,
        actor=ACTOR,
        action="denial.DenialReceived",
        entity_type="denial",
        entity_id=denial.id,
        after={"status": denial.status.value, "kind": denial.kind.value, "from_state": from_state},
    )
    return denial


def _withdraw(uow: UnitOfWork, from_state: str, payload: Mapping[str, Any]) -> dn.Denial | None:
    denial = _find(uow, from_state, str(payload["reference"]))
    if denial is None or denial.status is dn.DenialStatus.WITHDRAWN:
        return None
    after = replace(
        denial,
        status=dn.DenialStatus.WITHDRAWN,
        reviewed_on=today_in_brussels(),
        reviewed_by=f"{from_state} ({ACTOR})",
        review_due_on=None,
        version=denial.version + 1,
    )
    uow.denials.save_denial(after, expected_version=denial.version)
    audit.record(
        uow,
        actor=ACTOR,
        action="denial.DenialWithdrawn",
        entity_type="denial",
        entity_id=denial.id,
        before={"status": denial.status.value},
        after={"status": after.status.value, "from_state": from_state},
        reason=str(payload.get("reason") or ""),
    )
    return after
