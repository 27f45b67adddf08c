"""The authority's page of documents received from other member states' deployments: denials (Art. 16(1)),
consultations (Arts. 14, 16(5)), catch-all notices (Arts. 4-8) and Art. 5 information."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from dualuse.entrypoints.http.deps import ContainerDep, UserDep
from dualuse.entrypoints.web.views import render
from dualuse.services.exchange import inbox

router = APIRouter(include_in_schema=False)
PAGE = "/authority/received"
KIND_NAMES = {
    "denial": "Denial (Art. 16(1))",
    "denial_withdrawal": "Denial withdrawn",
    "consultation_request": "Consultation request",
    "consultation_answer": "Consultation answer",
    "catch_all_notice": "Catch-all notice",
    "art5_information": "Art. 5 information",
}


@router.get(PAGE, response_class=HTMLResponse)
def received_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        documents = inbox.for_authority(uow, principal)
    rows = [{"document": d, "kind": KIND_NAMES.get(d.kind, d.kind), **inbox.summary(d)} for d in documents]
    return render(request, "exchange/received.html", {"principal": principal, "rows": rows})
