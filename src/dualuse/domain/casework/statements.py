"""Digital end-user statements (issue 19, point 4): the exporter asks the end-user of an application to
sign a statement of end use through a link; once signed, anyone holding its number and check code can
verify it, like a licence, with its validity period. The end-use statement is the document an
authorisation may be made subject to (Art. 12(4) Reg. (EU) 2021/821 as we recall it; unverified, see
shared/reference/regulation-articles.md). Moves are a table; each records an event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, ValidationError

__all__ = [
    "STATEMENT_TRANSITIONS",
    "EndUserStatement",
    "StatementAction",
    "StatementEvent",
    "StatementStatus",
    "new_statement",
    "sign_statement",
    "statement_number",
    "withdraw_statement",
]

VALIDITY_DAYS = 365  # how long a signed statement is relied on; each state may set its own (see data)
NAME_MAX = 200


class StatementStatus(StrEnum):
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    WITHDRAWN = "withdrawn"


class StatementAction(StrEnum):
    SIGN = "sign"
    WITHDRAW = "withdraw"


STATEMENT_TRANSITIONS: Mapping[tuple[StatementStatus, StatementAction], tuple[StatementStatus, str]] = (
    MappingProxyType(
        {
            (StatementStatus.AWAITING_SIGNATURE, StatementAction.SIGN): (
                StatementStatus.SIGNED,
                "StatementSigned",
            ),
            (StatementStatus.AWAITING_SIGNATURE, StatementAction.WITHDRAW): (
                StatementStatus.WITHDRAWN,
                "StatementWithdrawn",
            ),
            (StatementStatus.SIGNED, StatementAction.WITHDRAW): (
                StatementStatus.WITHDRAWN,
                "StatementWithdrawn",
            ),
        }
    )
)


@dataclass(frozen=True)
class EndUserStatement:
    """What the end-user declares: who it is, what it receives (codes and descriptions), for what end use,
    in which country, and that it will not re-export without consent."""

    number: str
    case_id: int
    member_state: str
    exporter: str
    end_user: str
    country: str
    items: tuple[str, ...]
    end_use: str
    status: StatementStatus = StatementStatus.AWAITING_SIGNATURE
    signed_by: str = ""
    signer_title: str = ""
    signed_at: datetime | None = None
    valid_until: date | None = None
    version: int = 1

    def in_force(self, today: date) -> bool:
        return (
            self.status is StatementStatus.SIGNED
            and self.valid_until is not None
            and self.signed_at is not None
            and self.signed_at.date() <= today <= self.valid_until
        )


@dataclass(frozen=True)
class StatementEvent:
    name: str
    number: str
    actor: str
    before: StatementStatus | None
    after: StatementStatus


_NUMBER = re.compile(r"EUS-[A-Z]{2}-[0-9]{4}-[0-9]{6}")


def statement_number(member_state: str, year: int, sequence: int) -> str:
    """``EUS-DE-2026-000001``: the state, the year and a sequence without gaps."""
    if not 1 <= sequence <= 999_999:
        raise ValidationError("the statement sequence runs from 1 to 999999", field="sequence")
    return f"EUS-{member_state}-{year:04d}-{sequence:06d}"


def is_statement_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


def new_statement(
    number: str,
    *,
    case_id: int,
    member_state: str,
    exporter: str,
    end_user: str,
    country: str,
    items: tuple[str, ...],
    end_use: str,
    requested_by: str,
) -> tuple[EndUserStatement, StatementEvent]:
    if not items or not end_use.strip() or not end_user.strip():
        raise ValidationError("a statement names the end-user, the items and the end use", field="end_use")
    statement = EndUserStatement(number, case_id, member_state, exporter, end_user, country, items, end_use)
    return statement, StatementEvent("StatementRequested", number, requested_by, None, statement.status)


def _move(statement: EndUserStatement, action: StatementAction) -> tuple[StatementStatus, str]:
    move = STATEMENT_TRANSITIONS.get((statement.status, action))
    if move is None:
        raise ConflictError(
            f"a statement that is {statement.status.value.replace('_', ' ')} cannot be {action}ed"
        )
    return move


def sign_statement(
    statement: EndUserStatement,
    *,
    signer: str,
    title: str,
    declared: bool,
    now: datetime,
    today: date,
    validity_days: int = VALIDITY_DAYS,
) -> tuple[EndUserStatement, StatementEvent]:
    """The end-user signs: its signatory's name and title, and the declaration ticked."""
    target, name = _move(statement, StatementAction.SIGN)
    if not declared:
        raise ValidationError("tick the declaration to sign the statement", field="declared")
    signer, title = signer.strip(), title.strip()
    if not signer or len(signer) > NAME_MAX:
        raise ValidationError(f"give the signatory's name (up to {NAME_MAX} characters)", field="signer")
    if not title or len(title) > NAME_MAX:
        raise ValidationError(f"give the signatory's position (up to {NAME_MAX} characters)", field="title")
    if now.tzinfo is None:
        raise ValidationError("a signature time carries its time zone", field="now")
    signed = replace(
        statement,
        status=target,
        signed_by=signer,
        signer_title=title,
        signed_at=now,
        valid_until=today + timedelta(days=validity_days),
        version=statement.version + 1,
    )
    return signed, StatementEvent(name, statement.number, signer, statement.status, target)


def withdraw_statement(statement: EndUserStatement, *, actor: str) -> tuple[EndUserStatement, StatementEvent]:
    target, name = _move(statement, StatementAction.WITHDRAW)
    after = replace(statement, status=target, version=statement.version + 1)
    return after, StatementEvent(name, statement.number, actor, statement.status, target)
