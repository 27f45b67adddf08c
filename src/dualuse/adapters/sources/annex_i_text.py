"""Annex I down to its leaf sub-items: derived from the EUR-Lex consolidated text, shipped as data.

``build(path)`` reads the machine-readable consolidated text (``annex-i-2025-11-15.json``: one provision per
line, prefixed with its dotted path) and derives every provision's code, thresholds, notes and defined
terms (``domain.controllist.provisions``). ``dualuse reference build-annex-i --from FILE`` writes the result
to ``data/controllist/annex_i/<version>.json``; the app reads only that file (``load_annex_text``), never
the source. No legal prose is written: codes, structure, numbers, units, note kinds and term names only.

``enrich`` merges the provisions into a list version: sub-items the YAML does not list are added (titled
from their facts), thresholds become the entry's ``parameters``, notes are attached to their path, and
``source``/``verified`` say where each fact was checked.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.controllist.entries import ControlEntry, Note, NoteKind
from dualuse.domain.controllist.provisions import (
    AnnexText,
    Combination,
    DefinedTerm,
    Provision,
    ProvisionNote,
    read_provisions,
)
from dualuse.domain.controllist.quantities import Comparison, Threshold
from dualuse.domain.controllist.versions import ControlList, ControlListHistory
from dualuse.domain.errors import ImportFailedError

FORMAT = "dualuse.annex_i_text/1"
EURLEX_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"
_ART2 = re.compile(r"\((\d+)\)\s*[‘'\"]([^’'\"]{2,80})[’'\"]\s*(?:means|has the meaning)")
_ANNEX_TERM = re.compile(r'^"([^"]{2,80})"\s*\(([^)]{1,40})\)', re.MULTILINE)
_UNIT_SLUG = re.compile(r"[^a-z0-9]+")


def shipped_path(version_id: str = "2025-11") -> Path:
    from dualuse.adapters.sources.annex_i import shipped_data_dir

    return shipped_data_dir() / "annex_i" / f"{version_id}.json"


# -- building from the official text -----------------------------------------------------------------


def build(source: Path) -> dict[str, Any]:
    """The derived data of the consolidated Annex I in ``source`` (the EUR-Lex machine-readable copy).

    Raises ``ImportFailedError`` naming what does not fit; the output is deterministic for one input."""
    try:
        raw = Path(source).read_bytes()
        document = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ImportFailedError(f"cannot read the consolidated text: {exc}", location=str(source)) from exc
    if not isinstance(document, Mapping) or not isinstance(document.get("entries"), list):
        raise ImportFailedError("expected a mapping with entries", location=str(source))
    terms = defined_terms(document.get("docs") or [])
    corpus = str(document.get("corpus_version") or "")
    valid_from = str(document.get("valid_from") or "")
    if not corpus or not valid_from:
        raise ImportFailedError("the file names no corpus_version and valid_from", location=str(source))
    provisions: list[dict[str, Any]] = []
    for entry in document["entries"]:
        code = str(entry.get("entry_code", ""))
        try:
            found = read_provisions(code, str(entry.get("verbatim_text", "")), terms)
        except ValueError as exc:
            raise ImportFailedError(str(exc), location=str(source)) from exc
        provisions.extend(_provision_document(p) for p in found)
    provisions.sort(key=lambda p: ControlCode.parse(p["code"]))
    return {
        "format": FORMAT,
        "version": _version_id(valid_from),
        "valid_from": valid_from,
        "celex": corpus,
        "url": EURLEX_URL.format(celex=corpus),
        "source": f"Annex I to Regulation (EU) 2021/821, EUR-Lex consolidated text {corpus} "
        f"(valid from {valid_from})",
        "derived_from": {
            "file": Path(source).name,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "transcription": str(document.get("source_url") or ""),
        },
        "generated_by": "dualuse reference build-annex-i",
        "note": "Facts only (codes, structure, thresholds, units, note kinds, term names). The legal text "
        "is the Official Journal's; read it at the url.",
        "terms": [
            {"term": t.term, "defined_in": t.defined_in, "categories": list(t.categories)}
            for t in sorted(terms.values(), key=lambda t: t.term)
        ],
        "provisions": provisions,
    }


def write(document: Mapping[str, Any], target: Path) -> None:
    from dualuse.adapters.files import write_text_atomically

    text = json.dumps(document, ensure_ascii=False, indent=0, sort_keys=False)
    write_text_atomically(Path(target), text + "\n")


def defined_terms(docs: list[Any]) -> dict[str, DefinedTerm]:
    """The terms of Art. 2 and of Annex I's definitions, lower-cased."""
    terms: dict[str, DefinedTerm] = {}
    for doc in docs:
        if not isinstance(doc, Mapping):
            continue
        text = str(doc.get("verbatim_text", ""))
        if doc.get("doc_type") == "definitions":
            for number, term in _ART2.findall(text):
                terms.setdefault(term.strip().lower(), DefinedTerm(term.strip(), f"Art. 2({number})"))
        elif doc.get("doc_type") == "definitions_annex":
            for term, categories in _ANNEX_TERM.findall(text):
                cats = tuple(sorted({int(c) for c in re.findall(r"\d", categories)}))
                terms[term.strip().lower()] = DefinedTerm(term.strip(), "Annex I, definitions", cats)
    return terms


