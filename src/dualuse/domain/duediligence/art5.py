"""The exchange between member states on Art. 5 requirements for non-listed cyber-surveillance items.

Art. 5(4) [verified]: a member state that imposes an authorisation requirement under Art. 5(1)–(3) informs
the other member states and the Commission. The rest is from memory and NOT verified against the Official
Journal text, including the paragraph numbers: the other member states give their views within 30 working
days (Art. 5(5)); where all agree for essentially identical transactions, the Commission publishes the
items (and destinations) in the C series of the Official Journal (Art. 5(6)). ``ART5_PARAGRAPHS_VERIFIED``
says so to the code that cites them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dualuse.domain.duediligence.deadlines import add_working_days
from dualuse.domain.errors import ValidationError
from dualuse.domain.screening.pairwise import same_party

ART5_PARAGRAPHS_VERIFIED = False
"""Art. 5(4) is verified; the paragraph numbers and content of Art. 5(5)–(6) are from memory."""

CONSULTATION_WORKING_DAYS = 30
"""Working days the other member states have to give their views (Art. 5(5) [unverified])."""


class View(StrEnum):
    """A member state's view on another's Art. 5 requirement (Art. 5(5) [unverified])."""

    PENDING = "pending"
    AGREE = "agree"
    DISAGREE = "disagree"


class ConsultationOutcome(StrEnum):
    """Where the exchange stands (Art. 5(5)–(6) [unverified])."""

    PENDING = "pending"
    """Some member states have not given their view yet."""
    PUBLISHED = "published"
    """Every other member state agrees: the Commission publishes the items in the C series."""
    NOT_UNANIMOUS = "not_unanimous"
    """At least one member state disagrees: nothing is published."""


def consultation_outcome(
    imposing_state: str, views: Mapping[str, View], member_states: Iterable[str]
) -> ConsultationOutcome:
    """The outcome of the exchange: ``published`` when every member state other than ``imposing_state``
    agrees, ``not_unanimous`` as soon as one disagrees, ``pending`` otherwise (Art. 5(5)–(6)
    [paragraphs unverified]). Views of states outside ``member_states`` and of the imposing state do not
    count; a state without a view is pending.
    """
    others = {s.upper() for s in member_states} - {imposing_state.upper()}
    if not others:
        raise ValidationError("there is no other member state to consult", field="member_states")
    given = {state.upper(): View(view) for state, view in views.items()}
    mine = [given.get(state, View.PENDING) for state in sorted(others)]
    if View.DISAGREE in mine:
        return ConsultationOutcome.NOT_UNANIMOUS
    if all(view is View.AGREE for view in mine):
        return ConsultationOutcome.PUBLISHED
    return ConsultationOutcome.PENDING


def view_deadline(notified_on: date, member_state: str) -> date:
    """The last day for ``member_state`` to give its view: 30 of its working days after the notification
    (Art. 5(5) [paragraph unverified])."""
    return add_working_days(notified_on, CONSULTATION_WORKING_DAYS, member_state)


# --- essentially identical transactions -------------------------------------------------------------------

# Legal forms as whole tokens after punctuation is gone ("S.A." is "sa", "sp. z o.o." is "sp z oo"): those
# written after the name, and those (Russian, Kazakh, Indonesian usage) often written before it.
_TRAILING_FORMS = (
    "gmbh", "mbh", "ag", "kg", "ohg", "ug", "ev", "gmbh co kg", "co kg", "ltd", "limited", "llc", "l l c",
    "llp", "lp", "plc", "inc", "incorporated", "corp", "corporation", "co", "company", "co ltd",
    "limited liability company", "pte", "pty", "pvt", "private limited", "sa", "s a", "sas", "sarl", "sasu",
    "snc", "sca", "srl", "spa", "sl", "slu", "ltda", "sa de cv", "bv", "nv", "vof", "ab", "as", "asa", "aps",
    "oy", "oyj", "kft", "zrt", "nyrt", "doo", "dd", "ad", "sp z oo", "spzoo", "sro", "ooo", "oao", "zao",
    "pao", "ao", "jsc", "ojsc", "cjsc", "pjsc", "ооо", "оао", "зао", "пао", "ао", "тоо", "fze", "fzco",
    "fzc", "fzllc", "wll", "sdn bhd", "bhd", "kk", "tbk",
)  # fmt: skip
_LEADING_FORMS = (
    "ooo", "oao", "zao", "pao", "ao", "jsc", "ojsc", "cjsc", "pjsc", "llc", "ооо", "оао", "зао", "пао",
    "ао", "тоо", "too", "pt", "limited liability company",
)  # fmt: skip


def _longest_first(forms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(f.split()) for f in forms}, key=lambda form: (-len(form), form)))


# longest first, so that "limited liability company" goes as a whole and not as "company"
_TRAILING: tuple[tuple[str, ...], ...] = _longest_first(_TRAILING_FORMS)
_LEADING: tuple[tuple[str, ...], ...] = _longest_first(_LEADING_FORMS)
_DROPPED = re.compile(r"[.'’`´]")
_SEPARATORS = re.compile(r"[\W_]+")


def _fold(text: str) -> tuple[str, ...]:
    """Case-fold, drop accents, join abbreviations ("S.A." → "sa") and split on everything else."""
    # compatibility forms first ("🅪" is "MC"), then case-fold, so that the result is already folded
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_SEPARATORS.sub(" ", _DROPPED.sub("", unicodedata.normalize("NFKC", bare))).split())


def _strip_legal_forms(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Remove legal forms at either end of a name, but never the whole name."""
    while True:
        trailing = next((f for f in _TRAILING if len(tokens) > len(f) and tokens[-len(f) :] == f), None)
        if trailing:
            tokens = tokens[: -len(trailing)]
            continue
        leading = next((f for f in _LEADING if len(tokens) > len(f) and tokens[: len(f)] == f), None)
        if leading:
            tokens = tokens[len(leading) :]
            continue
        return tokens


