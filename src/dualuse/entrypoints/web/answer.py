"""The licence check's answer in plain language: a headline, why, what can be used instead (a general
authorisation's conditions as a checklist), what to do next, and the legal references linked to the
official text on EUR-Lex. Only presentation: the answer itself is the determination service's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from dualuse.domain.rules.rulebook import GeneralAuthorisation, Rulebook
from dualuse.entrypoints.web.i18n import N_, gettext

# headline and first steps per outcome, in the exporter's words
HEADLINES: Mapping[str, str] = {
    "prohibited": N_("You must not make this export"),
    "licence_required": N_("You need a licence for this export"),
    "notify_authority": N_("Tell your licensing authority before you export"),
    "general_authorisation_available": N_(
        "You can export under a general authorisation, if you meet its conditions"
    ),
    "no_licence_required": N_("No licence is needed for this export"),
}


@dataclass(frozen=True)
class Step:
    text: str
    href: str | None = None


def next_steps(outcome: str, signed_in_exporter: bool, cyber: bool) -> list[Step]:
    """What the exporter does next, with the page where it is done."""
    apply = Step(
        gettext("Apply for an individual or global licence"),
        "/applications/new" if signed_in_exporter else None,
    )
    steps: dict[str, list[Step]] = {
        "prohibited": [
            Step(
                gettext(
                    "Do not ship. Check the parties and the destination again with your compliance officer."
                )
            ),
            Step(
                gettext("Screen the end-user and every other party"),
                "/screening" if signed_in_exporter else None,
            ),
        ],
        "licence_required": [
            Step(
                gettext("Screen the end-user and every other party"),
                "/screening" if signed_in_exporter else None,
            ),
            apply,
            Step(gettext("Do not ship before the licence is granted.")),
        ],
        "notify_authority": [
            Step(
                gettext(
                    "Tell your competent authority what you know and wait for its answer (Art. 4(2) or 5(2))"
                ),
                "/due-diligence" if signed_in_exporter else None,
            ),
            Step(gettext("Do not ship before the authority has answered.")),
        ],
        "general_authorisation_available": [
            Step(gettext("Check each condition of the general authorisation below")),
            Step(
                gettext("Register for it or notify its first use, as your member state requires"),
                "/general-authorisations" if signed_in_exporter else None,
            ),
            Step(gettext("Name the authorisation and its customs code on the export declaration")),
            Step(gettext("If a condition is not met, apply for a licence instead"), apply.href),
        ],
        "no_licence_required": [
            Step(gettext("Keep this answer with the export's records")),
            Step(
                gettext("Screen the parties against the sanctions lists"),
                "/screening" if signed_in_exporter else None,
            ),
        ],
    }
    found = list(steps.get(outcome, []))
    if cyber:
        found.append(
            Step(
                gettext("For a cyber-surveillance item, carry out human-rights due diligence"),
                "/due-diligence" if signed_in_exporter else None,
            )
        )
    return found


# "Regulation (EU) 2021/821, Art. 3(1)", "Council Regulation (EU) No 833/2014, Art. 12g(1)", "(EC) No 765/2006"
_ACT = re.compile(
    r"(?P<act>(?:Council |Commission |Delegated |Del\. )?(?:Implementing )?(?:Regulation|Reg\.) \((?P<kind>EU|EC|EEC)\)"
    r"(?P<no> No)? (?P<a>\d{1,4})/(?P<b>\d{1,4}))"
)


def eurlex_url(a: str, b: str, numbered_first: bool = False) -> str:
    """The ELI address of a regulation on EUR-Lex. Acts cited "No N/YYYY" (before 2015) put the number
    first, later ones "YYYY/N"; ELI always takes the year, then the number."""
    year, number = (b, a) if numbered_first else (a, b)
    return f"https://eur-lex.europa.eu/eli/reg/{int(year)}/{int(number)}/oj"


def link_acts(text: str) -> Markup:
    """``text`` with each regulation it cites linked to its official text on EUR-Lex."""
    out: list[str] = []
    last = 0
    for found in _ACT.finditer(text):
        out.append(str(escape(text[last : found.start()])))
        url = eurlex_url(found.group("a"), found.group("b"), numbered_first=bool(found.group("no")))
        out.append(f'<a href="{escape(url)}" rel="external">{escape(found.group("act"))}</a>')
        last = found.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))  # noqa: S704 - every piece is escaped above


# internal words the engine's texts use, said for a reader
_INTERNAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\(?answer with item_kinds\)?:?"), " (tick the kinds of item in the form):"),
    (re.compile(r"answer with end_user\.listed_in"), "say so in the form once you have screened it"),
    (re.compile(r"answer with ([a-z_.]+)"), "answer the question in the form"),
    (re.compile(r"\bru_833_annex_iv\b"), "Annex IV of Regulation (EU) No 833/2014"),
    (re.compile(r"\bby_765_annex_v\b"), "Annex V of Regulation (EC) No 765/2006"),
)


def plain_answer(text: str) -> str:
    """An engine's sentence without internal field names."""
    for pattern, words in _INTERNAL:
        text = pattern.sub(words, text)
    text = re.sub(r"\b([a-z]+)_([a-z_]+)\b", lambda m: m.group(0).replace("_", " "), text)
    return text.replace(" :", ":").replace("::", ":")


