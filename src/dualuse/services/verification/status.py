"""The verification report: per area of the shipped reference data, how many elements are verified and
against which sources, and which are not yet. Every figure is counted from the data loaded, never typed in.

Annex I counts top-level entries per category: an entry is verified when it and every sub-item listed
below it are (each sub-item's thresholds and notes checked against the consolidated text, see
``adapters/sources/annex_i_text``). Annex II counts each Union general export authorisation (every aspect verified);
the other rules areas are those of ``dualuse rules status`` (``domain/rules/status.py``), the same figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from dualuse.domain.controllist.cryptography import CryptographyNote
from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.provisions import AnnexText
from dualuse.domain.controllist.versions import ControlList, ListVersion
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.domain.rules.status import AreaStatus, rulebook_status
from dualuse.domain.verification import Area, Pending, VerificationReport
from dualuse.services.controllist import ControlListCatalogue, current_history
from dualuse.services.unit_of_work import UnitOfWork

CATEGORY_NAMES = {
    0: "Nuclear materials, facilities and equipment",
    1: "Special materials and related equipment",
    2: "Materials processing",
    3: "Electronics",
    4: "Computers",
    5: "Telecommunications and information security",
    6: "Sensors and lasers",
    7: "Navigation and avionics",
    8: "Marine",
    9: "Aerospace and propulsion",
}
TARGET_CATEGORIES = (3, 4, 5, 6)
TARGET_SHARE = 0.9
"""Issue 12: at least 90 % of the entries of Categories 3-6, and every cyber-surveillance entry, verified."""
OWN_DATA = "project data (titles and summaries in our words), not checked against the official text"
VERSION_UNVERIFIED = (
    "the date of entry into force or the Official Journal reference of its act was not seen in a cited source "
    "(see the act's sources in data/controllist/acts.yaml)"
)


def report(
    control_list: ControlList,
    text: AnnexText | None,
    rulebook: Rulebook,
    cryptography_note: CryptographyNote | None = None,
    versions: Sequence[ListVersion] = (),
) -> VerificationReport:
    """The verification report for a list version, the derived Annex I text and the rulebook."""
    areas: list[Area] = [_category(control_list, text, c) for c in sorted(CATEGORY_NAMES)]
    areas.append(_cyber_surveillance(control_list, text))
    areas.extend(_rules(rulebook))
    if cryptography_note is not None:
        areas.append(_cryptography(cryptography_note))
    if versions:
        areas.append(
            _simple(
                "list-versions",
                "Control list versions (effective dates, legal sources)",
                "Annex I",
                [(v.id, v.verified, v.legal_source) for v in versions],
                why=VERSION_UNVERIFIED,
            )
        )
    built = VerificationReport(tuple(areas))
    target = built.combined(
        [f"annex-i-{c}" for c in TARGET_CATEGORIES], "annex-i-3-6", "Annex I, Categories 3-6 (target 90 %)"
    )
    return VerificationReport((*areas[: len(CATEGORY_NAMES)], target, *areas[len(CATEGORY_NAMES) :]))


def meets_target(built: VerificationReport) -> bool:
    """True when Categories 3-6 reach the target share and every cyber-surveillance entry is verified."""
    return (
        built.area("annex-i-3-6").share >= TARGET_SHARE
        and built.area("cyber-surveillance").verified == built.area("cyber-surveillance").total
    )


def _subtree_problem(control_list: ControlList, entry: ControlEntry, text: AnnexText | None) -> str | None:
    """Why an entry (with its sub-items) is not verified, or None if it is."""
    for item in (entry, *control_list.descendants(entry.code)):
        if item.verified:
            continue
        provision = text.get(item.code) if text is not None else None
        if provision is None:
            return f"{item.code}: {OWN_DATA}"
        if provision.problems:
            return f"{item.code}: {provision.problems[0]}"
        return f"{item.code}: not checked"
    return None


def _sources(
    control_list: ControlList, entries: Iterable[ControlEntry], text: AnnexText | None
) -> tuple[str, ...]:
    found: list[str] = []
    for entry in entries:
        for item in (entry, *control_list.descendants(entry.code)):
            if text is not None and text.get(item.code) is not None and item.verified:
                found.append(f"{text.source}, {text.url}")
            else:
                found.append(OWN_DATA)
    return tuple(dict.fromkeys(found))


def _category(control_list: ControlList, text: AnnexText | None, category: int) -> Area:
    entries = [e for e in control_list.top_level_entries if e.code.category == category]
    pending: list[Pending] = []
    official = (
        [
            c
            for c, p in text.provisions.items()
            if c.is_top_level and c.category == category and not p.not_used
        ]
        if text is not None
        else []
    )
    missing = sorted(set(official) - {e.code for e in entries})
    pending.extend(Pending(str(code), "in the official text, not in the shipped list") for code in missing)
    items = thresholds = items_verified = 0
    for entry in entries:
        problem = _subtree_problem(control_list, entry, text)
        if problem is not None:
            pending.append(Pending(str(entry.code), problem))
        for item in (entry, *control_list.descendants(entry.code)):
            items += 1
            items_verified += item.verified
            provision = text.get(item.code) if text is not None else None
            thresholds += len(provision.thresholds) if provision is not None else 0
    return Area(
        key=f"annex-i-{category}",
        name=f"Annex I, Category {category}: {CATEGORY_NAMES[category]}",
        group="Annex I (entries with every sub-item)",
        total=len(entries) + len(missing),
        verified=len(entries) + len(missing) - len(pending),
        sources=_sources(control_list, entries, text),
        pending=tuple(pending),
        detail=f"{items} entries and sub-items, {items_verified} verified; {thresholds} thresholds as data",
    )


def _cyber_surveillance(control_list: ControlList, text: AnnexText | None) -> Area:
    flagged = [e for e in control_list if e.cyber_surveillance]
    pending = []
    for entry in flagged:
        problem = _subtree_problem(control_list, entry, text)
        if problem is not None:
            pending.append(Pending(str(entry.code), problem))
    return Area(
        key="cyber-surveillance",
        name="Cyber-surveillance entries (Art. 2(20))",
        group="Annex I (entries with every sub-item)",
        total=len(flagged),
        verified=len(flagged) - len(pending),
        sources=_sources(control_list, flagged, text),
        pending=tuple(pending),
        detail=", ".join(str(e.code) for e in flagged),
    )


def _simple(key: str, name: str, group: str, rows: Sequence[tuple[str, bool, str]], why: str = "") -> Area:
    return Area(
        key=key,
        name=name,
        group=group,
        total=len(rows),
        verified=sum(1 for _, ok, _ in rows if ok),
        sources=tuple(dict.fromkeys(source for _, _, source in rows if source)),
        pending=tuple(Pending(i, why or "not checked in a named source") for i, ok, _ in rows if not ok),
    )


def _rules(rulebook: Rulebook) -> list[Area]:
    union = [g for g in rulebook.general_authorisations if not g.is_national]
    national = [g for g in rulebook.general_authorisations if g.is_national]
    return [
        Area(
            key="annex-ii",
            name="Annex II: Union general export authorisations (EU001-EU008)",
            group="Rules",
            total=len(union),
            verified=sum(1 for g in union if g.verified),
            sources=tuple(dict.fromkeys(g.source for g in union)),
            pending=tuple(
                Pending(g.id, "unverified: " + ", ".join(g.unverified)) for g in union if not g.verified
            ),
        ),
        Area(
            key="ngea",
            name="National general export authorisations (Art. 12(6))",
            group="Rules",
            total=len(national),
            verified=sum(1 for g in national if g.verified),
            sources=tuple(dict.fromkeys(g.source for g in national)),
            pending=tuple(
                Pending(g.id, "unverified: " + ", ".join(g.unverified)) for g in national if not g.verified
            ),
        ),
        *(_from_rules_status(area) for area in rulebook_status(rulebook) if "Annex II" not in area.area),
    ]


def _from_rules_status(area: AreaStatus) -> Area:
    """An area of ``dualuse rules status`` (the same figures, one source of truth)."""
    key = "rules-" + re.sub(r"[^a-z0-9]+", "-", area.area.lower().split(" (")[0]).strip("-")
    return Area(
        key=key,
        name=f"Rules: {area.area}",
        group="Rules",
        total=area.rules,
        verified=area.verified,
        sources=area.sources,
        pending=tuple(
            Pending(rule_id, _why_unverified(source))
            for rule_id, source in zip(
                area.unverified, area.unverified_sources or ("",) * len(area.unverified), strict=True
            )
        ),
    )


def _why_unverified(source: str) -> str:
    """Why a rule is not verified: what its record says about its source, or that it names none."""
    if not source.strip():
        return "not checked in a named source"
    return f"not verified; its record says: {source}"


def _cryptography(note: CryptographyNote) -> Area:
    rows = [
        (f"{p.id}.{c.id}", c.verified, c.source if c.verified and c.source else note.legal_source)
        for p in note.paragraphs
        for c in p.conditions
    ]
    return _simple(
        "cryptography-note", "Cryptography Note (Cat. 5 Part 2, Note 3): conditions", "Annex I", rows
    )


def current(
    uow: UnitOfWork,
    catalogue: ControlListCatalogue,
    rulebook: Rulebook,
    cryptography_note: CryptographyNote | None = None,
) -> VerificationReport:
    """The report for the list version in force now (the latest) and the rules loaded."""
    history = current_history(uow, catalogue)
    return report(history.latest, catalogue.provisions(), rulebook, cryptography_note, history.versions)
