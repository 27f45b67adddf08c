"""Customs on the web (issue 19, point 6; Art. 21), on SQLite and PostgreSQL: a customs officer looks up a
licence by its number and sees what a declaration needs and nothing of the application behind it; writes a
declaration off, which depletes the licence, while an over-draw is refused with nothing written; suspends a
shipment (Art. 21(3)) with the deadline of the consulted authority. Nobody but customs uses these pages."""

from __future__ import annotations

import re

from dualuse.bootstrap import Container
from dualuse.services.clock import today_in_brussels
from tests.integration.casework_web import api, decided, licence_number, ok, web, world


def test_customs_look_up_write_off_and_suspend_on_the_web(container: Container) -> None:
    people = world(container)
    number = licence_number(decided(container, people))
    customs, token = web(container, people["customs"])
    assert 'href="/customs"' in customs.get("/").text
    page = customs.get("/customs", params={"number": number.lower()})
    assert page.status_code == 200
    assert "Acme GmbH" in page.text
    assert "DE111" in page.text
    assert "X060" in page.text
    assert "5A002.a" in page.text
    assert "3 / 3 pieces" in page.text
    for secret in ("Network security of a bank", "Buyer Ltd", "no concern"):
        assert secret not in page.text  # the end use, the parties and the assessment stay with the authority
    missing = customs.get("/customs", params={"number": "DE-2026-999999"})
    assert missing.status_code == 404
    assert "No licence or registration DE-2026-999999 was found" in missing.text

    today = today_in_brussels().isoformat()
    record = {
        "csrftoken": token,
        "licence": number,
        "line": "1",
        "quantity": "2",
        "value_eur": "2000.00",
        "declaration": "26DE000000000001",
        "accepted_on": today,
    }
    done = customs.post("/customs/usage", data=record, follow_redirects=False)
    assert done.status_code == 303, done.text
    after = customs.get(done.headers["location"])
    assert "The declaration is written off." in after.text
    assert "1 / 3 pieces" in after.text
    over = customs.post("/customs/usage", data={**record, "declaration": "26DE000000000002"})
    assert over.status_code == 400
    assert "There is a problem" in over.text
    assert "1 / 3 pieces" in customs.get("/customs", params={"number": number}).text  # nothing written
    blank = customs.post("/customs/usage", data={"csrftoken": token})
    assert blank.status_code == 400
    assert "Enter the licence number" in blank.text

    no_ground = customs.post(
        "/customs/holds", data={"csrftoken": token, "h_declaration": "26DE000000000009", "h_note": "x"}
    )
    assert no_ground.status_code == 400
    assert "Choose the ground of Art. 21(3)" in no_ground.text
    held = customs.post(
        "/customs/holds",
        data={
            "csrftoken": token,
            "h_licence": number,
            "h_declaration": "26DE000000000009",
            "h_ground": "a_ii",
            "h_note": "The end-user was listed yesterday",
        },
        follow_redirects=False,
    )
    assert held.status_code == 303, held.text
    page = customs.get(held.headers["location"]).text
    assert "The shipment is suspended." in page
    row = re.search(r"26DE000000000009</td>.*?</tr>", page, re.S)
    assert row is not None
    assert "held" in row.group(0)
    officer_holds = ok(api(container, people["officer"]).get("/api/v1/customs/holds"))["holds"]
    assert [h["declaration"] for h in officer_holds] == [
        "26DE000000000009"
    ]  # the granting state is consulted


def test_only_customs_use_the_customs_pages(container: Container) -> None:
    people = world(container)
    for person in ("acme", "officer", "commission"):
        client, token = web(container, people[person])
        assert client.get("/customs").status_code == 403, person
        assert client.post("/customs/usage", data={"csrftoken": token}).status_code == 403
        assert client.post("/customs/holds", data={"csrftoken": token}).status_code == 403
    anonymous, _ = web(container, None)
    signed_out = anonymous.get("/customs", follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/login")