@dataclass(frozen=True)
class Alternative:
    """A general authorisation usable instead of a licence, its conditions as a checklist."""

    id: str
    title: str
    customs_code: str
    conditions: tuple[str, ...]
    legal_basis: tuple[str, ...]
    registered: bool | None  # None: not known (not signed in as an exporter)


def alternatives(
    rulebook: Rulebook, ids: Iterable[str], registered: Iterable[str] | None
) -> list[Alternative]:
    by_id: dict[str, GeneralAuthorisation] = {g.id: g for g in rulebook.general_authorisations}
    mine = set(registered) if registered is not None else None
    found: list[Alternative] = []
    for gid in ids:
        g = by_id.get(gid)
        if g is None:
            continue
        found.append(
            Alternative(
                g.id,
                g.title,
                g.customs_code,
                tuple(g.conditions),
                tuple(g.legal_basis),
                None if mine is None else g.id in mine,
            )
        )
    return found


def present(
    result: Mapping[str, Any],
    rulebook: Rulebook,
    *,
    signed_in_exporter: bool,
    registered: Iterable[str] | None,
) -> dict[str, Any]:
    """What the answer page shows, per item and for the whole transaction."""
    items = []
    for item in result.get("items", []):
        items.append(
            {
                "id": item.get("id"),
                "control_code": item.get("control_code"),
                "outcome": item.get("outcome"),
                "headline": gettext(HEADLINES.get(str(item.get("outcome")), str(item.get("outcome")))),
                "summary": plain_answer(str(item.get("summary") or "")),
                "why": plain_answer(str(item.get("explanation") or "")),
                "cyber": bool(item.get("cyber_surveillance_item")),
                "customs_codes": item.get("customs_codes") or [],
                "alternatives": alternatives(rulebook, item.get("general_authorisations") or [], registered),
                "questions": [plain_answer(str(q.get("text", ""))) for q in item.get("questions") or []],
                "advice": [plain_answer(str(a)) for a in item.get("advice") or []],
                "legal_basis": item.get("legal_basis") or [],
                "unverified": item.get("unverified_basis") or [],
                "steps": next_steps(
                    str(item.get("outcome")), signed_in_exporter, bool(item.get("cyber_surveillance_item"))
                ),
            }
        )
    outcome = str(result.get("outcome"))
    return {"headline": gettext(HEADLINES.get(outcome, outcome)), "outcome": outcome, "items": items}


_FILE = re.compile(r"\S+\.(?:json|md|ya?ml|csv|xml|txt)\b")


def public_source(text: str) -> str:
    """A data source as the public reads it: the act it comes from, without working notes (file names,
    third-party parses, "from memory", "[M]" marks), which stay in the data files and the API."""
    first = text.split(";", 1)[0]
    first = re.sub(r",?\s*(?:read in|as read in|code from)\b.*$", "", first)
    first = _FILE.sub("", first).replace("[M]", "").strip(" ,")
    note = " Titles and summaries are in our own words." if "paraphrase" in text else ""
    return f"{first}.{note}" if first else note.strip()


_WORKING = re.compile(r"from memory|\bparse\b|third-party|\bwording here\b", re.IGNORECASE)


def no_marks(text: str) -> str:
    """Text without the data's working marks ("[M]": wording not yet checked) and file names."""
    text = re.sub(r"\s*\[M\]", "", text)
    text = re.sub(r"\s*\([^()]*\.(?:json|md|ya?ml|csv|xml|txt)\b[^()]*\)", "", text)
    return _FILE.sub("", text)


def is_working_note(text: str) -> bool:
    """A note about how the data was made (not about the item): it belongs in "About this data"."""
    return bool(_WORKING.search(text))
