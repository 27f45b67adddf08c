"""Letters generated from a decided case (issue 19, point 4): the refusal citing the Art. 15(1)
considerations relied on and the route of appeal in the state's wording, and what the licence document in
the layout of Annex III Section A needs beyond the licence (issuing authority, contact point, consignee).

The exporter reads its own letters and its authority reads them; the Commission is notified of denials
through the Art. 23(6) system, not sent the letter (F15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dualuse.domain import licensing as lic
from dualuse.domain.casework import CaseworkRules, LetterText
from dualuse.domain.casework.tracks import Ruling, TrackKind
from dualuse.domain.errors import ConflictError, PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.services import licensing as licensing_service
from dualuse.services.casework import tracks as tracks_service
from dualuse.services.clock import brussels_day
from dualuse.services.unit_of_work import StoredCase, StoredLicence, UnitOfWork


@dataclass(frozen=True)
class Consideration:
    id: str
    label: str
    source: str
    verified: bool


@dataclass(frozen=True)
class RefusalLetter:
    case_id: int
    organisation_id: int
    member_state: str
    authority: str
    exporter: str
    exporter_eori: str | None
    decided_on: date
    application: lic.Application
    considerations: tuple[Consideration, ...]
    reasoning: str
    appeal: LetterText


def _no_commission(principal: Principal) -> None:
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        raise PermissionDeniedError(
            "the Commission is notified of denials (Art. 16(6)); the letter goes to the applicant"
        )


def _authority_name(uow: UnitOfWork, member_state: str) -> str:
    authority = uow.organisations.authority_for(member_state)
    return authority.name if authority else f"the competent authority of {member_state}"


def refusal_letter(
    uow: UnitOfWork, principal: Principal, case_id: int, rules: CaseworkRules
) -> RefusalLetter:
    """The refusal of a denied case: what was refused, the Art. 15(1) considerations relied on, the
    officer's reasoning as countersigned, and the appeal route of the state."""
    _no_commission(principal)
    stored = licensing_service.get_application(uow, principal, case_id)
    decision = stored.case.decision
    if decision is None or decision.outcome is not lic.DecisionOutcome.DENIED:
        raise ConflictError("only a refused application has a refusal letter")
    exporter = uow.organisations.get(stored.organisation_id)
    relied = decision.criteria_relied_on or decision.recommendation.criteria_relied_on
    considerations = []
    for criterion_id in relied:
        found = lic.criterion(criterion_id)
        considerations.append(Consideration(found.id, found.label, found.source, found.verified))
    return RefusalLetter(
        case_id=stored.id,
        organisation_id=stored.organisation_id,
        member_state=stored.member_state,
        authority=_authority_name(uow, stored.member_state),
        exporter=exporter.name if exporter else str(stored.organisation_id),
        exporter_eori=exporter.eori if exporter else None,
        decided_on=brussels_day(stored.updated_at),
        application=stored.case.current_application,
        considerations=tuple(considerations),
        reasoning=decision.recommendation.reasoning,
        appeal=rules.letter_text(stored.member_state),
    )


@dataclass(frozen=True)
class LicenceSheet:
    """Everything the Annex III form shows: the licence, its case, holder, issuing authority, contact."""

    stored: StoredLicence
    case: StoredCase
    holder: str
    holder_eori: str | None
    authority: str
    contact: str
    wording: LetterText | None = None  # the state's wording of the licence's title


def licence_sheet(uow: UnitOfWork, principal: Principal, number: str, rules: CaseworkRules) -> LicenceSheet:
    stored, case = licensing_service.licence_document(uow, principal, number)
    holder = uow.organisations.get(case.organisation_id)
    return LicenceSheet(
        stored=stored,
        case=case,
        holder=holder.name if holder else stored.licence.holder_id,
        holder_eori=holder.eori if holder else None,
        authority=_authority_name(uow, stored.member_state),
        contact=rules.letter_text(stored.member_state).contact,
        wording=rules.letter_text(stored.member_state),
    )


@dataclass(frozen=True)
class RulingLetter:
    """The answer to a pre-application enquiry; "no licence required" when that is the ruling."""

    track_id: int
    organisation_id: int
    member_state: str
    authority: str
    exporter: str
    exporter_eori: str | None
    question: str
    control_code: str
    description: str
    destination: str
    ruling: Ruling
    wording: LetterText | None = None  # the state's wording ("no licence required" and its legal basis)


def ruling_letter(
    uow: UnitOfWork, principal: Principal, track_id: int, rules: CaseworkRules | None = None
) -> RulingLetter:
    track = tracks_service.get(uow, principal, track_id)
    if track.kind is not TrackKind.ENQUIRY or track.ruling is None:
        raise ConflictError("only an answered enquiry has a ruling letter")
    exporter = uow.organisations.get(track.organisation_id)
    return RulingLetter(
        track_id=track.id,
        organisation_id=track.organisation_id,
        member_state=track.member_state,
        authority=_authority_name(uow, track.member_state),
        exporter=exporter.name if exporter else str(track.organisation_id),
        exporter_eori=exporter.eori if exporter else None,
        question=track.reason,
        control_code=track.request.get("control_code", ""),
        description=track.request.get("description", ""),
        destination=track.request.get("destination", ""),
        ruling=track.ruling,
        wording=rules.letter_text(track.member_state) if rules is not None else None,
    )
