"""The public pages and the licence check in German and French (gettext catalogues, issue #13)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container, load_reference_data
from dualuse.entrypoints.http.app import create_app
from dualuse.entrypoints.web.i18n import LOCALE_DIR, choose


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_message_is_translated(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    assert not untranslated
    assert len(list(catalogue)) > 90


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("de", None, "", "de"),
        (None, "fr", "de-DE,de;q=0.9", "fr"),
        (None, None, "fr-BE,fr;q=0.9,en;q=0.5", "fr"),
        (None, None, "it-IT,it;q=0.9", "en"),
        ("xx", None, "de", "de"),
        (None, None, "", "en"),
    ],
)
def test_the_language_is_chosen_by_query_cookie_then_browser(
    query: str | None, cookie: str | None, accept: str, expected: str
) -> None:
    assert choose(query, cookie, accept) == expected


@pytest.mark.parametrize(
    ("language", "heading", "headline"),
    [
        ("de", "Braucht diese Lieferung eine Genehmigung?", "Allgemeingenehmigung"),
        ("fr", "Cette expédition nécessite-t-elle une autorisation ?", "autorisation générale"),
    ],
)
def test_the_licence_check_answers_in_german_and_french(
    container: Container, language: str, heading: str, headline: str
) -> None:
    load_reference_data(container)
    web = TestClient(create_app(container=container))
    form = web.get("/determinations/new", params={"lang": language})
    assert f'<html lang="{language}">' in form.text
    assert heading in form.text
    assert web.cookies.get("lang") == language  # remembered
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token
    answer = web.post(
        "/determinations/new",
        data={
            "csrftoken": token.group(1),
            "activity": "export",
            "member_state": "DE",
            "destination": "US",
            "control_code": "5A002.a",
            "description": "x",
        },
    )
    assert answer.status_code == 200
    assert headline in answer.text
    home = web.get("/")
    assert '<html lang="' + language + '">' in home.text
