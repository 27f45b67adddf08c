"""The amendment file a draft makes: the version block written from the draft, the drafter's sections."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from dualuse.domain.errors import ValidationError
from dualuse.domain.listchange import amendment_text, check_body, check_version_id


def test_the_version_block_is_written_from_the_draft() -> None:
    text = amendment_text(
        version_id="2027-06",
        title='A "quoted" title: with a colon',
        legal_source="Art. 17(1)",
        effective_from=date(2027, 6, 1),
        body='remove:\n  - "5A001.k"\n',
    )
    document = yaml.safe_load(text)
    assert document["kind"] == "amendment"
    assert document["version"]["title"] == 'A "quoted" title: with a colon'
    assert document["version"]["effective_from"] == date(2027, 6, 1)
    assert document["remove"] == ["5A001.k"]


@pytest.mark.parametrize(
    "body", ["version:\n  id: x\nremove: []", "kind: amendment\nadd: []", "hello: []", ""]
)
def test_a_body_of_its_own_version_or_without_sections_is_refused(body: str) -> None:
    with pytest.raises(ValidationError):
        check_body(body)


@pytest.mark.parametrize(("value", "ok"), [("2027-06", True), ("2027-06-national-de", True), ("June", False)])
def test_version_ids(value: str, ok: bool) -> None:
    if ok:
        assert check_version_id(value) == value
    else:
        with pytest.raises(ValidationError):
            check_version_id(value)
