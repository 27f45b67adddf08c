"""The evidence a licensing case brings (issue 19, point 1): on submission every party is screened against
the sanctions lists in force, every control code is checked against the control list in force, the
flagging rules run and the routing rules put the case into a team's queue. While the case is open, a new
list version re-screens its parties (``rescreen_open_cases``). The case page reads the file together with
the risk profiles, the exporter's due diligence and ICP, its classifications of the products and the
precedents (``case_evidence``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from dualuse.domain import casework as cw
from dualuse.domain import licensing as lic
from dualuse.domain.duediligence.records import DdCase, IcpRecord, StoredProfile
from dualuse.domain.duediligence.risk import RiskLevel
from dualuse.domain.errors import ConflictError, DualUseError, NotFoundError
from dualuse.domain.identity import Principal
from dualuse.domain.rules.engine import ListView
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.domain.screening.model import EntitySchema, ScreeningQuery
from dualuse.domain.screening.review import DEFAULT_THRESHOLD
from dualuse.services import audit
from dualuse.services import licensing as licensing_service
from dualuse.services.casework.ports import PrecedentQuery, party_key
from dualuse.services.clock import brussels_day
from dualuse.services.screening import ScreeningIndex
from dualuse.services.unit_of_work import StoredCase, UnitOfWork

ENTITY = "case_file"
logger = logging.getLogger(__name__)
CLOSED = frozenset({lic.ApplicationStatus.DECIDED.value, lic.ApplicationStatus.WITHDRAWN.value})


def _screen_parties(
    engine: ScreeningEngine,
    versions: Mapping[str, str],
    application: lic.Application,
    *,
    trigger: str,
    at: datetime,
) -> tuple[cw.PartyScreening, ...]:
    cache: dict[tuple[str, str], tuple[cw.ScreeningMatch, ...]] = {}
    screened = []
    for party in application.parties:
        key = (party_key(party.name), party.country)
        if key not in cache:  # the end-user who is also the consignee is screened once
            individual = party.party_type is lic.PartyType.INDIVIDUAL
            schema = EntitySchema.PERSON if individual else EntitySchema.ORGANIZATION
            matches = engine.screen(
                ScreeningQuery(name=party.name, schema=schema, country=party.country.lower()),
                threshold=DEFAULT_THRESHOLD,
                limit=5,
            )
            cache[key] = tuple(
                cw.ScreeningMatch(
                    m.entity.source, m.entity.entity_id, m.entity.primary_name, round(m.score, 4)
                )
                for m in matches
            )
        screened.append(
            cw.PartyScreening(
                name=party.name,
                role=party.role.value,
                country=party.country,
                matches=cache[key],
                list_versions=dict(versions),
                screened_at=at,
                trigger=trigger,
            )
        )
    return tuple(screened)


def _check_codes(
    application: lic.Application, list_view: ListView | None, day: date
) -> tuple[cw.CodeCheck, ...]:
    checks = []
    for code in dict.fromkeys(i.control_code.strip() for i in application.items):
        if list_view is None:
            checks.append(cw.CodeCheck(code, None, False, None, "no control list in force to check against"))
            continue
        flags = list_view.flags_for(code)
        checks.append(
            cw.CodeCheck(
                code,
                flags is not None,
                bool(flags and flags.cyber_surveillance),
                day,
                f"list version {list_view.version_id}"
                if flags
                else f"not in list version {list_view.version_id}",
            )
        )
    return tuple(checks)


def latest_risk(uow: UnitOfWork) -> dict[tuple[str, str], StoredProfile]:
    """The newest risk profile of each country and end-user (subject kind, subject key)."""
    latest: dict[tuple[str, str], StoredProfile] = {}
    for profile in uow.duediligence.profiles():
        subject = profile.subject
        key = (profile.subject_kind, subject if profile.subject_kind == "country" else party_key(subject))
        if key not in latest or profile.id > latest[key].id:
            latest[key] = profile
    return latest


def _level(row: StoredProfile | None) -> RiskLevel:
    if row is None:
        return RiskLevel.UNKNOWN
    try:
        return RiskLevel(row.level)
    except ValueError:
        return RiskLevel.UNKNOWN


def _facts(case: lic.Case, file: cw.CaseFile, risk: Mapping[tuple[str, str], StoredProfile]) -> cw.CaseFacts:
    application = case.current_application
    hits = {(party_key(s.name), s.country): len(s.matches) for s in file.screenings}
    return cw.CaseFacts(
        case_id=str(file.case_id),
        exporter_id=case.exporter_id,
        items=tuple(cw.ItemFacts(c.control_code, c.cyber_surveillance, c.on_list) for c in file.code_checks),
        parties=tuple(
            cw.PartyFacts(
                name=p.name,
                role=p.role.value,
                country=p.country,
                party_type=p.party_type.value,
                hits=hits.get((party_key(p.name), p.country), 0),
                risk=_level(risk.get(("end_user", party_key(p.name)))),
            )
            for p in application.parties
        ),
        destination_risk={d: _level(risk.get(("country", d))) for d in application.destinations},
        active_flag_rules=frozenset(
            f.rule_id for f in file.flags if f.status is cw.FlagStatus.ACTIVE and f.rule_id
        ),
    )


def _apply_rules(
    uow: UnitOfWork, case: lic.Case, file: cw.CaseFile, rules: cw.CaseworkRules, actor: str
) -> tuple[cw.CaseFile, list[cw.FlagEvent]]:
    facts = _facts(case, file, latest_risk(uow))
    events = []
    for proposed in cw.evaluate_flags(rules.flag_rules, facts):
        try:
            file, event = cw.raise_flag(
                file,
                level=proposed.level,
                subject=proposed.subject,
                label=proposed.label,
                blocking=proposed.blocking,
                raised_by=actor,
                reason=f"flagging rule {proposed.rule_id} (rules {rules.version})",
                rule_id=proposed.rule_id,
            )
        except ConflictError:
            continue  # already raised and not cleared
        events.append(event)
    return file, events


def _record(
    uow: UnitOfWork,
    actor: str,
    case_id: int,
    name: str,
    after: Mapping[str, object],
    reason: str | None = None,
) -> None:
    audit.record(
        uow,
        actor=actor,
        action=f"{ENTITY}.{name}",
        entity_type=ENTITY,
        entity_id=case_id,
        after=dict(after),
        reason=reason,
    )


def open_case_file(
    uow: UnitOfWork,
    index: ScreeningIndex,
    list_view: ListView | None,
    rules: cw.CaseworkRules,
    case_id: int,
    *,
    actor: str = "system",
) -> cw.CaseFile:
    """Gather the evidence of a submitted case, flag and route it (idempotent: an existing file is kept).

    Runs as the system on submission, in its own transaction after the submission's."""
    existing = uow.casework.file(case_id)
    if existing is not None:
        return existing
    stored = uow.licensing.case(case_id)
    if stored is None or stored.submitted_at is None:
        raise NotFoundError(licensing_service.NO_CASE)
    at = uow.clock.now()
    engine, versions = index.engine(uow)
    application = stored.case.current_application
    file = cw.CaseFile(
        case_id=case_id,
        member_state=stored.member_state,
        team=rules.default_team,
        routed_by="",
        assignee="",
        status=stored.case.status.value,
        status_since=stored.submitted_at,
        screenings=_screen_parties(engine, versions, application, trigger="submission", at=at),
        code_checks=_check_codes(application, list_view, brussels_day(at)),
    )
    file, events = _apply_rules(uow, stored.case, file, rules, actor)
    from dualuse.services.denials import checks as denial_checks  # it imports the licensing package

    file, denial_events = denial_checks.flag_file(uow, stored, file, actor)  # Art. 16(5): denials in force
    events = [*events, *denial_events]
    team, rule_id = cw.route(
        rules.routing_rules, _facts(stored.case, file, latest_risk(uow)), rules.default_team
    )
    file = replace(file, team=team, routed_by=rule_id, version=1)
    uow.casework.add_file(file, [party_key(p.name) for p in application.parties])
    _record(
        uow,
        actor,
        case_id,
        "EvidenceGathered",
        {
            "parties": len(file.screenings),
            "hits": file.hits,
            "codes": len(file.code_checks),
            "lists": dict(versions),
        },
    )
    for event in events:
        _record(uow, actor, case_id, event.name, {"flag": event.flag_id, "label": event.note})
    _record(uow, actor, case_id, "CaseRouted", {"team": team, "rule": rule_id or "default"})
    uow.commit()
    return file


