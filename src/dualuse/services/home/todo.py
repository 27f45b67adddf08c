"""The to-do list of a home page, counted from the data each role may see.

Each item is a count, what it counts in plain words, and the page where the work is done. Only what the
principal may read is counted, through the same use cases its pages call (so the counts match the pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dualuse.domain import licensing as lic
from dualuse.domain.duediligence import ConsultationOutcome
from dualuse.domain.duediligence.records import NotificationStatus
from dualuse.domain.identity import OrganisationKind, Permission, Principal
from dualuse.domain.screening.review import HitStatus
from dualuse.services import controllist, duediligence, licensing, notices, screening
from dualuse.services.listchange.adoption import notices as list_change_notices
from dualuse.services.unit_of_work import UnitOfWork

# a licence is "nearly used up" when this share of a line's quantity or value has been shipped
NEARLY_USED_UP = Decimal("0.75")
# an authority deadline is "close" within this many days
DEADLINE_SOON_DAYS = 10


@dataclass(frozen=True)
class ToDo:
    """One line of a home's to-do list: ``count`` things, described by ``label``, dealt with at ``href``."""

    key: str
    count: int
    label: str
    href: str
    hint: str = ""


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _nearly_used_up(uow: UnitOfWork, principal: Principal) -> int:
    count = 0
    for stored in licensing.licences(uow, principal):
        if stored.licence.status is not lic.LicenceStatus.ACTIVE:
            continue
        _licence, left = licensing.remaining(uow, principal, stored.licence.number)
        for item in stored.licence.items:
            rest = left.get(item.line)
            if rest is None:
                continue
            used_q = (item.quantity - rest.quantity) / item.quantity if item.quantity else Decimal(0)
            used_v = (item.value_eur - rest.value_eur) / item.value_eur if item.value_eur else Decimal(0)
            if max(used_q, used_v) >= NEARLY_USED_UP:
                count += 1
                break
    return count


def exporter_todo(uow: UnitOfWork, principal: Principal) -> list[ToDo]:
    """Open screening hits, records to review after a list change, the authority's questions, licences
    nearly used up, drafts not yet submitted and notices in force."""
    hits = len(screening.hits(uow, principal, status=HitStatus.OPEN))
    review = len(controllist.classifications(uow, principal, review_only=True))
    cases = licensing.applications(uow, principal)
    questions = sum(1 for c in cases if c.case.status is lic.ApplicationStatus.AWAITING_EXPORTER)
    drafts = sum(1 for c in cases if c.case.status is lic.ApplicationStatus.DRAFT)
    used_up = _nearly_used_up(uow, principal)
    in_force = sum(1 for n in notices.received(uow, principal) if n.status.value == "in_force")
    list_changes = sum(1 for n in list_change_notices(uow, principal) if n.read_at is None)
    return [
        ToDo(
            "hits",
            hits,
            _plural(hits, "screening hit to review", "screening hits to review"),
            "/screening/hits",
            "A party you trade with may be on a sanctions list: decide whether it is a true match.",
        ),
        ToDo(
            "review",
            review,
            _plural(
                review,
                "classification to review after a list change",
                "classifications to review after a list change",
            ),
            "/classifications",
            "The control list changed under these records: confirm or reclassify.",
        ),
        ToDo(
            "questions",
            questions,
            _plural(questions, "question from the authority", "questions from the authority"),
            "/applications",
            "The authority is waiting for your answer before it goes on.",
        ),
        ToDo(
            "used_up",
            used_up,
            _plural(used_up, "licence nearly used up", "licences nearly used up"),
            "/applications",
            "Three quarters or more of a line has been shipped: apply in time for more.",
        ),
        ToDo(
            "drafts",
            drafts,
            _plural(drafts, "draft application", "draft applications"),
            "/applications",
            "Not yet sent to the authority.",
        ),
        ToDo(
            "notices",
            in_force,
            _plural(in_force, "notice from the authority in force", "notices from the authority in force"),
            "/notices",
            "An authorisation is required for what these notices cover.",
        ),
        ToDo(
            "list_changes",
            list_changes,
            _plural(
                list_changes,
                "change of the list in force that touches you",
                "changes of the list in force that touch you",
            ),
            "/list-changes/notifications",
            "Check the records each names against the list now in force.",
        ),
    ]


