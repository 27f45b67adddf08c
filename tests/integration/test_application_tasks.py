"""The application as a task list (issue #13, point 4): several items and parties, documents, a draft that can
be changed and withdrawn, check answers with change links, and a declaration kept with the submission."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.licensing import ApplicationStatus, PartyRole
from dualuse.entrypoints.web.application_views import DECLARATION
from dualuse.services import licensing as svc
from tests.integration.test_form_errors import client_for, summary, visible_text, world

__all__ = ["world"]  # the fixture, shared with the form-error tests

EXPORTER = "exporter@demo.dualuse.eu"


def version_of(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the form carries the case's version"
    return found.group(1)


def start(web: TestClient, token: str, kind: str = "individual") -> int:
    answer = web.post(
        "/applications/new", data={"csrftoken": token, "application_type": kind}, follow_redirects=False
    )
    assert answer.status_code == 303
    found = re.fullmatch(r"/applications/(\d+)", answer.headers["location"])
    assert found
    return int(found.group(1))


def post(web: TestClient, token: str, path: str, data: dict[str, str]) -> tuple[int, str]:
    """Send a form the way the page sends it: with the version of the case the page was drawn with."""
    case_id = int(path.split("/")[2])
    page = web.get(f"/applications/{case_id}/check").text  # a draft's; a submitted case's withdrawal page
    if 'name="version"' not in page:
        page = web.get(f"/applications/{case_id}/withdraw").text
    version = version_of(page)
    answer = web.post(path, data={"csrftoken": token, "version": version} | data, follow_redirects=False)
    return answer.status_code, answer.text


ITEM = {
    "control_code": "5A001.j",
    "description": "IP interception platform",
    "cn_code": "85176200",
    "quantity": "2",
    "unit": "pieces",
    "value_eur": "250000",
}


def stored(container: Container, case_id: int) -> svc.StoredCase:
    with container.uow() as uow:
        found = uow.licensing.case(case_id)
    assert found is not None
    return found


def test_a_draft_is_built_part_by_part_checked_declared_and_submitted(
    world: tuple[Container, dict[str, str]],
) -> None:
    container, _ = world
    web, token = client_for(world, EXPORTER)
    start_page = web.get("/applications/new").text
    assert 'type="radio" value="global"' in start_page
    missing_type = web.post("/applications/new", data={"csrftoken": token})
    assert missing_type.status_code == 400
    assert [f for f, _ in summary(missing_type.text)] == ["application_type-individual"]

    case_id = start(web, token)
    tasks = web.get(f"/applications/{case_id}").text
    assert f"Application {case_id}: draft" in tasks
    assert "You have completed 1 of 4 parts." in tasks
    assert "Cannot start yet" in tasks
    assert f'href="/applications/{case_id}/check"' not in tasks

    # one mistake on the item form: every error listed, what was typed kept, nothing saved
    status, page = post(
        web,
        token,
        f"/applications/{case_id}/items",
        ITEM | {"control_code": "", "quantity": "lots", "cn_code": "8517"},
    )
    assert status == 400
    assert [f for f, _ in summary(page)] == ["control_code", "cn_code", "quantity"]
    assert 'value="lots"' in page
    assert 'value="IP interception platform"' in page
    assert 'aria-invalid="true"' in page
    assert stored(container, case_id).case.current_application.items == ()

    for code, value in (("5A001.j", "250000"), ("5D001.e", "40000"), ("5A002.a", "1000")):
        status, _ = post(
            web, token, f"/applications/{case_id}/items", ITEM | {"control_code": code, "value_eur": value}
        )
        assert status == 303
    status, _ = post(
        web,
        token,
        f"/applications/{case_id}/items/2",
        ITEM | {"control_code": "5D001.e", "quantity": "3", "value_eur": "45000"},
    )
    assert status == 303
    status, _ = post(web, token, f"/applications/{case_id}/items/3/remove", {})
    assert status == 303
    listing = web.get(f"/applications/{case_id}/items").text
    assert "CN 85176200 correlates with Annex I 5A001, 5A002" in listing  # the CN code's candidate entries
    items = stored(container, case_id).case.current_application.items
    assert [(i.control_code, str(i.quantity), str(i.value_eur)) for i in items] == [
        ("5A001.j", "2", "250000"),
        ("5D001.e", "3", "45000"),
    ]

    # parties: a mistake first, then the end-user (whose country becomes the destination), a consignee, a broker
    status, page = post(
        web,
        token,
        f"/applications/{case_id}/parties",
        {"name": "", "country": "Atlantis", "party_type": "commercial"},
    )
    assert status == 400
    assert [f for f, _ in summary(page)] == ["name", "role-end_user", "country"]
    assert 'value="Atlantis"' in page
    for name, role, country in (
        ("Brasil Telecom Operadora SA", "end_user", "Brazil"),
        ("Porto Logistica Ltda", "consignee", "BR"),
        ("Andes Trading SRL", "intermediary", "Argentina"),
    ):
        status, _ = post(
            web,
            token,
            f"/applications/{case_id}/parties",
            {"name": name, "role": role, "country": country, "party_type": "commercial"},
        )
        assert status == 303
    application = stored(container, case_id).case.current_application
    assert [(p.role, p.country) for p in application.parties] == [
        (PartyRole.END_USER, "BR"),
        (PartyRole.CONSIGNEE, "BR"),
        (PartyRole.INTERMEDIARY, "AR"),
    ]
    assert application.destinations == ("BR",)

    # the check page names what is missing, and submission without the end use or the declaration is refused
    check = web.get(f"/applications/{case_id}/check").text
    assert "Describe the end use" in check
    status, page = post(web, token, f"/applications/{case_id}/submit", {})
    assert status == 400
    assert [f for f, _ in summary(page)] == ["end_use", "declaration"]
    for field, _ in summary(page):
        assert f'id="{field}"' in page  # each link of the error summary lands on its part
    assert stored(container, case_id).case.status is ApplicationStatus.DRAFT

    status, _ = post(
        web,
        token,
        f"/applications/{case_id}/end-use",
        {"destinations": "Brazil, AR, BR", "end_use": "Lawful interception"},
    )
    assert status == 303
    assert stored(container, case_id).case.current_application.destinations == ("BR", "AR")
    tasks = web.get(f"/applications/{case_id}").text
    assert "You have completed every part." in tasks
    assert f'href="/applications/{case_id}/check"' in tasks

    check = web.get(f"/applications/{case_id}/check").text
    for change in (
        "/type",
        "/items/1",
        "/items/2",
        "/parties/1",
        "/parties/2",
        "/parties/3",
        "/end-use",
        "/documents/new",
    ):
        assert f'href="/applications/{case_id}{change}"' in check, change
    assert "Argentina (AR)" in check
    assert "EUR 295000" in check
    assert DECLARATION in visible_text(check)

    status, page = post(web, token, f"/applications/{case_id}/submit", {"declaration": "no"})
    assert status == 400
    assert [f for f, _ in summary(page)] == ["declaration"]
    status, _ = post(web, token, f"/applications/{case_id}/submit", {"declaration": "yes"})
    assert status == 303
    after = stored(container, case_id)
    assert after.case.status is ApplicationStatus.SUBMITTED
    case_page = web.get(f"/applications/{case_id}").text
    assert "Application submitted" in case_page
    assert f"Your reference: <strong>{case_id}</strong>" in case_page
    with container.engine.connect() as db:
        declared = db.execute(
            select(t.audit_events.c.after).where(
                t.audit_events.c.entity_id == str(case_id),
                t.audit_events.c.action == "licensing_case.ApplicationSubmitted",
            )
        ).scalar_one()
    assert DECLARATION in str(declared)

    # a submitted application is frozen: its part pages lead back to the case, a write changes nothing
    assert web.get(f"/applications/{case_id}/items", follow_redirects=False).status_code == 303
    refused = web.post(
        f"/applications/{case_id}/items/1/remove",
        data={"csrftoken": token, "version": str(after.case.version)},
        follow_redirects=False,
    )
    assert refused.status_code in (400, 409)
    assert len(stored(container, case_id).case.current_application.items) == 2


def test_a_draft_changed_in_another_tab_is_not_overwritten(world: tuple[Container, dict[str, str]]) -> None:
    container, _ = world
    web, token = client_for(world, EXPORTER)
    case_id = start(web, token)
    page = web.get(f"/applications/{case_id}/items/new").text
    old = version_of(page)
    assert post(web, token, f"/applications/{case_id}/items", ITEM)[0] == 303  # the other tab
    stale = web.post(
        f"/applications/{case_id}/items",
        data={"csrftoken": token, "version": old} | ITEM | {"control_code": "5A002.a"},
    )
    assert stale.status_code == 400
    assert 'value="5A002.a"' in stale.text  # what was typed is kept to send again
    assert [i.control_code for i in stored(container, case_id).case.current_application.items] == ["5A001.j"]


def test_a_draft_can_be_withdrawn_and_is_nobody_elses(world: tuple[Container, dict[str, str]]) -> None:
    container, _ = world
    web, token = client_for(world, EXPORTER)
    case_id = start(web, token, "global")
    other, _ = client_for(world, "exporter-fr@demo.dualuse.eu")
    for path in ("", "/items", "/items/new", "/parties/new", "/end-use", "/check", "/withdraw"):
        assert other.get(f"/applications/{case_id}{path}").status_code == 404, path
    officer, _ = client_for(world, "officer-de@demo.dualuse.eu")
    assert officer.get(f"/applications/{case_id}").status_code == 404  # a draft is the exporter's alone
    confirm = web.get(f"/applications/{case_id}/withdraw").text
    assert "never sent to the authority" in confirm
    assert post(web, token, f"/applications/{case_id}/withdraw", {})[0] == 303
    assert stored(container, case_id).case.status is ApplicationStatus.WITHDRAWN
    assert web.get(f"/applications/{case_id}/withdraw", follow_redirects=False).status_code == 303