def normalise_end_user(name: str) -> str:
    """An end-user's name as a key: case-folded, without accents, legal forms (GmbH, LLC, Ltd, SA, SAS,
    OOO …) or punctuation, single spaces."""
    return " ".join(_strip_legal_forms(_fold(name)))


def normalise_item(description: str) -> str:
    """An item description (or a control-list category such as "not listed") as a key: case-folded,
    without accents or punctuation, single spaces."""
    return " ".join(_fold(description))


def normalise_destination(code: str) -> str:
    normal = code.strip().upper()
    if len(normal) != 2 or not normal.isascii() or not normal.isalpha():
        raise ValidationError(f"{code!r} is not an ISO 3166-1 alpha-2 code", field="destination")
    return normal


@dataclass(frozen=True)
class RequirementKey:
    """What an Art. 5 requirement is about: destination, end-user and item, each normalised so that
    essentially identical transactions — the same parameters and the same end-user or consignee
    (Art. 2(22) [M]) — have equal keys. Build it with ``RequirementKey.of``."""

    destination: str
    end_user: str
    item: str

    @classmethod
    def of(cls, destination: str, end_user_name: str, item_description: str) -> RequirementKey:
        end_user = normalise_end_user(end_user_name)
        item = normalise_item(item_description)
        if not end_user:
            raise ValidationError("the end-user needs a name", field="end_user")
        if not item:
            raise ValidationError("the item needs a description", field="item")
        return cls(destination=normalise_destination(destination), end_user=end_user, item=item)

    def essentially_identical(self, other: RequirementKey) -> bool:
        """Same destination, the same item once normalised, and the same end-user by the screening engine's
        name matching (``screening.pairwise.same_party``), not the same string (Art. 2(22), verified in the
        EUR-Lex text: "essentially identical parameters ... the same end-user or consignee")."""
        return (
            self.destination.upper() == other.destination.upper()
            and normalise_item(self.item) == normalise_item(other.item)
            and same_party(self.end_user, other.end_user)
        )
