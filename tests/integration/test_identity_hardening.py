"""Security review findings on sign-in, sessions, tokens, users and anonymous throttling (issue #11: F5, F6,
F8, F14, F22), through the web app and the API on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container, bootstrap
from dualuse.domain.errors import ValidationError
from dualuse.domain.identity import Organisation, OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import audit, identity
from tests.factories import PASSWORD, make_organisation, make_person, manual_clock, token_for

ADMIN = "admin@acme.example"
CLERK = "clerk@acme.example"
RIVAL = "admin@rival.example"


@pytest.fixture
def world(container: Container) -> dict[str, Organisation]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
    make_person(container, acme, Role.EXPORTER_ADMIN, ADMIN)
    make_person(container, acme, Role.EXPORTER_USER, CLERK)
    make_person(container, rival, Role.EXPORTER_ADMIN, RIVAL)
    return {"acme": acme, "rival": rival}


def browser(container: Container) -> TestClient:
    return TestClient(create_app(container=container))


def csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert match, f"{path} carries a CSRF token"
    return match.group(1)


def post_login(client: TestClient, email: str, password: str) -> Any:
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrftoken": csrf(client)},
        follow_redirects=False,
    )


def signed_in(container: Container, email: str) -> TestClient:
    client = browser(container)
    assert post_login(client, email, PASSWORD).status_code == 303
    return client


def post_form(client: TestClient, path: str, data: dict[str, str] | None = None) -> Any:
    return client.post(
        path, data={**(data or {}), "csrftoken": csrf(client, "/account")}, follow_redirects=False
    )


def user_id(container: Container, email: str) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(t.users.c.id).where(t.users.c.email == email)).scalar_one())


def audit_events(container: Container) -> list[Any]:
    with container.uow() as uow:
        return list(uow.audit.all())


# --- F5: throttled sign-in ------------------------------------------------------------------------------
def test_f5_failed_sign_ins_lock_the_account_with_a_clear_message(
    container: Container, world: dict[str, Organisation]
) -> None:
    client = browser(container)
    for _ in range(5):
        assert post_login(client, ADMIN, "not the password").status_code == 400
    refused = post_login(client, ADMIN, PASSWORD)  # even the right password, while locked
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.text
    assert "try again in 15 minutes" in refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert post_login(client, ADMIN, PASSWORD).status_code == 429
    # another account from the same address is not locked by this account's failures
    assert post_login(browser(container), CLERK, PASSWORD).status_code == 303
    actions = [e.action for e in audit_events(container)]
    assert actions.count("user.sign_in_failed") == 5
    assert (
        actions.count("user.sign_in_throttled") == 1
    )  # the first refusal only: a flood cannot fill the trail


def test_f5_failures_from_one_address_are_limited_across_accounts(
    container: Container, world: dict[str, Organisation]
) -> None:
    client = browser(container)
    for n in range(20):  # many different e-mails, each below its own account limit
        assert post_login(client, f"guess{n}@acme.example", "not the password").status_code == 400
    assert post_login(client, RIVAL, PASSWORD).status_code == 429


def test_f5_only_failures_count(container: Container, world: dict[str, Organisation]) -> None:
    """Fixtures and people who sign in many times are never locked out by signing in."""
    for _ in range(12):
        client = browser(container)
        assert post_login(client, ADMIN, PASSWORD).status_code == 303
    client = browser(container)
    for _ in range(4):
        assert post_login(client, ADMIN, "not the password").status_code == 400
    assert post_login(client, ADMIN, PASSWORD).status_code == 303


def test_f5_the_lockout_is_shared_by_every_app_process(
    container: Container, world: dict[str, Organisation]
) -> None:
    """Counters live in the database: a second app (another process in production) sees the lockout."""
    other = bootstrap(container.settings)
    try:
        first, second = browser(container), TestClient(create_app(container=other))
        for _ in range(3):
            assert post_login(first, ADMIN, "not the password").status_code == 400
        for _ in range(2):
            assert post_login(second, ADMIN, "not the password").status_code == 400
        assert post_login(first, ADMIN, PASSWORD).status_code == 429
    finally:
        other.engine.dispose()


def test_f5_unknown_and_known_emails_answer_alike(
    container: Container, world: dict[str, Organisation]
) -> None:
    client = browser(container)
    unknown = post_login(client, "nobody@acme.example", "not the password")
    known = post_login(client, ADMIN, "not the password")
    assert unknown.status_code == known.status_code == 400
    assert unknown.text.replace("nobody@acme.example", ADMIN) == known.text.replace(
        csrf_value(known.text), csrf_value(unknown.text)
    )


def csrf_value(page: str) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', page)
    return match.group(1) if match else ""


# --- F6: sessions, tokens, users ------------------------------------------------------------------------
def test_f6_sign_out_ends_the_session_on_the_server(
    container: Container, world: dict[str, Organisation]
) -> None:
    client = signed_in(container, ADMIN)
    stolen = dict(client.cookies)
    assert client.post("/logout", data={"csrftoken": csrf(client, "/account")}).status_code == 200
    replay = browser(container)
    replay.cookies.update(stolen)  # the cookie copied before signing out is worthless afterwards
    assert replay.get("/account", follow_redirects=False).status_code == 303


def test_f6_a_deactivated_user_is_signed_out_and_refused(
    container: Container, world: dict[str, Organisation]
) -> None:
    clerk = signed_in(container, CLERK)
    token = token_for(container, CLERK)
    admin = signed_in(container, ADMIN)
    response = post_form(admin, f"/account/users/{user_id(container, CLERK)}/deactivate")
    assert response.status_code == 200
    assert f"{CLERK} is deactivated" in response.text
    assert clerk.get("/account", follow_redirects=False).status_code == 303
    api = TestClient(create_app(container=container), headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/me").status_code == 401
    assert post_login(browser(container), CLERK, PASSWORD).status_code == 400
    assert post_form(admin, f"/account/users/{user_id(container, CLERK)}/activate").status_code == 200
    assert post_login(browser(container), CLERK, PASSWORD).status_code == 303


def test_f6_a_role_change_ends_the_users_sessions(
    container: Container, world: dict[str, Organisation]
) -> None:
    clerk = signed_in(container, CLERK)
    admin = signed_in(container, ADMIN)
    changed = post_form(admin, f"/account/users/{user_id(container, CLERK)}/role", {"role": "exporter_admin"})
    assert changed.status_code == 200
    assert f"{CLERK} is now exporter admin" in changed.text
    assert clerk.get("/account", follow_redirects=False).status_code == 303
    again = signed_in(container, CLERK)
    assert "exporter admin" in again.get("/account").text


def test_f6_an_exporter_admin_manages_only_their_own_organisation(
    container: Container, world: dict[str, Organisation]
) -> None:
    admin = signed_in(container, ADMIN)
    grant = post_form(admin, f"/account/users/{user_id(container, CLERK)}/role", {"role": "authority_senior"})
    assert grant.status_code == 422
    assert "does not fit an organisation of kind exporter" in grant.text
    foreign = post_form(admin, f"/account/users/{user_id(container, RIVAL)}/deactivate")
    assert foreign.status_code == 404
    self_demotion = post_form(
        admin, f"/account/users/{user_id(container, ADMIN)}/role", {"role": "exporter_user"}
    )
    assert self_demotion.status_code == 403
    clerk = signed_in(container, CLERK)
    assert post_form(clerk, f"/account/users/{user_id(container, ADMIN)}/deactivate").status_code == 403
    with container.engine.connect() as conn:
        rows = conn.execute(select(t.users.c.email, t.users.c.role, t.users.c.is_active)).all()
    assert sorted(rows) == [
        (ADMIN, "exporter_admin", True),
        (RIVAL, "exporter_admin", True),
        (CLERK, "exporter_user", True),
    ]


def test_f6_a_read_only_token_cannot_write(container: Container, world: dict[str, Organisation]) -> None:
    with container.uow() as uow:
        issued = identity.create_token(uow, actor="test", email=ADMIN, name="reports", scope="read")
        uow.commit()
    api = TestClient(create_app(container=container), headers={"Authorization": f"Bearer {issued.token}"})
    assert api.get("/api/v1/me").status_code == 200
    refused = api.post("/api/v1/screening/parties", json={"name": "Acme Trading"})
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    with container.engine.connect() as conn:
        assert conn.execute(select(t.parties.c.id)).all() == []
    writer = TestClient(
        create_app(container=container), headers={"Authorization": f"Bearer {token_for(container, ADMIN)}"}
    )
    assert writer.post("/api/v1/screening/parties", json={"name": "Acme Trading"}).status_code == 201


def test_f6_tokens_expire_and_can_be_revoked(container: Container, world: dict[str, Organisation]) -> None:
    clock = manual_clock(container)
    with container.uow() as uow:
        issued = identity.create_token(uow, actor="test", email=ADMIN, name="ci")
        uow.commit()
    assert issued.expires_at == clock.now() + timedelta(days=90)
    with container.uow() as uow, pytest.raises(ValidationError, match="1 to 365 days"):
        identity.create_token(uow, actor="test", email=ADMIN, name="forever", valid_days=0)
    api = TestClient(create_app(container=container), headers={"Authorization": f"Bearer {issued.token}"})
    clock.advance(timedelta(days=90) - timedelta(seconds=1))
    assert api.get("/api/v1/me").status_code == 200
    clock.advance(timedelta(seconds=1))
    expired = api.get("/api/v1/me")
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]

    fresh = token_for(container, ADMIN)
    api = TestClient(create_app(container=container), headers={"Authorization": f"Bearer {fresh}"})
    admin = signed_in(container, ADMIN)
    page = admin.get("/account")
    assert fresh[:10] in page.text
    token_id = int(re.findall(r"/account/tokens/(\d+)/revoke", page.text)[0])
    revoked = post_form(admin, f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 200
    assert "is revoked" in revoked.text
    assert api.get("/api/v1/me").status_code == 401


def test_f6_a_user_signs_out_their_other_sessions(
    container: Container, world: dict[str, Organisation]
) -> None:
    laptop = signed_in(container, ADMIN)
    phone = signed_in(container, ADMIN)
    page = laptop.get("/account")
    assert page.text.count("testclient") == 2
    assert "this browser" in page.text
    ended = post_form(laptop, "/account/sessions/sign-out-others")
    assert "Signed out of 1 other session" in ended.text
    assert phone.get("/account", follow_redirects=False).status_code == 303
    assert laptop.get("/account", follow_redirects=False).status_code == 200


def test_f6_a_token_holder_lists_their_tokens_through_the_api(
    container: Container, world: dict[str, Organisation]
) -> None:
    own = token_for(container, CLERK)
    token_for(container, RIVAL)
    api = TestClient(create_app(container=container), headers={"Authorization": f"Bearer {own}"})
    listed = api.get("/api/v1/me/tokens").json()
    assert [(t["prefix"], t["scope"], t["revoked_at"]) for t in listed] == [(own[:10], "write", None)]
    assert own not in json.dumps(listed)


# --- F8: what sign-in, tokens and user administration leave in the audit trail ------------------------
def test_f8_signin_events_are_audited(container: Container, world: dict[str, Organisation]) -> None:
    secret = "a wrong but secret password"
    post_login(browser(container), ADMIN, secret)
    client = signed_in(container, ADMIN)
    bad_token = TestClient(create_app(container=container), headers={"Authorization": "Bearer du_forged"})
    assert bad_token.get("/api/v1/me").status_code == 401
    post_form(client, f"/account/users/{user_id(container, CLERK)}/role", {"role": "exporter_admin"})
    post_form(client, f"/account/users/{user_id(container, CLERK)}/deactivate")
    client.post("/logout", data={"csrftoken": csrf(client, "/account")})
    events = audit_events(container)
    actions = [e.action for e in events]
    for action in (
        "user.sign_in_failed",
        "user.signed_in",
        "token.refused",
        "user.role_changed",
        "user.deactivated",
        "user.signed_out",
    ):
        assert action in actions, action
    failed = next(e for e in events if e.action == "user.sign_in_failed")
    assert failed.after is not None
    assert failed.after["email"] == ADMIN
    assert failed.after["client"] == "testclient"
    assert all(secret not in json.dumps([e.before, e.after, e.reason]) for e in events)
    role = next(e for e in events if e.action == "user.role_changed")
    assert (role.before, role.after, role.actor) == (
        {"email": CLERK, "role": "exporter_user"},
        {"email": CLERK, "role": "exporter_admin"},
        ADMIN,
    )
    with container.uow() as uow:
        assert audit.verify(uow)[1] == []


def test_f8_signin_bad_tokens_are_audited_and_bounded(
    container: Container, world: dict[str, Organisation]
) -> None:
    api = TestClient(create_app(container=container), headers={"Authorization": "Bearer du_guessed"})
    answers = [api.get("/api/v1/me").status_code for _ in range(23)]
    assert answers == [401] * 20 + [429] * 3
    events = [e for e in audit_events(container) if e.entity_type in ("api_token", "throttle")]
    assert [e.action for e in events] == ["token.refused"] * 20 + ["token.throttled"]
    assert events[0].after == {"client": "testclient", "reason": "the API token is unknown"}


# --- F14: anonymous submissions ------------------------------------------------------------------------
REPORT = {
    "organisation_name": "Digital Rights Watch",
    "subject_kind": "end_user",
    "subject": "Surveillance Directorate",
    "what_happened": "Used intercepted messages to arrest journalists",
    "sources": ["https://example.org/report"],
}


def test_f14_anonymous_submissions_are_throttled_per_address(
    container: Container, world: dict[str, Organisation]
) -> None:
    api = TestClient(create_app(container=container))
    form = browser(container)
    bad = {**REPORT, "what_happened": " "}
    assert api.post("/api/v1/submissions", json=bad).status_code == 422  # a mistake does not count
    for _ in range(3):
        assert api.post("/api/v1/submissions", json=REPORT).status_code == 201
    for _ in range(2):
        data = {**REPORT, "sources": REPORT["sources"][0], "csrftoken": csrf(form, "/submissions/new")}
        assert form.post("/submissions/new", data=data).status_code == 200
    refused = api.post("/api/v1/submissions", json=REPORT)
    assert refused.status_code == 429
    assert "too many reports from your network" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) > 0
    data = {**REPORT, "sources": REPORT["sources"][0], "csrftoken": csrf(form, "/submissions/new")}
    page = form.post("/submissions/new", data=data)
    assert page.status_code == 429
    assert "There is a problem" in page.text
    with container.engine.connect() as conn:
        assert len(conn.execute(select(t.submissions.c.id)).all()) == 5


# --- F22: password and e-mail rules --------------------------------------------------------------------
@pytest.mark.parametrize(
    "password",
    ["password1234", "qwertyuiop123", "Password1234!", "iloveyou2024!!", "aaaaaaaaaaaaaa", "abcabcabcabc"],
)
def test_f22_common_passwords_are_refused(
    container: Container, world: dict[str, Organisation], password: str
) -> None:
    with container.uow() as uow, pytest.raises(ValidationError) as refused:
        identity.create_user(
            uow,
            container.hasher,
            actor="t",
            email="new@acme.example",
            full_name="New",
            password=password,
            role=Role.EXPORTER_USER,
            organisation_id=world["acme"].id,
        )
    assert refused.value.field == "password"


@pytest.mark.parametrize(
    "email",
    [
        "<script>alert(1)</script>@acme.example",
        "a<b>c@acme.example",
        '"quoted"@acme.example',
        "o&rsquo;brien@acme.example",
        "name@acme",
        "name@acme..example",
        "name@-acme.example",
    ],
)
def test_f22_markup_and_bad_syntax_in_email_addresses_are_refused(
    container: Container, world: dict[str, Organisation], email: str
) -> None:
    with container.uow() as uow, pytest.raises(ValidationError) as refused:
        identity.create_user(
            uow,
            container.hasher,
            actor="t",
            email=email,
            full_name="New",
            password=PASSWORD,
            role=Role.EXPORTER_USER,
            organisation_id=world["acme"].id,
        )
    assert refused.value.field == "email"


def test_f22_markup_in_a_reporters_contact_email_is_refused(
    container: Container, world: dict[str, Organisation]
) -> None:
    api = TestClient(create_app(container=container))
    refused = api.post(
        "/api/v1/submissions", json={**REPORT, "contact_email": "<img src=x onerror=alert(1)>@x.org"}
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "contact_email"
    accepted = api.post("/api/v1/submissions", json={**REPORT, "contact_email": "Desk@Rights.example"})
    assert accepted.status_code == 201
    with container.engine.connect() as conn:
        assert conn.execute(select(t.submissions.c.contact_email)).scalars().all() == ["desk@rights.example"]


def test_f6_a_token_issued_before_tokens_expired_does_not_live_for_ever(
    container: Container, world: dict[str, Organisation]
) -> None:
    """Tokens issued before migration 0008 carry no expiry (the column allows none). Such a token lives
    no longer than the longest a token can be issued for now (365 days from its creation), and shows so."""
    clock = manual_clock(container)
    with container.uow() as uow:
        issued = identity.create_token(uow, actor="test", email=ADMIN, name="legacy")
        uow.commit()
    api = TestClient(create_app(container=container), headers={"Authorization": f"Bearer {issued.token}"})
    with container.engine.begin() as conn:  # as a token of before the hardening: no expiry
        conn.execute(update(t.api_tokens).values(expires_at=None))
    clock.advance(timedelta(days=30))
    assert api.get("/api/v1/me").status_code == 200
    listed = api.get("/api/v1/me/tokens").json()
    assert listed[0]["expires_at"] is not None, "a token without an expiry is shown with the one it has"
    clock.advance(timedelta(days=336))
    old = api.get("/api/v1/me")
    assert old.status_code == 401
    assert "expired" in old.json()["detail"]