def rescreen_open_cases(
    uow: UnitOfWork, index: ScreeningIndex, rules: cw.CaseworkRules, *, actor: str = "system"
) -> tuple[int, int]:
    """Re-screen the parties of every open case against the lists now in force (after a list import);
    new matches raise flags by the rules. Returns (cases re-screened, new flags). With no case open, the
    index of the lists (seconds to build for a large list) is not built at all."""
    open_cases = uow.casework.open_case_ids(closed=CLOSED)
    if not open_cases:
        return 0, 0
    engine, versions = index.engine(uow)
    at = uow.clock.now()
    cases = flags = 0
    for case_id in open_cases:
        file = uow.casework.file(case_id)
        stored = uow.licensing.case(case_id)
        if file is None or stored is None:
            continue
        screenings = _screen_parties(
            engine, versions, stored.case.current_application, trigger="list_update", at=at
        )
        moved = replace(file, screenings=screenings)
        moved, events = _apply_rules(uow, stored.case, moved, rules, actor)
        moved = replace(moved, version=file.version + 1)
        uow.casework.save_file(moved, expected_version=file.version)
        _record(uow, actor, case_id, "PartiesRescreened", {"hits": moved.hits, "lists": dict(versions)})
        for event in events:
            _record(uow, actor, case_id, event.name, {"flag": event.flag_id, "label": event.note})
        cases += 1
        flags += len(events)
    uow.commit()
    return cases, flags


