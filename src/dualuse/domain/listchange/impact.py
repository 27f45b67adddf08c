"""The impact of a list change before it is adopted: which classified products, open applications,
licences and general-authorisation registrations it touches, for which exporter and in which member state.

An object is touched when one of its control codes is a changed code, or lies above or below one (a change to
``5A001`` touches a licence for ``5A001.f.2``, and a new sub-item ``5A001.k`` touches a product classified
``5A001``). A general authorisation that covers the whole list (EU001) is touched by every changed code its
scope does not exclude; the impact errs on the side of telling too many rather than too few.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.versions import ListDiff
from dualuse.domain.rules.rulebook import ItemScope

__all__ = [
    "SUBJECT_LABELS",
    "SUBJECT_SINGULAR",
    "Affected",
    "ChangeKind",
    "ChangedCode",
    "ImpactReport",
    "Subject",
    "SubjectKind",
    "analyse",
    "changed_codes",
    "codes_in_scope",
    "related",
]


class ChangeKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True, order=True)
class ChangedCode:
    code: str
    kind: ChangeKind


class SubjectKind(StrEnum):
    CLASSIFICATION = "classification"
    APPLICATION = "application"
    LICENCE = "licence"
    GA_REGISTRATION = "ga_registration"


SUBJECT_LABELS: Mapping[SubjectKind, str] = {
    SubjectKind.CLASSIFICATION: "classified products",
    SubjectKind.APPLICATION: "open applications",
    SubjectKind.LICENCE: "licences",
    SubjectKind.GA_REGISTRATION: "general authorisation registrations",
}
SUBJECT_SINGULAR: Mapping[SubjectKind, str] = {
    SubjectKind.CLASSIFICATION: "classified product",
    SubjectKind.APPLICATION: "open application",
    SubjectKind.LICENCE: "licence",
    SubjectKind.GA_REGISTRATION: "general authorisation registration",
}


@dataclass(frozen=True, slots=True)
class Subject:
    """Something that rests on control codes: ``ref`` says which (a product's name, a case or licence
    number, an authorisation's id), ``exporter_id`` whose it is, ``member_state`` whose authority handles it."""

    kind: SubjectKind
    ref: str
    exporter_id: int
    member_state: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Affected:
    """A subject the change touches, and the changed codes that touch it."""

    subject: Subject
    by: tuple[ChangedCode, ...]


def _parse(code: str) -> ControlCode | None:
    try:
        return ControlCode.parse(code)
    except InvalidControlCodeError:
        return None


def related(a: str, b: str) -> bool:
    """The same code, or one above the other (``5A001`` and ``5A001.f.2``); text that is not a code
    matches only itself."""
    if a == b:
        return True
    pa, pb = _parse(a), _parse(b)
    if pa is None or pb is None:
        return False
    return pa == pb or pa.is_ancestor_of(pb) or pb.is_ancestor_of(pa)


def changed_codes(diff: ListDiff) -> tuple[ChangedCode, ...]:
    """The codes a list diff adds, changes and removes, in code order."""
    found = {
        *(ChangedCode(str(e.code), ChangeKind.ADDED) for e in diff.added),
        *(ChangedCode(str(d.code), ChangeKind.CHANGED) for d in diff.changed),
        *(ChangedCode(str(e.code), ChangeKind.REMOVED) for e in diff.removed),
    }
    return tuple(sorted(found, key=lambda c: (ControlCode.parse(c.code), c.kind)))


def codes_in_scope(scope: ItemScope, changed: Iterable[ChangedCode]) -> tuple[str, ...]:
    """The codes a general authorisation's registration rests on, for the impact: the codes its scope
    names, or, for a scope over the whole list, the changed codes it does not exclude. The list's flags
    (Section I, cyber-surveillance, information security) are not looked at: the safe side counts them in."""
    if scope.codes:
        return tuple(sorted(scope.codes))
    return tuple(
        sorted(
            {
                c.code
                for c in changed
                if scope.covers(c.code, section_i=False, cyber_surveillance=False, information_security=True)
            }
        )
    )


@dataclass(frozen=True)
class ImpactReport:
    """The objects a change touches, counted per exporter and per member state by kind."""

    changed: tuple[ChangedCode, ...]
    affected: tuple[Affected, ...]

    @property
    def exporters(self) -> tuple[int, ...]:
        return tuple(sorted({a.subject.exporter_id for a in self.affected}))

    @property
    def member_states(self) -> tuple[str, ...]:
        return tuple(sorted({a.subject.member_state for a in self.affected}))

    def by_exporter(self) -> dict[int, dict[str, int]]:
        """For each exporter touched, how many of its objects of each kind."""
        out: dict[int, Counter[str]] = {}
        for a in self.affected:
            out.setdefault(a.subject.exporter_id, Counter())[a.subject.kind.value] += 1
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}

    def by_state(self) -> dict[str, dict[str, int]]:
        """For each member state touched, how many objects of each kind its exporters hold."""
        out: dict[str, Counter[str]] = {}
        for a in self.affected:
            out.setdefault(a.subject.member_state, Counter())[a.subject.kind.value] += 1
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}

    def totals(self) -> dict[str, int]:
        counts = Counter(a.subject.kind.value for a in self.affected)
        return {kind.value: counts.get(kind.value, 0) for kind in SubjectKind}

    def for_exporter(self, exporter_id: int) -> tuple[Affected, ...]:
        return tuple(a for a in self.affected if a.subject.exporter_id == exporter_id)

    def for_state(self, member_state: str) -> tuple[Affected, ...]:
        return tuple(a for a in self.affected if a.subject.member_state == member_state)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data, stored with the adoption."""
        return {
            "changed": [{"code": c.code, "kind": c.kind.value} for c in self.changed],
            "affected": [
                {
                    "kind": a.subject.kind.value,
                    "ref": a.subject.ref,
                    "exporter_id": a.subject.exporter_id,
                    "member_state": a.subject.member_state,
                    "codes": list(a.subject.codes),
                    "by": [{"code": c.code, "kind": c.kind.value} for c in a.by],
                }
                for a in self.affected
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImpactReport:
        def code(row: Mapping[str, Any]) -> ChangedCode:
            return ChangedCode(str(row["code"]), ChangeKind(row["kind"]))

        return cls(
            changed=tuple(code(c) for c in data.get("changed", [])),
            affected=tuple(
                Affected(
                    Subject(
                        SubjectKind(a["kind"]),
                        str(a["ref"]),
                        int(a["exporter_id"]),
                        str(a["member_state"]),
                        tuple(str(c) for c in a["codes"]),
                    ),
                    tuple(code(c) for c in a["by"]),
                )
                for a in data.get("affected", [])
            ),
        )


def analyse(
    changed: Sequence[ChangedCode], subjects: Iterable[Subject], *, member_state: str | None = None
) -> ImpactReport:
    """The impact report of ``changed`` on ``subjects``: each subject with a code related to a changed
    code, with those changed codes. ``member_state`` keeps only that state's subjects (a national measure
    binds the exporters of its own state, Art. 9(1))."""
    affected: list[Affected] = []
    for subject in subjects:
        if member_state is not None and subject.member_state != member_state:
            continue
        by = tuple(c for c in changed if any(related(c.code, own) for own in subject.codes))
        if by:
            affected.append(Affected(subject, by))
    affected.sort(
        key=lambda a: (a.subject.member_state, a.subject.exporter_id, a.subject.kind, a.subject.ref)
    )
    return ImpactReport(tuple(changed), tuple(affected))
