"""The public handbook: a contents page, one page per section and the whole handbook as PDF, each showing
its edition (number, date, hash, list and rules versions). Built from the data on every request, so a change
of the data shows at once; the PDF is rendered once per edition and process."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from dualuse.bootstrap import Container, edition_store, handbook_sources
from dualuse.domain.errors import NotFoundError
from dualuse.domain.handbook import Handbook
from dualuse.entrypoints.handbook_pdf import handbook_pdf
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep
from dualuse.entrypoints.web.views import render
from dualuse.services import handbook as svc
from dualuse.services.clock import today_in_brussels

router = APIRouter(include_in_schema=False)
_PDF_CACHE = "handbook_pdf"


def current_handbook(container: Container) -> Handbook:
    return svc.current(handbook_sources(container), edition_store(container), today_in_brussels())


@router.get("/handbook", response_class=HTMLResponse)
def contents(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    """The handbook's contents: each section with what it covers and its parts."""
    book = current_handbook(container)
    return render(request, "handbook/contents.html", {"principal": principal, "book": book})


@router.get("/handbook.pdf")
def pdf(container: ContainerDep) -> Response:
    """The whole handbook as one PDF (rendered once per edition hash in this process)."""
    book = current_handbook(container)
    cache = container.extras.setdefault(_PDF_CACHE, {})
    assert isinstance(cache, dict)  # noqa: S101 - the cache is ours: a dict of hash → bytes
    key = (book.edition.content_hash, book.edition.number, book.edition.published)
    if key not in cache:
        cache.clear()
        cache[key] = handbook_pdf(book)
    filename = f"dualuse-handbook-edition-{book.edition.number}.pdf"
    return Response(
        cache[key],
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get("/handbook/{section}", response_class=HTMLResponse)
def section_page(
    request: Request, section: str, container: ContainerDep, principal: PrincipalDep
) -> HTMLResponse:
    """One section of the handbook, with a link to the sections before and after it."""
    book = current_handbook(container)
    found = book.section(section)
    if found is None:
        raise NotFoundError("the handbook has no such section", field="section")
    index = book.slugs.index(section)
    return render(
        request,
        "handbook/section.html",
        {
            "principal": principal,
            "book": book,
            "section": found,
            "previous": book.sections[index - 1] if index > 0 else None,
            "next": book.sections[index + 1] if index + 1 < len(book.sections) else None,
        },
    )