def _version_id(valid_from: str) -> str:
    return valid_from[:7]


def _threshold_document(t: Threshold) -> dict[str, Any]:
    return t.as_dict()


def _provision_document(p: Provision) -> dict[str, Any]:
    row: dict[str, Any] = {"code": str(p.code)}
    if p.not_used:
        row["not_used"] = True
    if p.thresholds:
        row["parameters"] = [_threshold_document(t) for t in p.thresholds]
        if p.conditions:
            row["conditions"] = [_threshold_document(t) for t in p.conditions]
        if len(p.thresholds) > 1:
            row["parameters_combine"] = p.thresholds_combine.value
    row["children_combine"] = p.children_combine.value
    if p.terms:
        row["terms"] = list(p.terms)
    if p.notes:
        row["notes"] = [
            {
                k: v
                for k, v in (
                    ("kind", n.kind.value),
                    ("number", n.number),
                    ("parameters", [_threshold_document(t) for t in n.thresholds]),
                    ("defines", list(n.defines)),
                    ("terms", list(n.terms)),
                )
                if v
            }
            for n in p.notes
        ]
    row["verified"] = p.verified
    if p.problems:
        row["problems"] = list(p.problems)
    return row


# -- reading the shipped derived data ----------------------------------------------------------------


def load_annex_text(path: Path | None = None) -> AnnexText:
    """The derived Annex I provisions (default: the shipped ``annex_i/2025-11.json``)."""
    if path is None:
        return _shipped()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _shipped() -> AnnexText:
    return _load(shipped_path())


