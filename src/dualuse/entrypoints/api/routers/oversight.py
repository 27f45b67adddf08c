"""What the Commission reads over HTTP (F15, issue #18): the figures of its home, without exporters' names;
each read is audited (``services.oversight``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dualuse.entrypoints.api.routers.enforcement import statistics_out
from dualuse.entrypoints.api.schemas.oversight import CommissionFiguresOut
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import UowDep, UserDep
from dualuse.services import home

router = APIRouter(prefix="/api/v1", tags=["commission"], responses=API_ERRORS)


@router.get(
    "/commission/figures",
    response_model=CommissionFiguresOut,
    summary="Licences and notices counted per member state, and enforcement figures (the Commission)",
)
def commission_figures(principal: UserDep, uow: UowDep) -> dict[str, Any]:
    figures = home.commission_home(uow, principal)
    return {
        "licences": [
            {
                "member_state": f.member_state,
                "licence_type": f.licence_type,
                "status": f.status,
                "count": f.count,
            }
            for f in figures.licences
        ],
        "notices": [
            {"member_state": n.member_state, "article": n.article, "issued": n.issued, "in_force": n.in_force}
            for n in figures.notices
        ],
        "enforcement": [statistics_out(line) for line in figures.enforcement],
    }
