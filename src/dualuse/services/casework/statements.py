"""Digital end-user statements as use cases (issue 19, point 4): the exporter requests one for the end-user
of a submitted application and receives a signing link (shown once: only its hash is kept); the end-user
signs through the link without an account; anyone verifies a statement by its number and check code and
learns whether it is genuine, signed and in force, with its validity, nothing commercial."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dualuse.domain import casework as cw
from dualuse.domain import licensing as lic
from dualuse.domain.errors import ConflictError, NotFoundError, ValidationError
from dualuse.domain.identity import Principal
from dualuse.services import audit
from dualuse.services import licensing as licensing_service
from dualuse.services.clock import brussels_day
from dualuse.services.unit_of_work import UnitOfWork

ENTITY = "end_user_statement"
_LABEL = b"dualuse end-user statement check code\x00"
NO_STATEMENT = "no such statement, or the link is no longer valid"


def check_code_secret(secret_key: str) -> bytes:
    """The key of statement check codes, derived apart from the licences' (a code of one is no code of
    the other)."""
    return hashlib.sha256(_LABEL + secret_key.encode("utf-8")).digest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _record(uow: UnitOfWork, actor: str, event: cw.StatementEvent, case_id: int) -> None:
    audit.record(
        uow,
        actor=actor,
        action=f"{ENTITY}.{event.name}",
        entity_type=ENTITY,
        entity_id=event.number,
        before={"status": event.before.value} if event.before else None,
        after={"status": event.after.value, "case": case_id},
    )


@dataclass(frozen=True)
class Requested:
    statement: cw.EndUserStatement
    token: str  # the secret of the signing link: shown to the exporter once, never stored


def request_statement(uow: UnitOfWork, principal: Principal, case_id: int) -> Requested:
    """The exporter asks the end-user of its submitted application for a signed statement."""
    stored = licensing_service.get_application(uow, principal, case_id)
    if principal.organisation_id != stored.organisation_id:
        raise NotFoundError(licensing_service.NO_CASE)
    if stored.submitted_at is None or stored.case.status is lic.ApplicationStatus.WITHDRAWN:
        raise ConflictError("ask for an end-user statement once the application is submitted")
    application = stored.case.current_application
    end_user = application.parties_in_role(lic.PartyRole.END_USER)[0]
    exporter = uow.organisations.get(stored.organisation_id)
    year = uow.clock.now().year
    number = cw.statement_number(
        stored.member_state, year, uow.casework.statement_count(stored.member_state, year) + 1
    )
    statement, event = cw.new_statement(
        number,
        case_id=case_id,
        member_state=stored.member_state,
        exporter=exporter.name if exporter else str(stored.organisation_id),
        end_user=end_user.name,
        country=end_user.country,
        items=tuple(f"{i.control_code}: {i.description} ({i.quantity} {i.unit})" for i in application.items),
        end_use=application.end_use,
        requested_by=principal.label,
    )
    token = secrets.token_urlsafe(24)
    uow.casework.add_statement(statement, _token_hash(token))
    _record(uow, principal.label, event, case_id)
    uow.commit()
    return Requested(statement, token)


def statements(uow: UnitOfWork, principal: Principal, case_id: int) -> Sequence[cw.EndUserStatement]:
    """The statements of a case, for its exporter and its authority."""
    licensing_service.get_application(uow, principal, case_id)
    return uow.casework.statements(case_id)


def for_signing(uow: UnitOfWork, token: str) -> cw.EndUserStatement:
    """The statement a signing link opens (refused alike for a wrong, used or withdrawn link)."""
    statement = uow.casework.statement_by_token(_token_hash(token.strip()))
    if statement is None or statement.status is not cw.StatementStatus.AWAITING_SIGNATURE:
        raise NotFoundError(NO_STATEMENT)
    return statement


def sign(
    uow: UnitOfWork, token: str, *, signer: str, title: str, declared: bool, secret: bytes
) -> tuple[cw.EndUserStatement, str]:
    """The end-user signs through its link; returns the signed statement and its check code."""
    statement = for_signing(uow, token)
    now = uow.clock.now()  # read once: the signing moment and the day its validity counts from agree
    signed, event = cw.sign_statement(
        statement, signer=signer, title=title, declared=declared, now=now, today=brussels_day(now)
    )
    uow.casework.save_statement(signed, expected_version=statement.version)
    _record(uow, f"end-user: {signed.signed_by}", event, signed.case_id)
    uow.commit()
    return signed, lic.check_code(signed.number, secret)


def check_code_of(uow: UnitOfWork, principal: Principal, number: str, secret: bytes) -> str:
    """The check code of a signed statement, for the exporter and authority of its case."""
    statement = uow.casework.statement(number.strip().upper())
    if statement is None:
        raise NotFoundError(NO_STATEMENT)
    licensing_service.get_application(uow, principal, statement.case_id)
    if statement.status is cw.StatementStatus.AWAITING_SIGNATURE:
        raise ConflictError("the statement is not signed yet")
    return lic.check_code(statement.number, secret)


@dataclass(frozen=True)
class StatementCheck:
    genuine: bool
    number: str
    status: str | None = None
    end_user: str | None = None
    country: str | None = None
    signed_on: date | None = None
    valid_until: date | None = None
    in_force: bool = False


def verify(uow: UnitOfWork, number: str, code: str, secret: bytes) -> StatementCheck:
    """Public check of a statement: genuine or not; if genuine its status, end-user, signature date and
    validity (the items and end use stay between the parties and the authority)."""
    number = number.strip().upper()
    if len(number) > 30:
        raise ValidationError("a statement number is like EUS-DE-2026-000001", field="number")
    statement = uow.casework.statement(number) if cw.is_statement_number(number) else None
    if (
        statement is None
        or statement.status is cw.StatementStatus.AWAITING_SIGNATURE
        or not lic.verify_check_code(number, code, secret)
    ):
        return StatementCheck(genuine=False, number=number)
    return StatementCheck(
        genuine=True,
        number=number,
        status=statement.status.value,
        end_user=statement.end_user,
        country=statement.country,
        signed_on=brussels_day(statement.signed_at) if statement.signed_at else None,
        valid_until=statement.valid_until,
        in_force=statement.in_force(uow.clock.today()),
    )
