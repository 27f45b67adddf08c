"""Saved determinations: an exporter keeps the answer it got as a dated record (issue #13, "save this
determination"). The answer is worked out again from the case when it is saved, never taken from the
browser, so a record always says what the rules in force said on that day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dualuse.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.domain.rules.saved import SavedDetermination
from dualuse.services import audit
from dualuse.services.determination.service import DeterminationInputs, determine_case
from dualuse.services.unit_of_work import UnitOfWork

NOT_FOUND = "no such saved determination"


def _exporter(principal: Principal) -> int:
    authorize(principal, Permission.ACT_FOR_EXPORTER)
    if principal.organisation_kind is not OrganisationKind.EXPORTER or principal.organisation_id is None:
        raise PermissionDeniedError("only an exporter keeps determinations in its records")
    return principal.organisation_id


def save(
    uow: UnitOfWork, inputs: DeterminationInputs, principal: Principal, case: object
) -> SavedDetermination:
    """Determine ``case`` (a JSON case) again and keep the question and the answer for the principal's
    organisation."""
    organisation_id = _exporter(principal)
    if not isinstance(case, Mapping):
        raise ValidationError(
            "the determination to save was not sent whole: ask the question again", field="case"
        )
    answer = determine_case(inputs, dict(case))
    understood = answer.understood
    kept_case = {
        **case,
        "date": understood["date"],
    }  # the day it was asked, so the record reads the same later
    saved = uow.saved_determinations.add(
        organisation_id=organisation_id, saved_by=principal.label, case=kept_case, answer=answer.to_dict()
    )
    audit.record(
        uow,
        actor=principal.label,
        action="determination.saved",
        entity_type="saved_determination",
        entity_id=saved.id,
        after={"reference": saved.reference, "outcome": saved.outcome, "organisation_id": organisation_id},
    )
    uow.commit()
    return saved


def saved_determination(uow: UnitOfWork, principal: Principal, saved_id: int) -> SavedDetermination:
    """One saved determination of the principal's organisation (another's is answered as missing)."""
    authorize(principal, Permission.ACT_FOR_EXPORTER)
    found = uow.saved_determinations.get(saved_id)
    if found is None:
        raise NotFoundError(NOT_FOUND)
    authorize(
        principal, Permission.ACT_FOR_EXPORTER, organisation_id=found.organisation_id, not_found=NOT_FOUND
    )
    return found


def saved_determinations(uow: UnitOfWork, principal: Principal) -> Sequence[SavedDetermination]:
    """The principal's organisation's saved determinations, newest first."""
    return uow.saved_determinations.of_organisation(_exporter(principal))