# --- what the case page shows -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Precedent:
    case_id: int
    outcome: str
    reasoning: str
    criteria: tuple[str, ...]
    control_codes: tuple[str, ...]
    destinations: tuple[str, ...]
    end_users: tuple[str, ...]
    shared: tuple[str, ...]  # what it has in common with this case


@dataclass(frozen=True)
class CaseEvidence:
    file: cw.CaseFile | None
    team_name: str
    deadline: datetime | None
    overdue: bool
    age_days: int | None
    destination_risk: Mapping[str, StoredProfile | None]
    end_user_risk: Mapping[str, StoredProfile | None]
    due_diligence: Sequence[DdCase]
    icp: IcpRecord | None
    classifications: Sequence[object]
    precedents: Sequence[Precedent]
    returned_because: str | None = None  # the senior's reason, when the case came back to the officer


def _precedents(uow: UnitOfWork, stored: StoredCase) -> list[Precedent]:
    application = stored.case.current_application
    codes = {i.control_code for i in application.items}
    names = {party_key(p.name) for p in application.parties if p.role is not lic.PartyRole.INTERMEDIARY}
    ids = uow.casework.precedents(
        PrecedentQuery(
            member_state=stored.member_state,
            control_codes=codes,
            destinations=set(application.destinations),
            party_names=names,
            exclude_case=stored.id,
        )
    )
    found = []
    for case_id in ids:
        other = uow.licensing.case(case_id)
        if other is None or other.case.decision is None:
            continue
        earlier = other.case.current_application
        their_codes = tuple(i.control_code for i in earlier.items)
        users = tuple(p.name for p in earlier.parties_in_role(lic.PartyRole.END_USER))
        shared = (
            [f"code {c}" for c in their_codes if c in codes]
            + [f"destination {d}" for d in earlier.destinations if d in application.destinations]
            + [f"end-user {u}" for u in users if party_key(u) in names]
        )
        recommendation = other.case.decision.recommendation
        found.append(
            Precedent(
                case_id=case_id,
                outcome=other.case.decision.outcome.value,
                reasoning=recommendation.reasoning,
                criteria=tuple(recommendation.criteria_relied_on),
                control_codes=their_codes,
                destinations=earlier.destinations,
                end_users=users,
                shared=tuple(dict.fromkeys(shared)),
            )
        )
    return found


