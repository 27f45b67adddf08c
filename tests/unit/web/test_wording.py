"""Plain words on pages, safe sign-in targets, the form-error helper and links to the official texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.errors import ValidationError
from dualuse.entrypoints.http.wording import plain, safe_next
from dualuse.entrypoints.web.answer import eurlex_url, link_acts, plain_answer
from dualuse.entrypoints.web.forms import FormErrors, required


@pytest.mark.parametrize(
    ("internal", "shown"),
    [
        ("control_code must not be empty", "Enter the control code"),
        (
            "value_eur has at most 2 decimal places, not 1.001",
            "Value in euro has at most 2 decimal places, not 1.001",
        ),
        ("give the item line as a whole number, e.g. 1", "Give the item line as a whole number, e.g. 1"),
        ("decide true_match or false_positive", "Decide true match or false positive"),
        ("", "Check what you entered"),
    ],
)
def test_messages_never_show_internal_field_names(internal: str, shown: str) -> None:
    assert plain(internal) == shown


@given(st.text(max_size=200))
def test_plain_never_leaves_an_underscore(text: str) -> None:
    assert "_" not in plain(text)


@pytest.mark.parametrize("target", ["/screening/hits", "/applications/3?x=1", "/verify/DE-2026-000001"])
def test_local_paths_are_safe_next_targets(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "evil",
        "",
        "/x\r\nSet-Cookie: a=b",
        "javascript:x",
    ],
)
def test_other_sites_are_never_next_targets(target: str) -> None:
    assert safe_next(target) is None


@given(st.text(max_size=100))
def test_a_safe_next_target_is_always_a_local_path(target: str) -> None:
    found = safe_next(target)
    assert found is None or (found.startswith("/") and not found.startswith("//") and "\\" not in found)


def test_form_errors_list_each_field_once_in_order_with_its_id() -> None:
    errors = FormErrors(default="a", ids={"quantity": "ship_quantity"})
    required(errors, {"a": " ", "b": "x"}, {"a": "Enter a", "b": "Enter b"})
    errors.add_exception(ValidationError("quantity must be positive, not 0", field="quantity"))
    errors.add("a", "a second message for a")
    errors.add_exception(ValidationError("no field"))
    assert errors.as_list() == [
        {"field": "a", "text": "Enter a"},
        {"field": "ship_quantity", "text": "Quantity must be positive, not 0"},
    ]


@pytest.mark.parametrize(
    ("citation", "url"),
    [
        ("Regulation (EU) 2021/821, Art. 3(1)", "https://eur-lex.europa.eu/eli/reg/2021/821/oj"),
        ("Council Regulation (EU) No 833/2014, Art. 12g(1)", "https://eur-lex.europa.eu/eli/reg/2014/833/oj"),
        ("Council Regulation (EC) No 765/2006, Art. 8g(1)", "https://eur-lex.europa.eu/eli/reg/2006/765/oj"),
    ],
)
def test_regulations_cited_link_to_their_official_text(citation: str, url: str) -> None:
    linked = str(link_acts(citation))
    assert f'href="{url}"' in linked
    assert linked.endswith(citation.split(",", 1)[1]) if "," in citation else True


def test_eli_takes_year_then_number() -> None:
    assert eurlex_url("2021", "821").endswith("/2021/821/oj")
    assert eurlex_url("2024", "2547").endswith("/2024/2547/oj")
    assert eurlex_url("833", "2014", numbered_first=True).endswith("/2014/833/oj")
    assert 'href="https://eur-lex.europa.eu/eli/reg/2024/2547/oj"' in str(
        link_acts("Del. Reg. (EU) 2024/2547")
    )


def test_links_escape_the_rest_of_the_text() -> None:
    assert "<b>" not in str(link_acts("<b>Regulation (EU) 2021/821</b>"))


def test_engine_sentences_lose_their_internal_names() -> None:
    text = "Is the end-user on ru_833_annex_iv? Screen it and answer with end_user.listed_in (matters)."
    said = plain_answer(text)
    assert "ru_833" not in said
    assert "end_user.listed_in" not in said
    assert "Annex IV of Regulation (EU) No 833/2014" in said
