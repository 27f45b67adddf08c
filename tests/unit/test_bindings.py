"""What binds a determination from outside its facts (issue 17): the Union's published Art. 5 requirement and
the authority's notice, table cases naming the article each exercises."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.adapters.sources.controllist_view import shipped_list_source
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import ValidationError
from dualuse.domain.notices.binding import union_requirement
from dualuse.domain.notices.model import (
    AuthorityNotice,
    NoticeArticle,
    NoticeScope,
    NoticeStatus,
    NoticeSubject,
    notice_binding,
)
from dualuse.services.determination import DeterminationInputs, determine_case

DAY = date(2026, 12, 1)


def notice(article: str, scope: str, **subject: str) -> AuthorityNotice:
    return AuthorityNotice(
        id=7,
        member_state="DE",
        organisation_id=1,
        organisation_name="Acme GmbH",
        article=NoticeArticle(article),
        subject=NoticeSubject.of(scope, **subject),
        reason="reason",
        issued_on=DAY,
        issued_by="officer",
        status=NoticeStatus.IN_FORCE,
    )


def case(
    activity: str = "export", destination: str = "IN", end_user: str = "Institute X", **item: object
) -> dict[str, object]:
    return {
        "activity": activity,
        "date": DAY.isoformat(),
        "exporter": {"member_state": "DE"},
        "destination": destination,
        "end_user": {"name": end_user, "country": destination, "type": "research"},
        "items": [{"id": "1", "description": "vacuum pump", "control_code": None} | item],
    }


def answer(bindings: tuple[object, ...], data: dict[str, object]) -> tuple[str, list[str]]:
    inputs = DeterminationInputs(load_rulebook(), shipped_list_source(), bindings)  # type: ignore[arg-type]
    item = determine_case(inputs, data).determination.items[0]
    return item.outcome.value, list(item.legal_basis)


@pytest.mark.parametrize(
    ("article", "scope", "subject", "data", "bound"),
    [
        ("4(1)", "end_user", {"destination": "IN", "end_user": "INSTITUTE X Ltd."}, case(), True),
        ("4(1)", "end_user", {"destination": "IN", "end_user": "Institute Y"}, case(), False),
        ("4(1)", "destination", {"destination": "IN"}, case(), True),
        ("4(1)", "destination", {"destination": "BR"}, case(), False),
        ("4(1)", "transaction", {"destination": "IN", "end_user": "Institute X", "item": "Vacuum pump"}, case(), True),
        ("4(1)", "transaction", {"destination": "IN", "end_user": "Institute X", "item": "centrifuge"}, case(), False),
        ("4(1)", "destination", {"destination": "IN"}, case(control_code="5A002.a", description="crypto"), True),
        ("6(1)", "destination", {"destination": "IN"}, case("brokering"), True),
        ("6(1)", "destination", {"destination": "IN"}, case(), False),  # Art. 6(1) is about brokering
        ("8(1)", "destination", {"destination": "IN"}, case("technical_assistance"), True),
        ("5(1)", "destination", {"destination": "IN"}, case(), True),
    ],
)  # fmt: skip
def test_f17_a_notice_binds_what_it_covers_under_its_article(
    article: str, scope: str, subject: dict[str, str], data: dict[str, object], bound: bool
) -> None:
    given = notice(article, scope, **subject)
    outcome, basis = answer((notice_binding(given),), data)
    free_outcome, _ = answer((), data)
    if bound:
        assert outcome == "licence_required"
        assert f"Regulation (EU) 2021/821, Art. {article}" in basis
        assert given.citation in basis
    else:
        assert outcome == free_outcome
        assert given.citation not in basis


def test_f17_a_notice_never_lowers_a_prohibition() -> None:
    """A sanctions prohibition (Reg. (EU) 833/2014) stays: the notice is a floor, not a ceiling."""
    given = notice("4(1)", "destination", destination="RU")
    outcome, basis = answer((notice_binding(given),), case(destination="RU", control_code="5A002.a"))
    assert outcome == "prohibited"
    assert given.citation in basis


def test_f17_a_published_requirement_covers_essentially_identical_non_listed_items_only() -> None:
    """Art. 5(1) with Art. 5(6) [M]: same destination, end-user and item once normalised; listed items are
    under Art. 3 already."""
    binding = union_requirement(
        1, destination="EG", end_user="Ministry X", item="Monitoring software", imposing_state="DE"
    )
    data = case(destination="EG", end_user="MINISTRY X LLC", description="monitoring  software")
    outcome, basis = answer((binding,), data)
    assert outcome == "licence_required"
    # the same end-user spelled otherwise is matched by name matching, another end-user is not
    assert answer(
        (binding,), case(destination="EG", end_user="Ministery X", description="Monitoring software")
    )[0] == ("licence_required")
    assert (
        "Regulation (EU) 2021/821, Art. 5(6)"
        not in answer(
            (binding,), case(destination="EG", end_user="Ministry Y", description="Monitoring software")
        )[1]
    )
    assert basis[-2:] == ["Regulation (EU) 2021/821, Art. 5(1)", "Regulation (EU) 2021/821, Art. 5(6)"]
    listed = case(
        destination="EG", end_user="Ministry X", description="Monitoring software", control_code="5A002.a"
    )
    assert "Regulation (EU) 2021/821, Art. 5(6)" not in answer((binding,), listed)[1]


@pytest.mark.parametrize(
    ("scope", "subject", "field"),
    [
        ("end_user", {"destination": "IN"}, "end_user"),
        ("transaction", {"destination": "IN", "end_user": "X"}, "item"),
        ("destination", {"destination": "ZZ"}, "destination"),
        ("planet", {"destination": "IN"}, "scope"),
    ],
)
def test_f17_a_notice_names_what_it_is_about(scope: str, subject: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        NoticeSubject.of(scope, **subject)
    assert raised.value.field == field


def test_scope_words() -> None:
    assert (
        NoticeSubject.of(NoticeScope.DESTINATION, destination="ir").words == "every transaction to Iran (IR)"
    )
