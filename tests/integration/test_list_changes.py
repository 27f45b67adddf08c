"""The whole life of a list change on a real database: draft → open for comment → comment → moderate →
close → impact → adopt (imported into the list) → in force → notifications to the exporter it touches only."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.listchange import ListChangeStatus, ModerationStatus, SubjectKind
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from dualuse.services import audit, controllist, generalauth
from dualuse.services.clock import today_in_brussels
from dualuse.services.jobs.kinds import HANDLERS
from dualuse.services.jobs.queue import run_next
from dualuse.services.listchange import service as listchange
from tests.factories import PASSWORD, Person, make_organisation, make_person

BODY = textwrap.dedent(
    """
    add:
      - code: "5A001.k"
        title: "Test sub-item added by the draft"
        summary: "Added to test the life of a list change."
        regime: eu
        source: "test"
        verified: false
    change:
      - code: "5A002.a"
        summary: "A changed summary for the test."
    """
)


class World:
    def __init__(self, container: Container) -> None:
        acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
        commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
        de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
        fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
        self.acme: Person = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
        self.rival: Person = make_person(container, rival, Role.EXPORTER_ADMIN, "admin@rival.example")
        self.desk: Person = make_person(container, commission, Role.COMMISSION, "desk@commission.example")
        self.officer_de: Person = make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example")
        self.senior_de: Person = make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example")
        self.officer_fr: Person = make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example")
        with container.uow() as uow:
            latest = controllist.current_history(uow, container.catalogue).latest
        with container.uow() as uow:
            controllist.record_classification(
                uow,
                self.acme.principal,
                latest,
                product_name="Encryptor",
                description="AES",
                parameters={},
                control_code="5A002.a",
                rationale="symmetric encryption",
            )
        with container.uow() as uow:
            controllist.record_classification(
                uow,
                self.rival.principal,
                latest,
                product_name="Composite",
                description="parts",
                parameters={},
                control_code="1A001",
                rationale="fluorinated parts",
            )


@pytest.fixture
def world(container: Container) -> World:
    return World(container)


def _draft(container: Container, who: Principal, **over: object) -> int:
    fields: dict[str, object] = {
        "title": "Test amendment",
        "rationale": "Regime decisions of the year.",
        "version_id": "2026-12",
        "proposed_effective_from": today_in_brussels() + timedelta(days=60),
        "body": BODY,
    }
    fields.update(over)
    with container.uow() as uow:
        return listchange.draft(uow, who, container.catalogue, **fields).id  # type: ignore[arg-type]


def _open_and_close(container: Container, who: Principal, change_id: int) -> None:
    today = today_in_brussels()
    with container.uow() as uow:
        listchange.open_for_comment(uow, who, change_id, comment_period_end=today + timedelta(days=30))
    with container.uow() as uow:
        listchange.close_comments(uow, who, change_id, today=today + timedelta(days=31))


def test_the_whole_life_of_a_list_change(container: Container, world: World) -> None:
    desk = world.desk.principal
    public = Principal.public()
    change_id = _draft(container, desk)
    today = today_in_brussels()

    # a draft is the Commission's alone
    with container.uow() as uow, pytest.raises(NotFoundError):
        listchange.visible(uow, public, change_id)
    with container.uow() as uow:
        assert listchange.public_changes(uow) == []
        preview = listchange.preview(uow, container.catalogue, uow.list_changes.get(change_id).change)  # type: ignore[union-attr]
    assert {(c.code, c.kind.value) for c in preview.changed} == {("5A001.k", "added"), ("5A002.a", "changed")}

    with container.uow() as uow:
        listchange.open_for_comment(uow, desk, change_id, comment_period_end=today + timedelta(days=30))
    with container.uow() as uow:
        assert [s.change.id for s in listchange.public_changes(uow)] == [change_id]
        comment_id = listchange.submit_comment(
            uow,
            public,
            change_id,
            author_name="Jo Bloggs",
            organisation_name="Open Rights",
            organisation_type="civil_society",
            text="Please explain 5A001.k.",
        )
    with container.uow() as uow:
        spam_id = listchange.submit_comment(
            uow,
            public,
            change_id,
            author_name="X",
            organisation_name="",
            organisation_type="other",
            text="Buy now",
        )
    # nothing is shown before moderation
    with container.uow() as uow:
        assert listchange.published_comments(uow, public, change_id) == []
    # an exporter cannot moderate; the proposer can
    with container.uow() as uow, pytest.raises(PermissionDeniedError):
        listchange.moderate_comment(uow, world.acme.principal, change_id, comment_id, action="publish")
    with container.uow() as uow:
        listchange.moderate_comment(uow, desk, change_id, comment_id, action="publish")
    with container.uow() as uow, pytest.raises(ValidationError):
        listchange.moderate_comment(uow, desk, change_id, spam_id, action="reject")
    with container.uow() as uow:
        listchange.moderate_comment(uow, desk, change_id, spam_id, action="reject", reason="advertising")
    with container.uow() as uow:
        shown = listchange.published_comments(uow, public, change_id)
        everything = listchange.all_comments(uow, desk, change_id)
    assert [c.id for c in shown] == [comment_id]
    assert {c.id: c.status for c in everything} == {
        comment_id: ModerationStatus.PUBLISHED,
        spam_id: ModerationStatus.REJECTED,
    }

    # comments close only after the period; then no more comments
    with container.uow() as uow, pytest.raises(ConflictError):
        listchange.close_comments(uow, desk, change_id)
    with container.uow() as uow:
        listchange.close_comments(uow, desk, change_id, today=today + timedelta(days=31))
    with container.uow() as uow, pytest.raises(ConflictError):
        listchange.submit_comment(
            uow,
            public,
            change_id,
            author_name="Late",
            organisation_name="",
            organisation_type="other",
            text="late",
        )

    # the impact analysis: Acme's product under 5A002.a, not Rival's under 1A001
    with container.uow() as uow:
        report = listchange.impact(uow, desk, container.catalogue, container.rulebook, change_id)
    assert report.exporters == (world.acme.organisation.id,)
    assert report.by_state() == {"DE": {"classification": 1}}

    # adoption: the amendment joins the list, in force today, the exporter and its authority notified
    with container.uow() as uow:
        adopted = listchange.adopt(
            uow, desk, container.catalogue, container.rulebook, change_id, effective_from=today
        )
    assert adopted.change.status is ListChangeStatus.IN_FORCE
    assert adopted.impact is not None
    with container.uow() as uow:
        history = controllist.current_history(uow, container.catalogue)
        assert history.latest.version_id == "2026-12"
        assert history.latest.version.effective_from == today
        assert "5A001.k" in history.latest
    notified = {(n["name"], n["audience"]) for n in adopted.notified}
    assert notified == {("Acme GmbH", "exporter"), ("BAFA", "authority")}
    with container.uow() as uow:
        acme_notices = listchange.notices(uow, world.acme.principal)
        assert listchange.notices(uow, world.rival.principal) == []
        assert listchange.notices(uow, world.officer_fr.principal) == []
        assert len(listchange.notices(uow, world.officer_de.principal)) == 1
    assert len(acme_notices) == 1
    assert "Encryptor" in acme_notices[0].body
    assert "5A002.a" in acme_notices[0].body
    with container.uow() as uow:
        listchange.mark_read(uow, world.acme.principal, acme_notices[0].id)
    with container.uow() as uow:
        assert listchange.notices(uow, world.acme.principal)[0].read_at is not None
        with pytest.raises(NotFoundError):
            listchange.mark_read(uow, world.rival.principal, acme_notices[0].id)
        actions = [e.action for e in audit.operator_events(uow, audit.query(limit=500))]
    assert {"list_change.drafted", "list_change.adopted", "list_change.in_force"} <= set(actions)


def test_a_later_effective_date_enters_into_force_by_the_job(container: Container, world: World) -> None:
    desk = world.desk.principal
    change_id = _draft(container, desk)
    _open_and_close(container, desk, change_id)
    later = today_in_brussels() + timedelta(days=45)
    with container.uow() as uow:
        adopted = listchange.adopt(
            uow, desk, container.catalogue, container.rulebook, change_id, effective_from=later
        )
    assert adopted.change.status is ListChangeStatus.ADOPTED
    assert adopted.notified == []
    with container.uow() as uow:
        assert listchange.notices(uow, world.acme.principal) == []
    # the worker takes the job only once its date has come
    now = datetime.now(UTC)
    assert run_next(container.uow, HANDLERS, worker="w", clock=lambda: now) is None
    then = datetime.combine(later, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    job = run_next(container.uow, HANDLERS, worker="w", clock=lambda: then)
    assert job is not None
    assert job.kind == listchange.IN_FORCE_JOB
    with container.uow() as uow:
        stored = uow.list_changes.get(change_id)
        assert stored is not None
        assert stored.change.status is ListChangeStatus.IN_FORCE
        assert [n.subject for n in listchange.notices(uow, world.acme.principal)]
        assert listchange.notices(uow, world.rival.principal) == []


def test_adoption_refuses_an_effective_date_before_it(container: Container, world: World) -> None:
    desk = world.desk.principal
    change_id = _draft(container, desk)
    _open_and_close(container, desk, change_id)
    with container.uow() as uow, pytest.raises(ValidationError, match="before the date of adoption"):
        listchange.adopt(
            uow,
            desk,
            container.catalogue,
            container.rulebook,
            change_id,
            effective_from=today_in_brussels() - timedelta(days=1),
        )
    with container.uow() as uow:
        stored = uow.list_changes.get(change_id)
        assert stored is not None
        assert stored.change.status is ListChangeStatus.COMMENTS_CLOSED
        assert stored.impact is None
        assert controllist.current_history(uow, container.catalogue).latest.version_id != "2026-12"


def test_a_draft_that_does_not_fit_the_list_is_refused(container: Container, world: World) -> None:
    with pytest.raises(ValidationError, match="5A999"):
        _draft(container, world.desk.principal, body='change:\n  - code: "5A999"\n    summary: x\n')
    with pytest.raises(ValidationError, match="kind and version"):
        _draft(container, world.desk.principal, body="kind: amendment\nremove: []\n")


def test_only_the_commission_and_authorities_draft(container: Container, world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        _draft(container, world.acme.principal)
    with pytest.raises(PermissionDeniedError):
        _draft(container, Principal.public())


def test_a_national_measure_is_its_states_and_binds_only_its_exporters(
    container: Container, world: World
) -> None:
    officer = world.officer_de.principal
    change_id = _draft(container, officer, title="DE national measure")
    with container.uow() as uow:
        stored = uow.list_changes.get(change_id)
    assert stored is not None
    assert stored.change.proposer == "DE"
    assert stored.change.is_national
    assert stored.change.legal_basis.article == "Art. 9(1)"
    # another state's authority and the Commission do not see the draft
    for outsider in (world.officer_fr.principal, world.desk.principal):
        with container.uow() as uow, pytest.raises(NotFoundError):
            listchange.managed(uow, outsider, change_id)
    _open_and_close(container, officer, change_id)
    # an officer may not adopt alone: a senior officer adopts
    with container.uow() as uow, pytest.raises(PermissionDeniedError):
        listchange.adopt(
            uow,
            officer,
            container.catalogue,
            container.rulebook,
            change_id,
            effective_from=today_in_brussels(),
        )
    with container.uow() as uow:
        adopted = listchange.adopt(
            uow,
            world.senior_de.principal,
            container.catalogue,
            container.rulebook,
            change_id,
            effective_from=today_in_brussels(),
        )
    assert adopted.change.status is ListChangeStatus.IN_FORCE
    with container.uow() as uow:  # not part of Annex I: the Union list is as it was
        assert controllist.current_history(uow, container.catalogue).latest.version_id != "2026-12"
    audiences = {(n["name"], n["audience"]) for n in adopted.notified}
    assert ("Acme GmbH", "exporter") in audiences
    assert ("Commission", "commission") in audiences  # Art. 9(2)
    assert ("SBDU", "authority") in audiences
    assert ("Rival SAS", "exporter") not in audiences


def test_impact_counts_applications_licences_and_registrations(container: Container, world: World) -> None:
    with container.uow() as uow:
        generalauth.register(uow, world.acme.principal, container.rulebook, "EU001")
    desk = world.desk.principal
    change_id = _draft(container, desk)
    with container.uow() as uow:
        report = listchange.impact(uow, desk, container.catalogue, container.rulebook, change_id)
    kinds = {a.subject.kind for a in report.affected}
    assert kinds == {SubjectKind.CLASSIFICATION, SubjectKind.GA_REGISTRATION}
    assert report.exporters == (world.acme.organisation.id,)


def test_withdrawn_changes_stay_public_with_their_reason(container: Container, world: World) -> None:
    desk = world.desk.principal
    change_id = _draft(container, desk)
    with container.uow() as uow, pytest.raises(ValidationError):
        listchange.withdraw(uow, desk, change_id, reason=" ")
    with container.uow() as uow:
        listchange.withdraw(uow, desk, change_id, reason="Superseded")
    with container.uow() as uow:
        stored = listchange.visible(uow, Principal.public(), change_id)
    assert stored.change.status is ListChangeStatus.WITHDRAWN
    assert stored.change.withdrawal_reason == "Superseded"


# --- the pages and the API -------------------------------------------------------------------------------
def _client(container: Container, email: str | None = None) -> tuple[TestClient, str]:
    web = TestClient(create_app(container=container))
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/login").text)
    assert token is not None
    if email is not None:
        signed = web.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token[1]})
        assert signed.status_code == 200
    return web, token[1]


def test_the_life_through_the_pages(container: Container, world: World) -> None:
    desk, csrf = _client(container, world.desk.email)
    drafted = desk.post(
        "/list-changes/new",
        data={
            "title": "Web amendment",
            "rationale": "Regime decisions.",
            "version_id": "2026-12",
            "proposed_effective_from": (today_in_brussels() + timedelta(days=60)).isoformat(),
            "body": BODY,
            "csrftoken": csrf,
        },
        follow_redirects=False,
    )
    assert drafted.status_code == 303, drafted.text
    manage_url = drafted.headers["location"]
    change_id = int(manage_url.split("/")[2])
    page = desk.get(manage_url)
    assert "5A001.k" in page.text
    assert 'data-exporter="' in page.text  # the impact names Acme
    # the public does not see the draft
    public, public_csrf = _client(container)
    assert public.get(f"/list-changes/{change_id}").status_code == 404
    end = (today_in_brussels() + timedelta(days=30)).isoformat()
    opened = desk.post(
        f"/list-changes/{change_id}/open",
        data={"comment_period_end": end, "expected_version": "1", "csrftoken": csrf},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert f'data-change="{change_id}"' in public.get("/list-changes").text
    shown = public.get(f"/list-changes/{change_id}")
    assert "Send a comment" in shown.text
    empty = public.post(
        f"/list-changes/{change_id}/comments",
        data={"author_name": "", "organisation_type": "", "text": "", "csrftoken": public_csrf},
    )
    assert empty.status_code == 400
    assert "Enter your comment" in empty.text
    sent = public.post(
        f"/list-changes/{change_id}/comments",
        data={
            "author_name": "Jo",
            "organisation_name": "Open Rights",
            "organisation_type": "civil_society",
            "text": "Explain 5A001.k please",
            "csrftoken": public_csrf,
        },
    )
    assert sent.status_code == 200
    assert "Comment sent" in sent.text
    assert "Explain 5A001.k please" not in public.get(f"/list-changes/{change_id}").text
    with container.uow() as uow:
        comment_id = uow.list_changes.comments(change_id)[0].id
    no_reason = desk.post(
        f"/list-changes/{change_id}/comments/{comment_id}/moderation",
        data={"action": "reject", "reason": "", "csrftoken": csrf},
    )
    assert no_reason.status_code == 400
    assert f'id="reason-{comment_id}"' in no_reason.text
    desk.post(
        f"/list-changes/{change_id}/comments/{comment_id}/moderation",
        data={"action": "publish", "reason": "", "csrftoken": csrf},
    )
    assert "Explain 5A001.k please" in public.get(f"/list-changes/{change_id}").text
    # the API: the public list, the change without impact for the public, with it for the proposer
    listed = public.get("/api/v1/list-changes").json()
    assert [c["id"] for c in listed] == [change_id]
    body = public.get(f"/api/v1/list-changes/{change_id}").json()
    assert body["impact"] is None
    assert [c["text"] for c in body["comments"]] == ["Explain 5A001.k please"]
    assert {e["code"] for e in body["diff"]["added"]} == {"5A001.k"}
    with_impact = desk.get(f"/api/v1/list-changes/{change_id}").json()
    assert with_impact["impact"]["by_state"] == {"DE": {"classification": 1}}
    api_comment = TestClient(create_app(container=container)).post(  # an API client carries no cookie
        f"/api/v1/list-changes/{change_id}/comments",
        json={"author_name": "Ann", "organisation_type": "industry", "text": "Fine by us"},
    )
    assert api_comment.status_code == 201
    # close (after the period) and adopt, in force today: Acme is told, Rival is not
    with container.uow() as uow:
        listchange.close_comments(
            uow, world.desk.principal, change_id, today=today_in_brussels() + timedelta(days=31)
        )
    adopted = desk.post(
        f"/list-changes/{change_id}/adopt",
        data={"effective_from": today_in_brussels().isoformat(), "csrftoken": csrf},
        follow_redirects=False,
    )
    assert adopted.status_code == 303
    assert "Acme GmbH (exporter)" in desk.get(manage_url).text
    told = desk.get(f"/api/v1/list-changes/{change_id}").json()["impact"]["notified"]
    assert {(n["name"], n["audience"]) for n in told} == {("Acme GmbH", "exporter"), ("BAFA", "authority")}
    acme, acme_csrf = _client(container, world.acme.email)
    page = acme.get("/list-changes/notifications")
    assert "Web amendment" in page.text
    assert "Encryptor" in page.text
    assert 'data-todo-key="list_changes" data-count="1"' in acme.get("/").text
    with container.uow() as uow:
        notice_id = listchange.notices(uow, world.acme.principal)[0].id
    read = acme.post(
        f"/list-changes/notifications/{notice_id}/read", data={"csrftoken": acme_csrf}, follow_redirects=False
    )
    assert read.status_code == 303
    assert 'data-todo-key="list_changes" data-count="0"' in acme.get("/").text
    rival, _ = _client(container, world.rival.email)
    assert "Web amendment" not in rival.get("/list-changes/notifications").text


def test_an_exporter_cannot_draft_or_manage(container: Container, world: World) -> None:
    change_id = _draft(container, world.desk.principal)
    acme, _csrf = _client(container, world.acme.email)
    assert acme.get("/list-changes/new").status_code == 403
    assert acme.get(f"/list-changes/{change_id}/manage").status_code == 404  # a draft is not told of
    assert acme.get("/api/v1/list-changes").json() == []


def test_the_command_line_lists_changes_and_enters_those_due_into_force(
    container: Container, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    desk = world.desk.principal
    change_id = _draft(container, desk)
    _open_and_close(container, desk, change_id)
    later = today_in_brussels() + timedelta(days=3)
    with container.uow() as uow:
        listchange.adopt(uow, desk, container.catalogue, container.rulebook, change_id, effective_from=later)
    runner = CliRunner()
    listed = runner.invoke(cli, ["list-changes", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)[0]["status"] == "adopted"
    early = runner.invoke(cli, ["list-changes", "enter-into-force"])
    assert "0 list change(s)" in early.output
    with container.uow() as uow:  # on its date, as the cron job would run it
        assert listchange.enter_due_into_force(uow, today=later, actor="cron") == [change_id]
        assert len(listchange.notices(uow, world.acme.principal)) == 1
