"""The Art. 5 exchange between member states: requirement keys and the consultation outcome
(Art. 5(4)–(6); paragraphs beyond (4) unverified; Art. 2(22) [M])."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.duediligence import (
    ART5_PARAGRAPHS_VERIFIED,
    ConsultationOutcome,
    RequirementKey,
    View,
    consultation_outcome,
    normalise_end_user,
    normalise_item,
)
from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

END_USERS = [
    ("Acme Systems GmbH", "acme systems"),
    ("ACME SYSTEMS", "acme systems"),
    ("Acme  Systems, GmbH & Co. KG", "acme systems"),
    ("Acme Systems Ltd.", "acme systems"),
    ("Acme Systems Co., Ltd.", "acme systems"),
    ("Acme-Systems LLC", "acme systems"),
    ("Acme Systems S.A.", "acme systems"),
    ("Acme Systems SAS", "acme systems"),
    ("OOO Acme Systems", "acme systems"),
    ("ООО «Ромашка»", "ромашка"),
    ("Société Générale Sécurité S.A.R.L.", "societe generale securite"),
    ("Müller's Überwachung AG", "mullers uberwachung"),
    ("GmbH", "gmbh"),  # a name that is only a legal form keeps it
    ("Ltd Co", "ltd"),
    ("Systems Limited Liability Company", "systems"),
    ("Sp. z o.o. Acme", "sp z oo acme"),  # Polish form trails the name; in front it stays
    ("Acme Sp. z o.o.", "acme"),
]


@pytest.mark.parametrize(("raw", "normal"), END_USERS)
def test_end_user_names_are_normalised(raw: str, normal: str) -> None:
    assert normalise_end_user(raw) == normal


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_end_user(text)
    assert normalise_end_user(once) == once
    item = normalise_item(text)
    assert normalise_item(item) == item


def test_a_key_normalises_its_parts() -> None:
    key = RequirementKey.of(" cn ", "Acme Systems GmbH", "  IMSI-Catcher,  model X ")
    assert key == RequirementKey(destination="CN", end_user="acme systems", item="imsi catcher model x")


@pytest.mark.parametrize(
    ("other", "identical"),
    [
        (("CN", "ACME SYSTEMS LTD", "imsi catcher model x"), True),
        (("cn", "Acme Systems", "IMSI catcher — Model X"), True),
        (("HK", "Acme Systems GmbH", "IMSI catcher model X"), False),
        (("CN", "Acme Security GmbH", "IMSI catcher model X"), False),
        # the same end-user by name matching, not the same string: a typo, a hyphen
        (("CN", "Acme Sistems", "IMSI catcher model X"), True),
        (("CN", "ACME-SYSTEMS", "IMSI catcher model X"), True),
        (("CN", "Acme Systems GmbH", "IMSI catcher model Y"), False),
    ],
)
def test_essentially_identical(other: tuple[str, str, str], identical: bool) -> None:
    """Art. 2(22) [M]: same parameters and the same end-user or consignee."""
    key = RequirementKey.of("CN", "Acme Systems GmbH", "IMSI catcher model X")
    assert key.essentially_identical(RequirementKey.of(*other)) is identical
    assert RequirementKey.of(*other).essentially_identical(key) is identical


def test_essentially_identical_tolerates_keys_built_without_of() -> None:
    raw = RequirementKey(destination="cn", end_user="Acme Systems GmbH", item="IMSI catcher")
    assert raw.essentially_identical(RequirementKey.of("CN", "acme systems", "imsi catcher"))


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("China", "Acme", "x"), "destination"),
        (("CN", "GmbH ", "x"), None),
        (("CN", " ... ", "x"), "end_user"),
        (("CN", "Acme", " - "), "item"),
    ],
)
def test_a_key_refuses_bad_parts(args: tuple[str, str, str], field: str | None) -> None:
    if field is None:
        RequirementKey.of(*args)
        return
    with pytest.raises(ValidationError) as raised:
        RequirementKey.of(*args)
    assert raised.value.field == field


STATES = sorted(EU_MEMBER_STATES)
OTHERS = [s for s in STATES if s != "DE"]


@pytest.mark.parametrize(
    ("views", "outcome"),
    [
        ({}, ConsultationOutcome.PENDING),
        (dict.fromkeys(OTHERS, View.AGREE), ConsultationOutcome.PUBLISHED),
        ({**dict.fromkeys(OTHERS, View.AGREE), "DE": View.DISAGREE}, ConsultationOutcome.PUBLISHED),
        (dict.fromkeys(OTHERS[:-1], View.AGREE), ConsultationOutcome.PENDING),
        ({**dict.fromkeys(OTHERS[:-1], View.AGREE), OTHERS[-1]: View.PENDING}, ConsultationOutcome.PENDING),
        ({"FR": View.DISAGREE}, ConsultationOutcome.NOT_UNANIMOUS),
        ({**dict.fromkeys(OTHERS, View.AGREE), "FR": View.DISAGREE}, ConsultationOutcome.NOT_UNANIMOUS),
        ({**dict.fromkeys(OTHERS, View.AGREE), "US": View.DISAGREE}, ConsultationOutcome.PUBLISHED),
    ],
    ids=[
        "no views",
        "all others agree",
        "the imposing state's own view does not count",
        "one missing",
        "one pending",
        "one disagrees",
        "all agree but one",
        "a non-member's view does not count",
    ],
)
def test_consultation_outcome(views: dict[str, View], outcome: ConsultationOutcome) -> None:
    """Art. 5(5)–(6) [unverified]: publication needs every other member state to agree."""
    assert consultation_outcome("DE", views, STATES) == outcome


def test_the_outcome_values_are_the_agreed_words() -> None:
    assert consultation_outcome("DE", {}, STATES) == "pending"
    assert consultation_outcome("DE", {"FR": "disagree"}, ["DE", "FR"]) == "not_unanimous"  # type: ignore[dict-item]  # stored text
    assert consultation_outcome("de", {"fr": View.AGREE}, ["DE", "FR"]) == "published"


def test_a_consultation_needs_another_state() -> None:
    with pytest.raises(ValidationError):
        consultation_outcome("DE", {}, ["DE"])


def test_the_unverified_paragraphs_are_marked() -> None:
    assert ART5_PARAGRAPHS_VERIFIED is False
