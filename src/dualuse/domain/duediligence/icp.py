"""The internal compliance programme (ICP): the seven core elements of Commission Recommendation (EU)
2019/1318 (OJ L 205, 5.8.2019, p. 15), as a self-assessment. An ICP counts when an authority considers a
global authorisation (Art. 15(2)) and is a condition of EU007.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dualuse.domain.errors import ValidationError

_REC = "Recommendation (EU) 2019/1318, core element "


@dataclass(frozen=True)
class IcpElement:
    """One core element of an ICP, with the question the self-assessment asks about it."""

    id: str
    title: str
    question: str
    source: str
    verified: bool


ICP_ELEMENTS: tuple[IcpElement, ...] = (
    IcpElement(
        "commitment",
        "Top-level management commitment to compliance",
        "Has senior management stated in writing that export controls are followed, and does it back that "
        "with resources?",
        _REC + "1",
        True,
    ),
    IcpElement(
        "organisation",
        "Organisation structure, responsibilities and resources",
        "Is it written down who is responsible for export control, with enough staff, time and tools, and "
        "with the authority to stop a shipment?",
        _REC + "2",
        True,
    ),
    IcpElement(
        "training",
        "Training and awareness-raising",
        "Do the staff involved in export control, sales, engineering and shipping receive regular training "
        "on the rules that apply to them?",
        _REC + "3",
        True,
    ),
    IcpElement(
        "screening",
        "Transaction screening process and procedures",
        "Is every transaction checked for item classification, destination, end-user and end-use, and for "
        "warning signs, before it goes ahead?",
        _REC + "4",
        True,
    ),
    IcpElement(
        "review",
        "Performance review, audits, reporting and corrective actions",
        "Is the programme audited or reviewed regularly, can staff report suspected breaches, and are "
        "findings corrected?",
        _REC + "5",
        True,
    ),
    IcpElement(
        "recordkeeping",
        "Recordkeeping and documentation",
        "Are export-control decisions and commercial documents kept, findable, for at least the period "
        "Art. 27 requires?",
        _REC + "6",
        True,
    ),
    IcpElement(
        "security",
        "Physical and information security",
        "Are controlled items, software and technology protected against unauthorised access, removal or "
        "transfer?",
        _REC + "7",
        True,
    ),
)
"""The seven core elements of Rec. 2019/1318, in its order (titles and order verified; questions are the
project's own words)."""

_ELEMENT_IDS = frozenset(e.id for e in ICP_ELEMENTS)


class IcpLevel(StrEnum):
    """How far an element is in place."""

    NOT_IN_PLACE = "not_in_place"
    PARTLY = "partly"
    IN_PLACE = "in_place"


def icp_summary(answers: Mapping[str, IcpLevel]) -> tuple[int, tuple[str, ...]]:
    """How many of the seven core elements are in place, and the ids of those missing, partly in place or
    not assessed, in the order of Rec. 2019/1318."""
    unknown = sorted(set(answers) - _ELEMENT_IDS)
    if unknown:
        raise ValidationError(f"not core elements of Rec. 2019/1318: {', '.join(unknown)}", field="answers")
    try:
        levels = {element_id: IcpLevel(level) for element_id, level in answers.items()}
    except ValueError as error:
        raise ValidationError(
            f"an ICP level must be in_place, partly or not_in_place: {error}", field="answers"
        ) from None
    gaps = tuple(e.id for e in ICP_ELEMENTS if levels.get(e.id) is not IcpLevel.IN_PLACE)
    return len(ICP_ELEMENTS) - len(gaps), gaps
