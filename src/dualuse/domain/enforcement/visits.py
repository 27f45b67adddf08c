"""Compliance visits: the authority checks an exporter on its premises (Art. 28(1)(b), power to enter premises
[V for the predecessor's Art. 21, M for the 2021 wording]) and records what it found, each finding against one
core element of the exporter's internal compliance programme (Recommendation (EU) 2019/1318).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dualuse.domain.duediligence.icp import ICP_ELEMENTS
from dualuse.domain.errors import ValidationError

ICP_ELEMENT_IDS: tuple[str, ...] = tuple(e.id for e in ICP_ELEMENTS)


class FindingSeverity(StrEnum):
    OBSERVATION = "observation"  # worth improving
    SHORTCOMING = "shortcoming"  # to put right
    BREACH = "breach"  # may lead to an enforcement case


@dataclass(frozen=True)
class Finding:
    icp_element: str
    severity: FindingSeverity
    text: str

    @property
    def element_title(self) -> str:
        return next((e.title for e in ICP_ELEMENTS if e.id == self.icp_element), self.icp_element)


@dataclass(frozen=True)
class ComplianceVisit:
    id: int
    organisation_id: int
    member_state: str
    visit_date: date
    findings: tuple[Finding, ...]
    recorded_by: str

    def findings_for(self, element_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.icp_element == element_id)


def check_finding(finding: Finding, index: int = 0) -> Finding:
    if finding.icp_element not in ICP_ELEMENT_IDS:
        raise ValidationError(
            f"{finding.icp_element!r} is not an ICP element; expected one of {', '.join(ICP_ELEMENT_IDS)}",
            field=f"findings[{index}].icp_element",
        )
    if not finding.text.strip():
        raise ValidationError("describe the finding", field=f"findings[{index}].text")
    return finding


def check_visit(visit_date: date, findings: tuple[Finding, ...], today: date) -> None:
    """A visit took place (not in the future) and each finding names an ICP element and says what was found."""
    if visit_date > today:
        raise ValidationError("the visit date cannot be in the future", field="visit_date")
    for index, finding in enumerate(findings):
        check_finding(finding, index)
