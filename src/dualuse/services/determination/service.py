"""Licence determination as one use case: every path (API, web form, ``dualuse determine``, the batch CSV,
the due-diligence page) asks it the same way and gets the same answer.

The answer depends on: the control list version in force on the transaction's date, the rulebook (Annex I
rules, general authorisations, embargoes, sanctions, national measures), the requirements the Union published
under Art. 5 (Art. 5(6) [M]) and the notices the competent authority gave the exporter (Arts. 4(1), 5(1),
6(1), 7, 8(1)). ``inputs_for`` gathers them once; ``determine_case`` / ``determine_facts`` answer.

Before anything is determined, every control code must be listed in the version in force on the date: a
code the list does not hold is an error with the codes it may have meant, never an answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from dualuse.domain.customs import CnCorrelation
from dualuse.domain.duediligence import ConsultationOutcome
from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.notices import Binding, bind_item, bound_facts, union_requirement
from dualuse.domain.notices.model import notice_binding
from dualuse.domain.rules.engine import Determination, ListSource, ListView, PreparedTransaction
from dualuse.domain.rules.facts import TransactionFacts, country_name
from dualuse.domain.rules.outcome import most_restrictive
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.determination.reader import facts_from_dict
from dualuse.services.unit_of_work import UnitOfWork


@runtime_checkable
class ListedCodes(Protocol):
    """A list version that can tell whether a code is listed exactly, its title, and what is near it (the
    control list adapter's view is one; a view without these falls back on ``flags_for``)."""

    def title_of(self, code: str) -> str | None: ...

    def near(self, code: str, limit: int = 5) -> tuple[str, ...]: ...

    def listed_under(self, code: str) -> tuple[str, str] | None: ...


@dataclass(frozen=True)
class DeterminationInputs:
    """Everything besides the transaction that can change an answer."""

    rulebook: Rulebook
    list_source: ListSource
    bindings: tuple[Binding, ...] = ()
    """Union-wide Art. 5 requirements, and the notices binding the party that asks."""
    cn_correlation: CnCorrelation | None = None
    """CN codes and the Annex I entries they correlate with: an item's CN code gives candidate entries."""


@dataclass(frozen=True)
class Answer:
    """A determination with the facts as understood (country names, item titles) and what bound it."""

    determination: Determination
    facts: TransactionFacts
    titles: Mapping[str, str] = field(default_factory=dict)
    """Item id → the title of its control list entry (or "not listed in Annex I")."""
    bound_by: tuple[Binding, ...] = ()

    @property
    def understood(self) -> dict[str, Any]:
        """The facts the answer rests on, in words: what a person checks before trusting the verdict."""
        facts = self.facts
        end_user = facts.end_user
        return {
            "activity": facts.activity.value,
            "date": facts.date.isoformat(),
            "member_state": {
                "code": facts.exporter.member_state,
                "name": country_name(facts.exporter.member_state),
            },
            "destination": {"code": facts.destination, "name": country_name(facts.destination)},
            "end_user": None
            if end_user is None
            else {
                "name": end_user.name,
                "country": end_user.country,
                "country_name": country_name(end_user.country),
                "type": end_user.type.value,
            },
            "items": [
                {
                    "id": item.id,
                    "control_code": item.control_code,
                    "title": self.titles.get(item.id, ""),
                    "description": item.description,
                }
                for item in facts.items
            ],
            "informed": sorted(k.value for k in facts.informed),
            "aware": sorted(k.value for k in facts.aware),
        }

    def to_dict(self) -> dict[str, object]:
        """The determination's JSON shape, with ``understood`` and ``bound_by`` added."""
        return {
            **self.determination.to_dict(),
            "understood": self.understood,
            "bound_by": [
                {"id": b.id, "legal_basis": b.legal_basis, "citation": b.citation} for b in self.bound_by
            ],
        }


def inputs_for(
    uow: UnitOfWork,
    rulebook: Rulebook,
    list_source: ListSource,
    *,
    organisation_id: int | None = None,
    cn_correlation: CnCorrelation | None = None,
) -> DeterminationInputs:
    """The inputs of a determination for the party ``organisation_id`` (None: nobody signed in): the Union's
    published Art. 5 requirements, and the authority notices in force for that party."""
    bindings = [
        union_requirement(
            r.id,
            destination=r.destination,
            end_user=r.end_user,
            item=r.item,
            imposing_state=r.imposing_state,
        )
        for r in uow.duediligence.requirements(status=ConsultationOutcome.PUBLISHED)
    ]
    if organisation_id is not None:
        bindings.extend(notice_bindings(uow, organisation_id))
    return DeterminationInputs(rulebook, list_source, tuple(bindings), cn_correlation)


def notice_bindings(uow: UnitOfWork, organisation_id: int) -> list[Binding]:
    """The authority notices in force for ``organisation_id`` as bindings (a withdrawn notice binds no more)."""
    return [notice_binding(n) for n in uow.notices.received(organisation_id, in_force_only=True)]


def determine_case(
    inputs: DeterminationInputs, data: Mapping[str, Any], *, today: date | None = None
) -> Answer:
    """Determine a JSON case (``reader.facts_from_dict``)."""
    return determine_facts(inputs, facts_from_dict(data, today=today))


def determine_facts(inputs: DeterminationInputs, facts: TransactionFacts) -> Answer:
    """Determine a transaction: the engine on the facts (with the facts each binding brings), then each
    binding's floor on the items it covers. ``ValidationError`` naming the field for a date before the first
    list version or a code not in the version in force."""
    view = list_view(inputs.list_source, facts.date)
    titles = check_codes(facts, view)
    covering = [tuple(b for b in inputs.bindings if b.covers(facts, item)) for item in facts.items]
    determination = PreparedTransaction(facts, inputs.rulebook, inputs.list_source).determine()
    if any(covering):
        items = list(determination.items)
        prepared: dict[tuple[Binding, ...], PreparedTransaction] = {}
        for index, bindings in enumerate(covering):
            if not bindings:
                continue
            if bindings not in prepared:
                prepared[bindings] = PreparedTransaction(
                    bound_facts(facts, bindings), inputs.rulebook, inputs.list_source
                )
            engine = prepared[bindings]
            answer = engine.determine_item(engine.facts.items[index], index)
            items[index] = bind_item(answer, bindings, facts.activity)
        determination = dataclasses.replace(
            determination,
            items=tuple(items),
            outcome=most_restrictive(item.outcome for item in items),
        )
    determination = with_history_caveats(determination, view)
    if inputs.cn_correlation is not None:
        determination = with_cn_candidates(determination, facts, inputs.cn_correlation)
    bound = tuple(dict.fromkeys(b for bindings in covering for b in bindings))
    return Answer(determination, facts, titles, bound)


def with_cn_candidates(
    determination: Determination, facts: TransactionFacts, correlation: CnCorrelation
) -> Determination:
    """Each item declared under a CN code gets, as advice, the Annex I entries that code correlates with
    (a lookup aid: the exporter decides whether the item meets one of them, Art. 3(1))."""
    items = []
    for item, given in zip(determination.items, facts.items, strict=True):
        advice = correlation.advice(given.cn_code) if given.cn_code else None
        items.append(dataclasses.replace(item, advice=(*item.advice, advice)) if advice else item)
    return dataclasses.replace(determination, items=tuple(items))


@runtime_checkable
class HistoryCaveats(Protocol):
    """A list version that can say why its reading of a code may be wrong (an earlier version whose
    history to the latest is not fully verified)."""

    def history_caveats(self, code: str) -> tuple[str, ...]: ...


def with_history_caveats(determination: Determination, view: ListView) -> Determination:
    """Each item's advice with what the history of its code leaves uncertain (acts not verified or not
    itemised between the version in force on the date and the latest one)."""
    if not isinstance(view, HistoryCaveats):
        return determination
    items = []
    for item in determination.items:
        caveats = view.history_caveats(item.control_code) if item.control_code else ()
        items.append(dataclasses.replace(item, advice=item.advice + caveats) if caveats else item)
    return dataclasses.replace(determination, items=tuple(items))


REGULATION_APPLIES_FROM = date(2021, 9, 9)
"""Reg. (EU) 2021/821 is in force from this day (OJ L 206, 11.6.2021); Reg. (EC) No 428/2009 before."""


def list_view(list_source: ListSource, day: date) -> ListView:
    """The list version in force on ``day``; ``ValidationError`` on ``date`` before the first one."""
    try:
        return list_source.as_of(day)
    except NotFoundError as error:
        if day < REGULATION_APPLIES_FROM:
            why = (
                "; before 9 Sep 2021, when Regulation (EU) 2021/821 entered into force, Regulation (EC) No 428/2009 "
                "applied, "
                "which this platform does not determine"
            )
        else:  # pragma: no cover - the shipped history starts on the day the regulation applies
            why = "; ask the competent authority which version of Annex I applied"
        raise ValidationError(error.detail + why, field="date") from error


def code_problem(view: ListView, code: str) -> str | None:
    """Why ``code`` cannot be determined against ``view`` (it is not listed in that version, with what it
    may have meant), or None if it is listed."""
    if isinstance(view, ListedCodes):
        if view.title_of(code) is not None or view.listed_under(code) is not None:
            return None
        near = view.near(code)
    elif view.flags_for(code) is not None:
        return None
    else:
        near = ()
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return (
        f"{code} is not in list version {view.version_id}, the control list in force on the transaction's "
        f"date{hint}"
    )


def check_codes(facts: TransactionFacts, view: ListView) -> dict[str, str]:
    """Each item's title (its entry's, or "not listed in Annex I"); ``ValidationError`` on
    ``items[i].control_code`` for a code not in the list version in force."""
    titles: dict[str, str] = {}
    for index, item in enumerate(facts.items):
        if item.control_code is None:
            titles[item.id] = "not listed in Annex I"
            continue
        problem = code_problem(view, item.control_code)
        if problem is not None:
            raise ValidationError(problem, field=f"items[{index}].control_code")
        title = None
        if isinstance(view, ListedCodes):
            title = view.title_of(item.control_code)
            under = view.listed_under(item.control_code) if title is None else None
            if under is not None:
                entry, source = under
                title = (
                    f"{view.title_of(entry)} ({item.control_code} is a code of the official {source}; "
                    f"listed here under {entry}, whose flags apply)"
                )
        titles[item.id] = title or item.control_code
    return titles


def determination_text(answer: Answer) -> str:
    """An answer as plain text, for a terminal: the facts as understood, then the verdict per item with its
    full legal basis (citations of what bound it included)."""
    determination = answer.determination
    understood = answer.understood
    lines = [
        f"Destination: {understood['destination']['name']} ({understood['destination']['code']})",
        f"Exporter in: {understood['member_state']['name']} ({understood['member_state']['code']})",
    ]
    if understood["end_user"] is not None:
        end_user = understood["end_user"]
        lines.append(f"End-user: {end_user['name'] or '-'} ({end_user['country_name']}, {end_user['type']})")
    for item in understood["items"]:
        lines.append(f"Item {item['id']}: {item['control_code'] or 'not listed'} - {item['title']}")
    lines += [
        "",
        f"Outcome: {determination.outcome.value}",
        f"Activity: {determination.activity.value} on {determination.date.isoformat()} "
        f"(list {determination.list_version}, rules {determination.rules_version})",
    ]
    for item in determination.items:
        lines += [
            "",
            f"Item {item.id} ({item.control_code or 'not listed'}): {item.outcome.value}",
            f"  Legal basis: {'; '.join(item.legal_basis) or '-'}",
            f"  General authorisations: {', '.join(item.general_authorisations) or '-'}",
            f"  Customs codes: {', '.join(item.customs_codes) or '-'}",
            f"  {item.explanation}",
        ]
    for binding in answer.bound_by:
        lines.append(f"Bound by: {binding.citation} ({binding.legal_basis})")
    return "\n".join(lines)


def determine_dict(
    data: Mapping[str, Any], rulebook: Rulebook, list_source: ListSource, *, today: date | None = None
) -> dict[str, object]:
    """Determine a JSON case with no published requirement or notice, in the answer's JSON shape."""
    return determine_case(DeterminationInputs(rulebook, list_source), data, today=today).to_dict()