def case_evidence(
    uow: UnitOfWork, principal: Principal, case_id: int, rules: cw.CaseworkRules
) -> CaseEvidence:
    """Everything the officer weighs beside the application; the case's authority only."""
    stored = licensing_service.assessed_case(uow, principal, case_id)
    file = uow.casework.file(case_id)
    application = stored.case.current_application
    risk = latest_risk(uow)
    due = None
    overdue = False
    if file is not None:
        limits = cw.TimeLimits(stored.member_state, rules.limits_for(stored.member_state), "data", False)
        due = cw.deadline(file, limits)
        overdue = due is not None and due < uow.clock.now()
    age = (uow.clock.now() - stored.submitted_at).days if stored.submitted_at else None
    codes = {i.control_code for i in application.items}
    return CaseEvidence(
        file=file,
        team_name=rules.teams.get(file.team, file.team) if file else "",
        deadline=due,
        overdue=overdue,
        age_days=age,
        destination_risk={d: risk.get(("country", d)) for d in application.destinations},
        end_user_risk={
            p.name: risk.get(("end_user", party_key(p.name)))
            for p in application.parties
            if p.role in (lic.PartyRole.END_USER, lic.PartyRole.ULTIMATE_END_USER)
        },
        due_diligence=list(uow.duediligence.cases(stored.organisation_id))[:5],
        icp=uow.duediligence.latest_icp(stored.organisation_id),
        classifications=[
            c for c in uow.classifications.for_organisation(stored.organisation_id) if c.control_code in codes
        ],
        precedents=_precedents(uow, stored),
        returned_because=_returned_because(uow, stored),
    )


def _returned_because(uow: UnitOfWork, stored: StoredCase) -> str | None:
    if stored.case.status is not lic.ApplicationStatus.UNDER_ASSESSMENT:
        return None
    events = uow.audit.for_entity(licensing_service.ENTITY_CASE, str(stored.id))
    moves = [
        e
        for e in events
        if e.action.startswith(f"{licensing_service.ENTITY_CASE}.") and "status" in (e.after or {})
    ]
    if moves and moves[-1].action.endswith(".RecommendationReturned"):
        return moves[-1].reason
    return None


def age_and_deadline(
    file: cw.CaseFile | None, submitted_at: datetime | None, rules: cw.CaseworkRules, now: datetime
) -> tuple[int | None, datetime | None]:
    """For the queue: days since submission and the deadline of the current status."""
    age = (now - submitted_at).days if submitted_at else None
    if file is None:
        return age, None
    limits = cw.TimeLimits(file.member_state, rules.limits_for(file.member_state), "data", False)
    return age, cw.deadline(file, limits)


__all__ = [
    "CLOSED",
    "CaseEvidence",
    "Precedent",
    "age_and_deadline",
    "case_evidence",
    "gather_after_submission",
    "latest_risk",
    "open_case_file",
    "rescreen_open_cases",
]


def gather_after_submission(
    new_uow: Callable[[], UnitOfWork],
    index: ScreeningIndex,
    list_view: ListView | None,
    rules: cw.CaseworkRules,
    case_id: int,
) -> cw.CaseFile | None:
    """Gather the evidence of a case just submitted, in a transaction of its own: a failure leaves the
    submission standing (logged), and the officer gathers the evidence again from the case page."""
    try:
        with new_uow() as uow:
            return open_case_file(uow, index, list_view, rules, case_id)
    except DualUseError:
        logger.exception("gathering the evidence of case %s failed", case_id)
        return None
