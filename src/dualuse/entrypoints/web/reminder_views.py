"""The in-app reminders of deadlines that the periodic reminder job records for an organisation
(``services.jobs.reminders``): newest first, each with the page where the work is done; reading them marks
them read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from dualuse.entrypoints.http.deps import ContainerDep, UserDep
from dualuse.entrypoints.web.views import render
from dualuse.services.jobs import reminders as svc

router = APIRouter(include_in_schema=False)
PAGE = "/reminders"


@router.get(PAGE, response_class=HTMLResponse)
def reminders_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        kept = svc.for_principal(uow, principal)
        unread = {r.id for r in kept if r.read_at is None}
        for reminder_id in unread:  # shown once as new, then read
            svc.mark_read(uow, principal, reminder_id)
        uow.commit()
    return render(
        request, "reminders/list.html", {"principal": principal, "reminders": kept, "unread": unread}
    )
