"""Licence determination over HTTP: does this transaction need an authorisation, which one, and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from dualuse.entrypoints.api.schemas.determination import EXAMPLE, DeterminationOut
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, UowDep
from dualuse.services import determination

router = APIRouter(prefix="/api/v1", tags=["determination"], responses=API_ERRORS)


@router.post(
    "/determinations",
    response_model=DeterminationOut,
    summary="Determine a transaction: outcome per item and overall, legal basis, general authorisations, customs codes",
)
def determine(
    container: ContainerDep,
    uow: UowDep,
    principal: PrincipalDep,
    case: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> dict[str, object]:
    """The answer binds on what the Union published under Art. 5 and, for a signed-in exporter, on the
    notices its authority gave it; ``understood`` states the facts as read (country names, item titles)."""
    inputs = container.determination_inputs(uow, principal.organisation_id)
    return determination.determine_case(inputs, case).to_dict()
