"""The authority's handling of an application: a case, its statuses and the legal moves between them.

The moves are data (``TRANSITIONS``): each names the status it leaves, the status it reaches, who may make
it and the event it records. ``transition`` interprets the table; a (status, action) pair that is not in
the table is refused. Every move increments the case's version (optimistic locking): a caller that
names the version it saw is refused with ``ConflictError`` when the case has moved on since.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.licensing.assessment import Decision, Recommendation
from dualuse.domain.licensing.model import Actor, Application, ApplicationStatus

__all__ = [
    "AMENDABLE",
    "TRANSITIONS",
    "Amendment",
    "Case",
    "CaseAction",
    "CaseEvent",
    "Transition",
    "amend_application",
    "decide",
    "new_case",
    "recommend",
    "transition",
]

S = ApplicationStatus


class CaseAction(StrEnum):
    """What someone does to a case (imperative, like the commands that carry it)."""

    SUBMIT = "submit"
    START_ASSESSMENT = "start_assessment"
    REQUEST_INFORMATION = "request_information"
    PROVIDE_INFORMATION = "provide_information"
    RECOMMEND = "recommend"
    RETURN_RECOMMENDATION = "return_recommendation"
    DECIDE = "decide"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Amendment:
    """A change the exporter makes after submission: the new content, beside (not over) the original."""

    sequence: int
    application: Application
    reason: str
    amended_by: str
    case_version: int


@dataclass(frozen=True)
class Case:
    """The authority's handling of one application.

    ``application`` is the content as submitted and never changes afterwards; ``current_application`` is
    that content with the latest amendment applied.
    """

    id: str
    application: Application
    status: ApplicationStatus = ApplicationStatus.DRAFT
    version: int = 1
    amendments: tuple[Amendment, ...] = ()
    recommendation: Recommendation | None = None
    decision: Decision | None = None

    @property
    def current_application(self) -> Application:
        return self.amendments[-1].application if self.amendments else self.application

    @property
    def exporter_id(self) -> str:
        return self.application.exporter_id


@dataclass(frozen=True)
class CaseEvent:
    """What happened to a case, by whom, and the status before and after (for the audit trail)."""

    name: str
    case_id: str
    action: str
    actor_role: Actor
    actor_id: str
    before: ApplicationStatus
    after: ApplicationStatus
    version: int
    note: str = ""


Guard = Callable[[Case, str], None]
"""A precondition beyond the status: refuses by raising, given the case and the actor's id."""


def _application_complete(case: Case, _actor_id: str) -> None:
    case.current_application.check_complete()


def _recommendation_by_actor(case: Case, actor_id: str) -> None:
    if case.recommendation is None:
        raise ConflictError("a case is recommended only with a recommendation (use recommend())")
    if case.recommendation.officer_id != actor_id:
        raise PermissionDeniedError("only the officer who made the recommendation may put it forward")


def _countersigned_decision(case: Case, actor_id: str) -> None:
    decision = case.decision
    if decision is None or case.recommendation is None:
        raise ConflictError("a case is decided only with a countersigned decision (use decide())")
    if decision.case_version != case.version:
        raise ConflictError(
            f"the decision was taken against version {decision.case_version} of the case, "
            f"which is now at version {case.version}; reload and decide again"
        )
    if decision.recommendation != case.recommendation:
        raise ConflictError("the decision countersigns a recommendation other than the case's")
    if decision.countersigned_by != actor_id:
        raise PermissionDeniedError("only the person who countersigned may record the decision")
    if actor_id == case.recommendation.officer_id:
        raise PermissionDeniedError(
            "four eyes: the person who recommended may not decide their own recommendation"
        )


@dataclass(frozen=True)
class Transition:
    """One legal move: from ``source`` by ``action`` to ``target``, by one of ``actors``, recorded as
    ``event``; ``guard`` checks what the status alone cannot."""

    source: ApplicationStatus
    action: CaseAction
    target: ApplicationStatus
    actors: frozenset[Actor]
    event: str
    guard: Guard | None = None


_EXPORTER = frozenset({Actor.EXPORTER})
_OFFICER = frozenset({Actor.OFFICER})
_SENIOR = frozenset({Actor.SENIOR})
A = CaseAction

_ROWS: tuple[Transition, ...] = (
    Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED, _EXPORTER, "ApplicationSubmitted", _application_complete),
    Transition(S.SUBMITTED, A.START_ASSESSMENT, S.UNDER_ASSESSMENT, _OFFICER, "AssessmentStarted"),
    Transition(
        S.UNDER_ASSESSMENT, A.REQUEST_INFORMATION, S.AWAITING_EXPORTER, _OFFICER, "InformationRequested"
    ),
    Transition(
        S.AWAITING_EXPORTER, A.PROVIDE_INFORMATION, S.UNDER_ASSESSMENT, _EXPORTER, "InformationProvided"
    ),
    Transition(
        S.UNDER_ASSESSMENT,
        A.RECOMMEND,
        S.RECOMMENDED,
        _OFFICER,
        "RecommendationMade",
        _recommendation_by_actor,
    ),
    Transition(S.RECOMMENDED, A.RETURN_RECOMMENDATION, S.UNDER_ASSESSMENT, _SENIOR, "RecommendationReturned"),
    Transition(S.RECOMMENDED, A.DECIDE, S.DECIDED, _SENIOR, "ApplicationDecided", _countersigned_decision),
    Transition(S.DRAFT, A.WITHDRAW, S.WITHDRAWN, _EXPORTER, "ApplicationWithdrawn"),
    Transition(S.SUBMITTED, A.WITHDRAW, S.WITHDRAWN, _EXPORTER, "ApplicationWithdrawn"),
    Transition(S.UNDER_ASSESSMENT, A.WITHDRAW, S.WITHDRAWN, _EXPORTER, "ApplicationWithdrawn"),
    Transition(S.AWAITING_EXPORTER, A.WITHDRAW, S.WITHDRAWN, _EXPORTER, "ApplicationWithdrawn"),
)

