"""Art. 21(3)-(4) Reg. (EU) 2021/821: customs may suspend the export of items, with or without a valid
authorisation, on the grounds the article lists, for a limited period; the member state consults the
competent authority that granted the authorisation without delay, which maintains the authorisation (the
items are released) or acts under Art. 16(1) (the export stays refused).

The grounds and the consultation are verified (shared/reference/regulation-articles.md, Art 21 rows, V).
The periods (10 working days, extendable to 30 in exceptional circumstances, then release) are NOT
verified there ([M]); they are data (``data/customs/hold_limits.yaml``, ``verified: false``), and on the
safe side nothing is released automatically when a period runs out: the hold shows it is overdue and the
authority decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, ValidationError

REFERENCE_MAX = 40
NOTE_MAX = 2000


class Ground(StrEnum):
    """Art. 21(3): why the export is suspended."""

    INFORMATION_NOT_TAKEN_INTO_ACCOUNT = "a_i"  # (a)(i) relevant information not considered at the grant
    CIRCUMSTANCES_CHANGED = "a_ii"  # (a)(ii) circumstances materially changed since the grant
    ART_4_1_MEASURES = "b"  # (b) information on possible Art. 4(1) measures

    @property
    def label(self) -> str:
        return {
            "a_i": "Art. 21(3)(a)(i): relevant information was not taken into account when granting",
            "a_ii": "Art. 21(3)(a)(ii): circumstances have materially changed since the grant",
            "b": "Art. 21(3)(b): information on possible measures under Art. 4(1)",
        }[self.value]


class HoldStatus(StrEnum):
    HELD = "held"
    RELEASED = "released"  # the authority maintains the authorisation
    EXPORT_REFUSED = "export_refused"  # the authority acted under Art. 16(1)


class HoldAction(StrEnum):
    EXTEND = "extend"
    RELEASE = "release"
    REFUSE = "refuse"


HOLD_TRANSITIONS: Mapping[tuple[HoldStatus, HoldAction], tuple[HoldStatus, str]] = MappingProxyType(
    {
        (HoldStatus.HELD, HoldAction.EXTEND): (HoldStatus.HELD, "HoldExtended"),
        (HoldStatus.HELD, HoldAction.RELEASE): (HoldStatus.RELEASED, "ShipmentReleased"),
        (HoldStatus.HELD, HoldAction.REFUSE): (HoldStatus.EXPORT_REFUSED, "ExportRefused"),
    }
)


@dataclass(frozen=True)
class HoldLimits:
    working_days: int
    extended_working_days: int
    source: str
    verified: bool


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``; public holidays are not known here."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@dataclass(frozen=True)
class Hold:
    """A shipment held by customs of ``customs_state`` under ``licence_number`` (empty when it has none)."""

    id: int
    customs_state: str
    authority_state: str  # whose authority is consulted (the granting one)
    licence_number: str
    declaration: str
    ground: Ground
    note: str
    held_by: str
    held_on: date
    deadline: date
    status: HoldStatus = HoldStatus.HELD
    extended: bool = False
    decided_by: str = ""
    decision_note: str = ""
    version: int = 1

    def overdue(self, today: date) -> bool:
        return self.status is HoldStatus.HELD and today > self.deadline


@dataclass(frozen=True)
class HoldEvent:
    name: str
    hold_id: int
    actor: str
    before: HoldStatus | None
    after: HoldStatus
    note: str


def new_hold(
    hold_id: int,
    *,
    customs_state: str,
    authority_state: str,
    licence_number: str,
    declaration: str,
    ground: Ground | str,
    note: str,
    held_by: str,
    today: date,
    limits: HoldLimits,
) -> tuple[Hold, HoldEvent]:
    """Suspend a shipment (Art. 21(3)), with the deadline of the consultation (Art. 21(4))."""
    try:
        parsed = Ground(ground)
    except ValueError:
        raise ValidationError(
            f"unknown ground {ground!r}: one of a_i, a_ii, b (Art. 21(3))", field="ground"
        ) from None
    declaration = declaration.strip()
    if not declaration or len(declaration) > REFERENCE_MAX:
        raise ValidationError(
            f"name the export declaration (up to {REFERENCE_MAX} characters)", field="declaration"
        )
    if not note.strip() or len(note) > NOTE_MAX:
        raise ValidationError("say what the grounds rest on", field="note")
    hold = Hold(
        id=hold_id,
        customs_state=customs_state,
        authority_state=authority_state,
        licence_number=licence_number,
        declaration=declaration,
        ground=parsed,
        note=note.strip(),
        held_by=held_by,
        held_on=today,
        deadline=add_working_days(today, limits.working_days),
    )
    return hold, HoldEvent("ShipmentSuspended", hold_id, held_by, None, HoldStatus.HELD, parsed.label)


def decide_hold(
    hold: Hold,
    action: HoldAction | str,
    *,
    actor: str,
    note: str,
    limits: HoldLimits,
    expected_version: int | None = None,
) -> tuple[Hold, HoldEvent]:
    """The consulted authority extends the period once, releases the shipment (it maintains the
    authorisation) or refuses the export (it acts under Art. 16(1)); each says why."""
    try:
        parsed = HoldAction(action)
    except ValueError:
        raise ValidationError(f"unknown decision {action!r}", field="action") from None
    if expected_version is not None and expected_version != hold.version:
        raise ConflictError(f"hold {hold.id} is at version {hold.version}, not {expected_version}; reload")
    move = HOLD_TRANSITIONS.get((hold.status, parsed))
    if move is None:
        raise ConflictError(
            f"a hold that is {hold.status.value.replace('_', ' ')} cannot be given '{parsed}'"
        )
    if not note.strip():
        raise ValidationError("say why", field="note")
    target, name = move
    changes: dict[str, object] = {"status": target, "decided_by": actor, "decision_note": note.strip()}
    if parsed is HoldAction.EXTEND:
        if hold.extended:
            raise ConflictError("the period is extended once only")
        changes = {"extended": True, "deadline": add_working_days(hold.held_on, limits.extended_working_days)}
    after = replace(hold, version=hold.version + 1, **changes)  # type: ignore[arg-type] # fields of Hold
    return after, HoldEvent(name, hold.id, actor, hold.status, target, note.strip())
