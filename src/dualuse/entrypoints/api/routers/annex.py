"""Annex I's provisions over HTTP: an entry's thresholds and notes as data, assessing an item against an
entry's sub-items, and the verification report of the reference data."""

from __future__ import annotations

from fastapi import APIRouter

from dualuse.adapters.sources.annex_i import load_cryptography_note
from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.errors import NotFoundError
from dualuse.entrypoints.api.schemas.annex import (
    AssessIn,
    ItemAssessmentOut,
    ProvisionOut,
    VerificationStatusOut,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, UowDep
from dualuse.services import controllist as svc
from dualuse.services.annex_i.assess import assess_item
from dualuse.services.verification import status

router = APIRouter(prefix="/api/v1", tags=["control list"], responses=API_ERRORS)


@router.get(
    "/control-list/provisions/{code}",
    summary="An entry's thresholds, conditions, notes and defined terms as data (consolidated text)",
)
def provision(code: str, container: ContainerDep) -> ProvisionOut:
    text = container.catalogue.provisions()
    parsed = ControlCode.parse(code)
    found = text.get(parsed)
    if found is None:
        raise NotFoundError(f"{parsed} has no provision in the consolidated text {text.celex}", field="code")
    return ProvisionOut.of(text, found)


@router.post(
    "/control-list/assess",
    summary="Assess an item against an entry's sub-items: met, not listed, or the parameters still needed",
)
def assess(body: AssessIn, container: ContainerDep, uow: UowDep) -> ItemAssessmentOut:
    history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=body.version)
    return ItemAssessmentOut.of(assess_item(container.catalogue, control_list, body.code, body.parameters))


@router.get("/reference/status", tags=["reference"], summary="How much reference data is verified, per area")
def reference_status(container: ContainerDep, uow: UowDep) -> VerificationStatusOut:
    built = status.current(uow, container.catalogue, container.rulebook, load_cryptography_note())
    return VerificationStatusOut.of(built, status.meets_target(built))