TRANSITIONS: Mapping[tuple[ApplicationStatus, CaseAction], Transition] = MappingProxyType(
    {(row.source, row.action): row for row in _ROWS}
)
"""Every legal (status, action) pair of a case; anything else is refused."""

AMENDABLE: frozenset[ApplicationStatus] = frozenset({S.SUBMITTED, S.UNDER_ASSESSMENT, S.AWAITING_EXPORTER})
"""Statuses in which the exporter may amend a submitted application."""


def new_case(case_id: str, application: Application) -> Case:
    """A case in draft, at version 1."""
    if not case_id.strip():
        raise ValidationError("a case needs an id", field="id")
    return Case(id=case_id, application=application)


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise ConflictError(
            f"case {case.id} is at version {case.version}, not {expected_version}; "
            "someone changed it since you loaded it"
        )


def transition(
    case: Case,
    action: CaseAction | str,
    actor_role: Actor,
    actor_id: str,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> tuple[Case, CaseEvent]:
    """Apply ``action`` to ``case`` as ``TRANSITIONS`` allows, returning the new case and its event.

    Refused with ``ConflictError`` for a (status, action) pair not in the table or a stale
    ``expected_version``; with ``PermissionDeniedError`` when the actor's role may not make the move, or
    an exporter acts on another exporter's case.
    """
    try:
        action = CaseAction(action)
    except ValueError:
        raise ValidationError(f"unknown case action {action!r}", field="action") from None
    actor_role = Actor(actor_role)
    _check_version(case, expected_version)
    row = TRANSITIONS.get((case.status, action))
    if row is None:
        raise ConflictError(f"a case that is {case.status} cannot be given '{action}'")
    if actor_role not in row.actors:
        allowed = " or ".join(sorted(row.actors))
        raise PermissionDeniedError(
            f"only the {allowed} may {action.replace('_', ' ')} a case, not the {actor_role}"
        )
    if actor_role is Actor.EXPORTER and actor_id != case.exporter_id:
        raise PermissionDeniedError("an exporter acts only on its own applications")
    if row.guard is not None:
        row.guard(case, actor_id)
    after = replace(case, status=row.target, version=case.version + 1)
    event = CaseEvent(
        name=row.event,
        case_id=case.id,
        action=action,
        actor_role=actor_role,
        actor_id=actor_id,
        before=case.status,
        after=row.target,
        version=after.version,
        note=note,
    )
    return after, event


def recommend(
    case: Case, recommendation: Recommendation, *, expected_version: int | None = None
) -> tuple[Case, CaseEvent]:
    """The officer puts a recommendation forward for countersignature (Art. 15 assessment)."""
    staged = replace(case, recommendation=recommendation, decision=None)
    return transition(
        staged,
        CaseAction.RECOMMEND,
        Actor.OFFICER,
        recommendation.officer_id,
        expected_version=expected_version,
        note=recommendation.kind,
    )


def decide(case: Case, decision: Decision) -> tuple[Case, CaseEvent]:
    """Record a countersigned decision (see ``assessment.countersign``); final (Art. 16).

    Refused with ``ConflictError`` when the case has moved on since the version the decision was taken
    against, and with ``PermissionDeniedError`` when four eyes were not respected.
    """
    staged = replace(case, decision=decision)
    return transition(
        staged,
        CaseAction.DECIDE,
        Actor.SENIOR,
        decision.countersigned_by,
        expected_version=decision.case_version,
        note=decision.outcome,
    )


def amend_application(
    case: Case,
    application: Application,
    *,
    actor_id: str,
    reason: str,
    expected_version: int | None = None,
) -> tuple[Case, CaseEvent]:
    """Change the application: in draft by editing it; after submission by an amendment kept beside the
    submitted content, which stays frozen.

    Refused once the case is recommended, decided or withdrawn (``ConflictError``), for another
    exporter (``PermissionDeniedError``), and for a different application, exporter or type
    (``ValidationError``: that is a new application).
    """
    _check_version(case, expected_version)
    if actor_id != case.exporter_id:
        raise PermissionDeniedError("an exporter amends only its own applications")
    original = case.application
    if (application.id, application.exporter_id, application.application_type) != (
        original.id,
        original.exporter_id,
        original.application_type,
    ):
        raise ValidationError(
            "an amendment keeps the application, exporter and type; file a new application instead",
            field="application_type",
        )
    if case.status is ApplicationStatus.DRAFT:
        after = replace(case, application=application, version=case.version + 1)
        name = "DraftEdited"
    elif case.status in AMENDABLE:
        if not reason.strip():
            raise ValidationError("an amendment says why", field="reason")
        application.check_complete()
        amendment = Amendment(
            sequence=len(case.amendments) + 1,
            application=application,
            reason=reason,
            amended_by=actor_id,
            case_version=case.version,
        )
        after = replace(case, amendments=(*case.amendments, amendment), version=case.version + 1)
        name = "ApplicationAmended"
    else:
        raise ConflictError(f"a case that is {case.status} can no longer be amended")
    event = CaseEvent(
        name=name,
        case_id=case.id,
        action="amend",
        actor_role=Actor.EXPORTER,
        actor_id=actor_id,
        before=case.status,
        after=case.status,
        version=after.version,
        note=reason,
    )
    return after, event
