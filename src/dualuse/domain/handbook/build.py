"""The handbook built from a snapshot of the data (``snapshot.take``): one section per page, each part with
the legal texts it rests on. The words that frame a section are ours; every rule, authorisation, country,
code, red flag, time limit and definition comes from the snapshot, so a change of the data changes the
handbook with no change of the code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dualuse.domain.handbook.eurlex import article_url, cite
from dualuse.domain.handbook.model import (
    Block,
    Bullets,
    Change,
    Citation,
    Definition,
    Edition,
    Handbook,
    Paragraph,
    Part,
    Section,
    Table,
)
from dualuse.domain.handbook.snapshot import Snapshot
from dualuse.domain.rules.facts import country_name

OUTCOMES = {
    "licence_required": "You need an authorisation before you act.",
    "notify_authority": "Tell your competent authority first; it decides whether you need an authorisation.",
    "no_licence_required": "No authorisation is needed under this rule.",
    "general_authorisation_available": "A general authorisation may be used, under its conditions.",
    "prohibited": "Prohibited: no authorisation can allow it.",
}
ITEMS = {
    "any": "any item",
    "listed": "items in the control list (Annex I)",
    "not_listed": "items not in the control list",
    "not_listed_cyber_surveillance": "cyber-surveillance items not in the control list",
    "annex_iv": "items in Annex IV (the most sensitive items)",
}
ACTIVITIES = {
    "export": "Export",
    "transfer": "Transfer within the Union",
    "brokering": "Brokering",
    "technical_assistance": "Technical assistance",
    "transit": "Transit",
}
KNOWLEDGE = {
    "wmd": "use in chemical, biological or nuclear weapons or their missiles",
    "military_end_use": "a military end-use in a country under an arms embargo",
    "parts_of_illegally_exported_military_items": "use as parts of military items exported illegally",
    "internal_repression": "use in internal repression or serious violations of human rights",
    "public_security": "uses of concern for public security, including terrorism",
}
STEPS = (
    ("classification", "1. Classify the item", "Check whether the item is a cyber-surveillance item."),
    ("misuse", "2. Review its potential for misuse", "How could the item be used against people?"),
    ("stakeholders", "3. Assess the end-users and the transaction", "Screen every end-user and consignee."),
    ("mitigation", "4. Prevent or reduce the risks", "Decide what would stop the misuse you found."),
    ("conclusion", "5. Conclude", "Proceed, stop, or notify your competent authority (Art. 5(2))."),
)
FIRST_USE_CHOICES = {
    "after_first_export": "within 30 days after the first export",
    "before_first_use": "before the first use",
    "unknown": "not known: notify before the first export",
}
STATUSES = {
    "submitted": "checking a new application",
    "under_assessment": "assessing it",
    "awaiting_exporter": "waiting for your answer",
    "recommended": "countersigning the decision",
}
REGULATION = "Regulation (EU) 2021/821"


def build(
    snapshot: Snapshot, edition: Edition, changes: Sequence[Change] = (), previous: Edition | None = None
) -> Handbook:
    """The handbook of ``snapshot`` as ``edition``, with the changes from the ``previous`` edition."""
    sections = (
        _authorisation(snapshot),
        _cyber(snapshot),
        _due_diligence(snapshot),
        _general(snapshot),
        _national(snapshot),
        _applying(snapshot),
        _penalties(snapshot),
        _glossary(snapshot),
        _changes(changes, previous),
    )
    return Handbook(edition=edition, sections=sections, previous=previous, changes=tuple(changes))


def _cites(bases: Iterable[str]) -> tuple[Citation, ...]:
    return tuple(cite(b) for b in bases)


def _country_list(codes: Iterable[str]) -> str:
    return ", ".join(sorted(f"{country_name(c)} ({c})" for c in codes))


def _yes(value: bool) -> str:
    return "yes" if value else "no"


# --- what needs an authorisation -----------------------------------------------------------------------


def _rule_part(rule: Mapping[str, Any]) -> Part:
    blocks: list[Block] = [Paragraph(rule["text"])]
    blocks.append(
        Definition(
            "Applies to",
            f"{ACTIVITIES.get(rule['activity'], rule['activity'])} of {ITEMS.get(rule['item'], rule['item'])}",
        )
    )
    if rule["informed_any"]:
        blocks.append(
            Definition(
                "When the authority informed you of",
                "; ".join(KNOWLEDGE.get(k, k) for k in rule["informed_any"]),
            )
        )
    if rule["aware_any"]:
        blocks.append(
            Definition("When you are aware of", "; ".join(KNOWLEDGE.get(k, k) for k in rule["aware_any"]))
        )
    if rule["member_state_setting"]:
        blocks.append(
            Definition("Only in member states that chose", rule["member_state_setting"].replace("_", " "))
        )
    blocks.append(Definition("What it means", OUTCOMES.get(rule["outcome"], rule["outcome"])))
    if rule["general_authorisations"]:
        blocks.append(
            Definition(
                "General authorisations", "a usable general authorisation may stand in for the individual one"
            )
        )
    if rule["customs_codes"]:
        blocks.append(Definition("Customs document code", ", ".join(rule["customs_codes"])))
    title = rule["summary"] or rule["id"]
    return Part(
        rule["id"], title, tuple(blocks), _cites(rule["legal_basis"]), rule["source"], rule["verified"]
    )


def _authorisation(s: Snapshot) -> Section:
    parts = [_rule_part(r) for r in s["rules"]]
    if s["sanctions"]:
        parts.append(
            Part(
                "sanctions",
                "Sanctions that prohibit dual-use exports",
                (
                    Paragraph(
                        "No authorisation under the dual-use regulation can allow these; they come first."
                    ),
                    Table(
                        "Sanctions prohibitions",
                        ("Measure", "Countries", "What it means"),
                        tuple((p["id"], _country_list(p["countries"]), p["summary"]) for p in s["sanctions"]),
                    ),
                ),
                _cites(dict.fromkeys(b for p in s["sanctions"] for b in p["legal_basis"])),
                verified=all(p["verified"] for p in s["sanctions"]),
            )
        )
    if s["regimes"]:
        consequences = {
            "prohibited": "prohibited",
            "authorisation_required": "authorisation under the sanctions act",
            "duty": "a duty to meet",
        }
        parts.append(
            Part(
                "sanctions-regimes",
                "Sanctions regimes on particular items",
                (
                    Paragraph(
                        "Sanctions acts also reach items by description or customs code, listed or not. A general "
                        "authorisation under the dual-use regulation cannot stand in for their authorisation."
                    ),
                    Table(
                        "Sanctions regimes",
                        ("Regime", "What it means", "Consequence"),
                        tuple(
                            (r["title"], r["summary"], consequences.get(r["consequence"], r["consequence"]))
                            for r in s["regimes"]
                        ),
                    ),
                ),
                _cites(dict.fromkeys(b for r in s["regimes"] for b in r["legal_basis"])),
                verified=all(r["verified"] for r in s["regimes"]),
            )
        )
    if s["embargoes"]:
        parts.append(
            Part(
                "arms-embargoes",
                "Arms embargoes (Art. 4(1)(b))",
                (
                    Paragraph(
                        "A military end-use in one of these countries brings an item not in the list under control."
                    ),
                    Table(
                        "Arms embargoes",
                        ("Country", "Act", "Scope", "Verified"),
                        tuple(
                            (
                                _country_list([e["country"]]),
                                e["legal_act"],
                                e["scope"].replace("_", " "),
                                _yes(e["verified"]),
                            )
                            for e in s["embargoes"]
                        ),
                    ),
                ),
                (Citation(f"{REGULATION}, Art. 4(1)", article_url(4)),),
                verified=all(e["verified"] for e in s["embargoes"]),
            )
        )
    return Section(
        "when-you-need-an-authorisation",
        "When you need an authorisation",
        "The rules of Regulation (EU) 2021/821 and the sanctions that decide whether an export, transfer, "
        "brokering, transit or technical assistance needs an authorisation.",
        (
            Paragraph(
                "Items in the control list (Annex I) need an authorisation to leave the Union. Items not in it "
                "can need one too: when the authority tells you, or when you know, that they are meant for "
                "weapons of mass destruction, a military end-use under an arms embargo, or the repression of "
                "people (the catch-all controls). Each rule below is the one the licence check applies, with "
                "its legal basis; the strictest rule that applies decides."
            ),
            Paragraph(f"Rules version {s['rules_version']}."),
        ),
        tuple(parts),
    )


# --- cyber-surveillance ---------------------------------------------------------------------------------


def _definition(s: Snapshot, basis_prefix: str) -> Mapping[str, Any] | None:
    terms: list[Mapping[str, Any]] = s["glossary"]
    return next((t for t in terms if str(t["legal_basis"]).endswith(basis_prefix)), None)


def _cyber(s: Snapshot) -> Section:
    intro: list[Block] = []
    definition = _definition(s, "Art. 2(20)")
    if definition is not None:
        intro.append(Definition(definition["term"], definition["definition"]))
    intro.append(
        Paragraph(
            "Encryption and other information-security items (Category 5 Part 2) are not cyber-surveillance "
            "items. Cameras, microphones and ordinary network tools usually are not either: the item must be "
            "specially designed for covert surveillance of people through their data."
        )
    )
    entries = s["cyber_surveillance"]
    parts = [
        Part(
            "listed-items",
            f"Cyber-surveillance items in the control list ({len(entries)} entries, list {s['list_version']['id']})",
            (
                Paragraph(
                    "Each of these needs an authorisation to export (Art. 3(1)). The summary is an example of what the entry covers."
                ),
                Table(
                    "Cyber-surveillance entries of Annex I",
                    ("Entry", "Title", "For example"),
                    tuple((e["code"], e["title"], e["summary"] or "—") for e in entries),
                ),
            )
            if entries
            else (Paragraph("No entry of the list in force is marked as cyber-surveillance."),),
            (cite(s["list_version"]["legal_source"]),) if s["list_version"]["legal_source"] else (),
            verified=all(e["verified"] for e in entries) if entries else None,
        )
    ]
    parts.extend(_rule_part(r) for r in s["rules"] if r["item"] == "not_listed_cyber_surveillance")
    chose = [m for m in s["member_states"] if "art5_3_grounds_for_suspecting" in m["settings"]]
    parts.append(
        Part(
            "grounds-for-suspecting",
            "Member states that require an authorisation on grounds for suspecting (Art. 5(3))",
            (
                Paragraph(
                    ", ".join(f"{m['name']} ({m['code']})" for m in chose)
                    if chose
                    else "None recorded in the data yet (not verified for every member state)."
                ),
            ),
            (Citation(f"{REGULATION}, Art. 5(3)", article_url(5)),),
        )
    )
    return Section(
        "cyber-surveillance",
        "Cyber-surveillance items",
        "What a cyber-surveillance item is, which entries of the control list are, and the catch-all of Art. 5 "
        "for those that are not.",
        tuple(intro),
        tuple(parts),
    )


# --- due diligence --------------------------------------------------------------------------------------


def _due_diligence(s: Snapshot) -> Section:
    dd = s["due_diligence"]
    parts = []
    for step, title, lead in STEPS:
        flags = [f for f in dd["flags"] if f["step"] == step]
        blocks: list[Block] = [Paragraph(lead)]
        for flag in flags:
            marks = []
            if flag["key"]:
                marks.append("an unknown answer stops you from proceeding")
            if flag["points_to_repression"]:
                marks.append(
                    "a yes makes you aware of a use for repression: notify the authority (Art. 5(2))"
                )
            note = f" ({'; '.join(marks)})" if marks else ""
            blocks.append(
                Definition(f"Red flag: {flag['text']}", f"{flag['guidance']}{note} Source: {flag['source']}.")
            )
        parts.append(
            Part(
                f"step-{step}",
                title,
                tuple(blocks),
                (
                    Citation(
                        "Commission Recommendation (EU) 2024/2659",
                        cite("Commission Recommendation (EU) 2024/2659").url,
                    ),
                ),
                verified=all(f["verified"] for f in flags) if flags else None,
            )
        )
    return Section(
        "due-diligence",
        "Due diligence and red flags",
        "The steps of Commission Recommendation (EU) 2024/2659 for cyber-surveillance items and the red flags to ask at each.",
        (
            Paragraph(
                "Before exporting a cyber-surveillance item that is not in the control list, find out whether it "
                "may be used for internal repression or serious violations of human rights. If your due "
                "diligence makes you aware of such a use, you must notify your competent authority, which decides "
                "whether you need an authorisation (Art. 5(2))."
            ),
            Paragraph(f"Red flags version {dd['version']}; a yes to a red flag is a warning sign."),
        ),
        tuple(parts),
    )


# --- general authorisations -----------------------------------------------------------------------------


def _items_text(items: Mapping[str, Any]) -> list[str]:
    lines = []
    lines.append("Entries: " + (", ".join(items["codes"]) if items["codes"] else "every entry of Annex I"))
    if items["groups"]:
        lines.append("Only product groups " + ", ".join(items["groups"]))
    if items["excluded_groups"]:
        lines.append(
            "Not product groups " + ", ".join(items["excluded_groups"]) + " (D software, E technology)"
        )
    if items["excluded_codes"]:
        lines.append("Not: " + ", ".join(items["excluded_codes"]))
    if items["exclude_section_i"]:
        lines.append("Not the items of Annex II Section I (the most sensitive items)")
    if items["exclude_cyber_surveillance"]:
        lines.append("Not cyber-surveillance items")
    if items["information_security_only"]:
        lines.append("Only information-security items (Category 5 Part 2)")
    return lines


def _ga_part(ga: Mapping[str, Any]) -> Part:
    blocks: list[Block] = [
        Definition("Customs document code", ga["customs_code"]),
        Definition(
            "Issued by", "the Union (Annex II)" if ga["issuer"] == "EU" else country_name(ga["issuer"])
        ),
        Paragraph("Items covered:"),
        Bullets(tuple(_items_text(ga["items"]))),
        Paragraph(f"Destinations ({len(ga['destinations'])}): {_country_list(ga['destinations'])}."),
    ]
    if ga["circumstance"]:
        blocks.append(Definition("Only for", ga["circumstance"].replace("_", " ")))
    if ga["conditions"]:
        blocks.append(Paragraph("Conditions:"))
        blocks.append(Bullets(tuple(ga["conditions"])))
    blocks.append(
        Definition(
            "Not usable when you are informed or aware of",
            "; ".join(KNOWLEDGE.get(k, k) for k in ga["blocked_by"]),
        )
    )
    if ga["first_use"] and ga["first_use"] not in ga["conditions"]:
        blocks.append(Definition("Notification of first use", ga["first_use"]))
    if ga["unverified"]:
        blocks.append(
            Paragraph(
                "Not yet verified against the Official Journal: "
                + ", ".join(ga["unverified"])
                + ". The licence check does not offer it as usable; ask your competent authority."
            )
        )
    return Part(
        ga["id"].lower(),
        ga["title"],
        tuple(blocks),
        _cites(ga["legal_basis"]),
        ga["source"],
        not ga["unverified"],
    )


def _general(s: Snapshot) -> Section:
    union = [g for g in s["general_authorisations"] if g["issuer"] == "EU"]
    national = [g for g in s["general_authorisations"] if g["issuer"] != "EU"]
    parts = [_ga_part(g) for g in union] + [_ga_part(g) for g in national]
    return Section(
        "general-authorisations",
        "Union general export authorisations",
        "EU001 to EU008: the items, destinations, conditions and notifications of each.",
        (
            Paragraph(
                "A general authorisation lets any exporter established in the Union export the items it covers to "
                "the destinations it names, without applying, as long as every condition holds. You must tell "
                "your competent authority when you first use it, and some member states ask you to register "
                "first (see National measures)."
            ),
            Table(
                "The general authorisations at a glance",
                ("Authorisation", "Customs code", "Destinations"),
                tuple((g["id"], g["customs_code"], str(len(g["destinations"]))) for g in [*union, *national]),
                anchors=tuple(g["id"].lower() for g in [*union, *national]),
            ),
        ),
        tuple(parts),
    )


# --- national measures ----------------------------------------------------------------------------------


def _validity(v: Mapping[str, Any] | None) -> str:
    if v is None:
        return "not recorded"
    parts = []
    for key, label in (
        ("individual_months", "individual"),
        ("global_months", "global"),
        ("large_project_months", "large project"),
        ("extension_months", "extension up to"),
    ):
        if v.get(key):
            parts.append(f"{label} {v[key]} months")
    return ", ".join(parts) + ("" if v["verified"] else " (not verified)")


def _national(s: Snapshot) -> Section:
    parts = []
    for n in s["national_controls"]:
        blocks: list[Block] = [
            Paragraph(n["text"]),
            Definition("National list entries", ", ".join(n["national_codes"])),
            Definition(
                "Destinations", _country_list(n["destinations"]) if n["destinations"] else "every destination"
            ),
        ]
        if n["applied_by"]:
            blocks.append(Definition("Also applied by (Art. 10)", _country_list(n["applied_by"])))
        parts.append(
            Part(
                n["id"],
                f"{country_name(n['member_state'])}: national control",
                tuple(blocks),
                _cites(n["legal_basis"]),
                n["source"],
                n["verified"],
            )
        )
    rows = tuple(
        (
            f"{m['name']} ({m['code']})",
            ", ".join(o.replace("_", " ") for o in m["settings"]) or "none recorded",
            FIRST_USE_CHOICES.get(m["first_use"]["choice"], m["first_use"]["choice"])
            + ("" if m["first_use"]["verified"] else " (not verified)"),
            "; ".join(m["general_authorisation_conditions"]) or "—",
            _validity(m["licence_validity"]),
        )
        for m in s["member_states"]
    )
    parts.append(
        Part(
            "member-state-options",
            "Each member state's options",
            (
                Paragraph(
                    "Where the regulation lets a member state choose (Arts. 4(3), 5(3), 6-8: grounds for suspecting, "
                    "non-listed items; Annex II Part 3: notification or registration before the first use of EU001-EU006), "
                    "these are the choices recorded. An option not verified is read on the safe side."
                ),
                Table(
                    "Member states' options",
                    (
                        "Member state",
                        "Options taken up",
                        "First use of EU001-EU006",
                        "Conditions on general authorisations",
                        "Licence validity",
                    ),
                    rows,
                ),
            ),
            (
                Citation(f"{REGULATION}, Art. 9(1)", article_url(9)),
                Citation(f"{REGULATION}, Annex II", cite(f"{REGULATION}, Annex II").url),
            ),
            verified=all(m["verified"] for m in s["member_states"]),
        )
    )
    return Section(
        "national-measures",
        "National measures and options",
        "Controls a member state adds on items not in the list (Arts. 9-10) and the choices each state made.",
        (
            Paragraph(
                "A member state may control items that are not in the list for reasons of public security or human "
                "rights (Art. 9). Another state's national list reaches you only where your state applies it and "
                "has told you of such a use (Art. 10)."
            ),
        ),
        tuple(parts),
    )


# --- applying, time limits, records ---------------------------------------------------------------------


def _applying(s: Snapshot) -> Section:
    limits = s["time_limits"]
    statuses = sorted(
        {st for v in limits["per_state"].values() for st in v},
        key=lambda st: list(STATUSES).index(st) if st in STATUSES else 99,
    )
    rows = tuple(
        (
            ("Other states" if state == "default" else f"{country_name(state)} ({state})"),
            *(str(v.get(st, "—")) for st in statuses),
        )
        for state, v in limits["per_state"].items()
    )
    years = s["records"]["retention_years"]
    parts = (
        Part(
            "types",
            "Which authorisation to ask for",
            (
                Bullets(
                    (
                        "Individual: one exporter, one end-user or consignee, one or more items (Art. 2(12)).",
                        "Global: a type of items to one or more end-users or countries (Art. 2(13)); your internal compliance programme counts (Art. 15(2)).",
                        "Large project: for a large-scale project (Art. 2(14)).",
                        "Brokering and technical assistance: from the state where you are established (Art. 13).",
                    )
                ),
                Paragraph(
                    "Apply to the competent authority of the member state where you are established (Art. 12(2)). Give the end-user, the destination and the end-use; the authority may ask for an end-use statement."
                ),
            ),
            (
                Citation(f"{REGULATION}, Art. 12(1)", article_url(12)),
                Citation(f"{REGULATION}, Art. 13(1)", article_url(13)),
            ),
        ),
        Part(
            "time-limits",
            "How long the authority takes",
            (
                Paragraph(
                    "The regulation sets no general time limit for a decision (national law does). These are the targets the authorities set, in calendar days per stage:"
                    if not limits["verified"]
                    else "Time limits in calendar days per stage:"
                ),
                Table(
                    "Time limits per stage (days)",
                    ("Member state", *(STATUSES.get(st, st) for st in statuses)),
                    rows,
                ),
                Paragraph(f"Source: {limits['source']} (version {limits['version']})."),
            ),
            (),
            limits["source"],
            limits["verified"],
        ),
        Part(
            "records",
            "Records to keep",
            (
                Paragraph(
                    f"Keep the records of your exports, brokering and technical assistance for at least {years} years from the end of the calendar year in which they took place, and show them to the authority when it asks (Art. 27)."
                ),
                Bullets(
                    (
                        "A description of the items and their control list entry.",
                        "The quantity and value, and the dates of export.",
                        "The names and addresses of the exporter, consignee and end-user, and the end-use.",
                        "The authorisation used (its number, or the general authorisation and its customs code).",
                    )
                ),
            ),
            (Citation(f"{REGULATION}, Art. 27(1)", article_url(27)),),
        ),
        Part(
            "licence-validity",
            "How long a licence is valid",
            (
                Paragraph(
                    "Individual and global authorisations are valid for up to two years and large project authorisations up to four, unless the authority decides otherwise (Art. 12(3)); each state's practice:"
                ),
                Table(
                    "Licence validity per member state",
                    ("Member state", "Validity"),
                    tuple(
                        (f"{m['name']} ({m['code']})", _validity(m["licence_validity"]))
                        for m in s["member_states"]
                        if m["licence_validity"]
                    ),
                ),
            ),
            (Citation(f"{REGULATION}, Art. 12(3)", article_url(12)),),
        ),
    )
    return Section(
        "how-to-apply",
        "How to apply, time limits and records",
        "The kinds of authorisation, where to apply, how long it takes and what to keep.",
        (
            Paragraph(
                "If the licence check says you need an authorisation and no general authorisation fits, apply for one before you export."
            ),
        ),
        parts,
    )


# --- penalties ------------------------------------------------------------------------------------------


def _scalar_lines(content: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in content.items():
        if key in ("source", "verified", "member_state"):
            continue
        if isinstance(value, list):
            for item in value:
                if key == "penalties" and isinstance(item, str):
                    lines.append(item)  # already in words (``services.handbook.penalties``)
                elif isinstance(item, Mapping):
                    lines.append(
                        "; ".join(
                            f"{k.replace('_', ' ')}: {v}"
                            for k, v in item.items()
                            if k not in ("source", "verified")
                        )
                    )
                else:
                    lines.append(f"{key.replace('_', ' ')}: {item}")
        elif isinstance(value, Mapping):
            lines.append(
                f"{key.replace('_', ' ')}: "
                + "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in value.items())
            )
        else:
            lines.append(f"{key.replace('_', ' ')}: {value}")
    return lines


def _penalties(s: Snapshot) -> Section:
    intro = Paragraph(
        "Each member state lays down effective, proportionate and dissuasive penalties for breaking the rules (Art. 25(1))."
    )
    data = s["penalties"]
    if data is None:
        return Section(
            "penalties",
            "Penalties",
            "What a breach can cost, per member state.",
            (
                intro,
                Paragraph(
                    "The penalties of each member state are not yet in the data this handbook is built from; ask your competent authority."
                ),
            ),
        )
    parts = tuple(
        Part(
            p["member_state"].lower(),
            f"{country_name(p['member_state'].upper())} ({p['member_state'].upper()})"
            if len(p["member_state"]) == 2
            else p["member_state"],
            (Bullets(tuple(_scalar_lines(p["content"]))),),
            (),
            str(p["content"].get("source", "")),
            p["content"].get("verified") if isinstance(p["content"].get("verified"), bool) else None,
        )
        for p in data
    )
    return Section("penalties", "Penalties", "What a breach can cost, per member state.", (intro,), parts)


# --- glossary and changes -------------------------------------------------------------------------------


def _glossary(s: Snapshot) -> Section:
    parts = tuple(
        Part(
            "term-" + "-".join(t["term"].lower().replace("‘", "").replace("’", "").split()),
            t["term"],
            (Paragraph(t["definition"] + ("" if t["wording"] == "official" else " (in our words)")),),
            (cite(t["legal_basis"]),),
            t["source"],
            t["verified"],
        )
        for t in s["glossary"]
    )
    return Section(
        "glossary",
        "Glossary",
        "The words of the regulation, as Art. 2 defines them.",
        (
            Paragraph(
                "Definitions quoted from the regulation are its wording; a few long ones are summarised in our words and say so."
            ),
        ),
        parts,
    )


def _changes(changes: Sequence[Change], previous: Edition | None) -> Section:
    if previous is None:
        intro: tuple[Block, ...] = (
            Paragraph("There is no earlier recorded edition to compare this one with."),
        )
    elif not changes:
        intro = (
            Paragraph(f"Nothing changed since edition {previous.number} of {previous.made_on.isoformat()}."),
        )
    else:
        intro = (
            Paragraph(
                f"Compared with edition {previous.number} of {previous.made_on.isoformat()} (control list {previous.list_version}, rules {previous.rules_version}):"
            ),
            Table(
                "Changes since the last edition",
                ("Area", "What", "Change"),
                tuple((c.area, c.subject, c.what) for c in changes),
            ),
        )
    return Section(
        "changes",
        "What changed since the last edition",
        "The differences from the previous edition, computed from the data.",
        intro,
    )
