"""This deployment's denials, sent to the other states' deployments (issue #18 item 4 meets item 1).

A decision records the denial in the register and notifies the states this deployment serves at once
(``register``); the states with a deployment of their own get it as a signed document. ``publish_new``
puts every denial of a served state that has not gone out yet — and the withdrawal of one that has — into
the exchange outbox, addressed to every registered peer; ``dualuse exchange send-pending`` runs it before
delivering, so one cron line (or the worker) sends decisions on. A denial naming several items goes as one
document per item (the exchange's denial carries one item), referenced ``DE-DEN-7`` and ``DE-DEN-7.2``, ….
Source: ../shared/reference/regulation-articles.md, Art 16(1) (notify the other states and the
Commission, verified)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualuse.domain import denials as dn
from dualuse.domain.exchange import DocumentKind
from dualuse.services.clock import brussels_day
from dualuse.services.denials.ports import DenialQuery
from dualuse.services.exchange import outbox
from dualuse.services.exchange.ports import ExchangeSetup
from dualuse.services.unit_of_work import UnitOfWork

#: the register's kinds in the exchange's words (``received.KINDS`` reads them back)
DECISIONS: Mapping[dn.DenialKind, str] = {
    dn.DenialKind.DENIAL: "refusal",
    dn.DenialKind.ANNULMENT: "annulment",
    dn.DenialKind.SUSPENSION: "suspension",
    dn.DenialKind.SUBSTANTIAL_LIMITATION: "limitation",
    dn.DenialKind.REVOCATION: "revocation",
}


@dataclass(frozen=True)
class Published:
    denials: int
    withdrawals: int


def item_reference(denial: dn.Denial, position: int) -> str:
    return denial.reference if position == 0 else f"{denial.reference}.{position + 1}"


def payloads(denial: dn.Denial) -> list[dict[str, Any]]:
    """The exchange's denial documents for ``denial``: one per item (never the exporter's documents)."""
    end_user = next((p for p in denial.parties if p.role == "end_user"), None) or (
        denial.parties[0] if denial.parties else None
    )
    consignee = next((p for p in denial.parties if p.role == "consignee"), None)
    made = []
    for position, item in enumerate(denial.items):
        body: dict[str, Any] = {
            "reference": item_reference(denial, position),
            "decision": DECISIONS[denial.kind],
            "decided_on": denial.decided_on.isoformat(),
            "destination": denial.destination,
            "end_user": {
                "name": end_user.name if end_user else "not named",
                "country": (end_user.country if end_user else "") or denial.destination,
            },
            "item": {
                "description": item.description or item.control_code,
                "control_code": item.control_code,
            },
            "reason": denial.reasons or "; ".join(denial.considerations) or "see the considerations notified",
        }
        if consignee is not None:
            body["consignee"] = {"name": consignee.name, "country": consignee.country or denial.destination}
        made.append(body)
    return made


def publish_new(uow: UnitOfWork, setup: ExchangeSetup, now: datetime) -> Published:
    """Put the served states' denials not sent yet (and withdrawals of sent ones) in the outbox, addressed
    to every peer; the caller commits. Nothing to do without peers."""
    peers = sorted(p.state for p in uow.exchange.peers() if p.state not in setup.served_states)
    if not peers or not setup.served_states:
        return Published(0, 0)
    sent = uow.exchange.sent_references(DocumentKind.DENIAL.value)
    withdrawn = uow.exchange.sent_references(DocumentKind.DENIAL_WITHDRAWAL.value)
    denials = withdrawals = 0
    for state in sorted(setup.served_states):
        for denial in reversed(uow.denials.denials(DenialQuery(issuing_state=state))):  # oldest first
            if "/case/" not in denial.case_reference:
                continue  # not decided on a case here (received from another deployment): not ours to send
            bodies = payloads(denial)
            if denial.status is dn.DenialStatus.WITHDRAWN:
                for body in bodies:
                    if body["reference"] in sent and body["reference"] not in withdrawn:
                        outbox.publish(
                            uow,
                            DocumentKind.DENIAL_WITHDRAWAL,
                            {
                                "reference": body["reference"],
                                "withdrawn_on": (denial.reviewed_on or brussels_day(now)).isoformat(),
                                "reason": "withdrawn at review",
                            },
                            state,
                            peers,
                            setup=setup,
                            now=now,
                        )
                        withdrawals += 1
                continue
            for body in bodies:
                if body["reference"] not in sent:
                    outbox.publish(uow, DocumentKind.DENIAL, body, state, peers, setup=setup, now=now)
                    denials += 1
    return Published(denials, withdrawals)