def _load(path: Path) -> AnnexText:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFailedError(f"cannot read the Annex I provisions: {exc}", location=path.name) from exc
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise ImportFailedError(f"expected format {FORMAT}", location=path.name)
    try:
        provisions = {}
        for row in document["provisions"]:
            provision = _provision(row)
            provisions[provision.code] = provision
        terms = {
            str(t["term"]).lower(): DefinedTerm(str(t["term"]), str(t["defined_in"]), tuple(t["categories"]))
            for t in document.get("terms", [])
        }
        return AnnexText(
            version_id=str(document["version"]),
            valid_from=str(document["valid_from"]),
            celex=str(document["celex"]),
            url=str(document["url"]),
            source=str(document["source"]),
            provisions=provisions,
            terms=terms,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFailedError(f"malformed Annex I provisions: {exc}", location=path.name) from exc


def _threshold(row: Mapping[str, Any]) -> Threshold:
    return Threshold(
        str(row["quantity"]), Comparison(row["comparison"]), float(row["threshold"]), str(row.get("unit", ""))
    )


def _provision(row: Mapping[str, Any]) -> Provision:
    notes = tuple(
        ProvisionNote(
            kind=NoteKind(n["kind"]),
            number=str(n.get("number", "")),
            thresholds=tuple(_threshold(t) for t in n.get("parameters", [])),
            defines=tuple(n.get("defines", [])),
            terms=tuple(n.get("terms", [])),
        )
        for n in row.get("notes", [])
    )
    return Provision(
        code=ControlCode.parse(row["code"]),
        thresholds=tuple(_threshold(t) for t in row.get("parameters", [])),
        conditions=tuple(_threshold(t) for t in row.get("conditions", [])),
        thresholds_combine=Combination(row.get("parameters_combine", "all")),
        children_combine=Combination(row.get("children_combine", "any")),
        terms=tuple(row.get("terms", [])),
        notes=notes,
        not_used=bool(row.get("not_used", False)),
        problems=tuple(row.get("problems", [])),
    )


# -- merging into the list -----------------------------------------------------------------------------


def legacy_parameters(thresholds: tuple[Threshold, ...]) -> dict[str, object]:
    """Thresholds as the entry's ``parameters`` mapping (``bandwidth_mhz_gt: 500``), first one per key."""
    out: dict[str, object] = {}
    for t in thresholds:
        unit = _UNIT_SLUG.sub("_", t.unit.lower().replace("μ", "u").replace("µ", "u").replace("%", "pct"))
        key = "_".join(part for part in (t.quantity, unit.strip("_"), t.comparison.value) if part)
        out.setdefault(key, int(t.threshold) if t.threshold == int(t.threshold) else t.threshold)
    return out


def entry_source(text: AnnexText) -> str:
    return f"{text.source}; {text.url}; checked by dualuse reference build-annex-i; title in our words"


def carried_back_source(text: AnnexText) -> str:
    return (
        f"structure and thresholds from the later {text.source}; {text.url}; carried back, not checked "
        "against the list in force then"
    )


def _title(provision: Provision) -> str:
    label = provision.code.parts[-1] if provision.code.parts else str(provision.code)
    if provision.thresholds:
        shown = "; ".join(t.describe() for t in provision.thresholds[:3])
        return f"Sub-item {label}: {shown}"
    if provision.terms:
        return f"Sub-item {label} (uses {', '.join(provision.terms[:2])})"
    return f"Sub-item {label} (see the official text)"


def _notes(provision: Provision) -> tuple[Note, ...]:
    return tuple(Note(n.kind, n.describe()) for n in provision.notes)


def enrich(control_list: ControlList, text: AnnexText, official: frozenset[str] | None = None) -> ControlList:
    """The list with the provisions merged in (see the module docstring). Entries whose top-level code
    the list does not have are left out: the YAML decides which entries a version has.

    Only the version ``text`` is (same id) gets ``verified`` and the consolidated text as ``source``; an
    earlier version gets the same structure and thresholds, unverified, with a source saying they were
    carried back from the later text (the delegated acts in between may have changed them). With
    ``official`` (the version's official codes, derived from the later text through the acts), a sub-item
    the acts show was not yet in the version is not carried back to it."""
    entries: dict[ControlCode, ControlEntry] = {e.code: e for e in control_list}
    own = control_list.version_id == text.version_id
    source = entry_source(text) if own else carried_back_source(text)
    for code, provision in sorted(text.provisions.items()):
        top = entries.get(code.top_level)
        if top is None or provision.not_used:
            continue
        existing = entries.get(code)
        params = legacy_parameters(provision.thresholds)
        if existing is None:
            if official is not None and not own and str(code) not in official:
                continue  # added by a later act: not in this version
            parent = entries.get(code.parent) if code.parent else None
            if parent is None:
                continue
            entries[code] = ControlEntry(
                code=code,
                title=_title(provision),
                regime=parent.regime,
                parameters=params,
                notes=_notes(provision),
                source=source,
                verified=own and provision.verified,
            )
            continue
        merged = {**params, **dict(existing.parameters)}
        provenance: dict[str, object] = {"source": source, "verified": provision.verified} if own else {}
        entries[code] = existing.replace(
            parameters=merged, notes=(*existing.notes, *_notes(provision)), **provenance
        )
    return ControlList(control_list.version, entries.values())


def enrich_history(history: ControlListHistory, text: AnnexText) -> ControlListHistory:
    """Every version of the history enriched with ``text``.

    Versions before ``text``'s own are enriched too (unverified, see ``enrich``), so that ``list diff`` shows
    changes of the law rather than of our data's depth."""
    return ControlListHistory(
        tuple(enrich(cl, text, history.official_codes.get(cl.version_id)) for cl in history.lists),
        history.acts,
        history.official_codes,
    )