def officer_todo(uow: UnitOfWork, principal: Principal, today: date) -> list[ToDo]:
    """New cases, cases being assessed, cases waiting for the exporter, notifications to decide (and how
    many close to their deadline), consultations on other states' requirements and new deadline reminders."""

    def total(status: lic.ApplicationStatus) -> int:
        return licensing.queue(uow, principal, status=status.value, limit=1).total

    new = total(lic.ApplicationStatus.SUBMITTED)
    assessing = total(lic.ApplicationStatus.UNDER_ASSESSMENT)
    waiting = total(lic.ApplicationStatus.AWAITING_EXPORTER)
    open_notifications = [
        n
        for n in duediligence.notifications_for_authority(uow, principal)
        if n.status is NotificationStatus.SUBMITTED
    ]
    soon = sum(1 for n in open_notifications if (n.deadline - today).days <= DEADLINE_SOON_DAYS)
    state = principal.member_state
    consultations = 0
    for requirement, views in duediligence.requirements_for_authority(uow, principal):
        if requirement.imposing_state != state and not any(v.member_state == state for v in views):
            consultations += 1
    return [
        ToDo(
            "new_cases",
            new,
            _plural(new, "new case to start", "new cases to start"),
            "/authority/cases?status=submitted",
            "Submitted applications nobody has started yet.",
        ),
        ToDo(
            "assessing",
            assessing,
            _plural(assessing, "case under assessment", "cases under assessment"),
            "/authority/cases?status=under_assessment",
            "",
        ),
        ToDo(
            "awaiting_exporter",
            waiting,
            _plural(waiting, "case waiting for the exporter", "cases waiting for the exporter"),
            "/authority/cases?status=awaiting_exporter",
            "",
        ),
        ToDo(
            "notifications",
            len(open_notifications),
            _plural(len(open_notifications), "notification to decide", "notifications to decide"),
            "/authority/notifications",
            f"{soon} of them due within {DEADLINE_SOON_DAYS} days." if open_notifications else "",
        ),
        ToDo(
            "consultations",
            consultations,
            _plural(consultations, "consultation awaiting your view", "consultations awaiting your view"),
            "/authority/notifications",
            "Another member state's Art. 5 requirement: record your view.",
        ),
        _reminders(uow, principal),
    ]


def _reminders(uow: UnitOfWork, principal: Principal) -> ToDo:
    """The new deadline reminders of the principal's organisation (``services.jobs.reminders``)."""
    organisation_id = principal.organisation_id
    new = len(uow.reminders.for_organisation(organisation_id, unread_only=True)) if organisation_id else 0
    return ToDo(
        "reminders",
        new,
        _plural(new, "new deadline reminder", "new deadline reminders"),
        "/reminders",
        "A deadline close or passed: a notification, a consultation, a customs hold or a case.",
    )


def senior_todo(uow: UnitOfWork, principal: Principal) -> list[ToDo]:
    """Cases recommended by an officer, waiting for a countersignature."""
    waiting = licensing.queue(uow, principal, status=lic.ApplicationStatus.RECOMMENDED.value, limit=1).total
    return [
        ToDo(
            "countersign",
            waiting,
            _plural(waiting, "case awaiting your countersignature", "cases awaiting your countersignature"),
            "/authority/cases?status=recommended",
            "An officer recommended; a second person decides.",
        ),
    ]


def commission_todo(uow: UnitOfWork, principal: Principal) -> list[ToDo]:
    """What the member states notified to the Commission: Art. 5(4) requirements, published or not."""
    requirements = duediligence.requirements_for_authority(uow, principal)
    unpublished = sum(1 for r, _views in requirements if r.status is not ConsultationOutcome.PUBLISHED)
    return [
        ToDo(
            "requirements",
            len(requirements),
            _plural(len(requirements), "Art. 5(4) requirement notified", "Art. 5(4) requirements notified"),
            "/requirements",
            "Requirements member states imposed on non-listed cyber-surveillance items.",
        ),
        ToDo(
            "to_publish",
            unpublished,
            _plural(unpublished, "requirement not yet published", "requirements not yet published"),
            "/requirements",
            "Published in the C series of the Official Journal once states agree (Art. 5(5)).",
        ),
    ]


def todo_for(uow: UnitOfWork, principal: Principal, today: date) -> list[ToDo]:
    """The to-do list of ``principal``'s home; empty for the public."""
    if not principal.is_authenticated:
        return []
    kind = principal.organisation_kind
    if kind is OrganisationKind.EXPORTER:
        return exporter_todo(uow, principal)
    if kind is OrganisationKind.AUTHORITY:
        items = officer_todo(uow, principal, today)
        if Permission.COUNTERSIGN in principal.permissions:
            items = senior_todo(uow, principal) + items
        return items
    if kind is OrganisationKind.COMMISSION:
        return commission_todo(uow, principal)
    return []
