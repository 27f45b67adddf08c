"""The control list's data files (Annex I of Regulation (EU) 2021/821) read into domain objects.

The format is described in ``dualuse/data/controllist/README.md``: ``versions/NNN-<id>.yaml``, applied in
file-name order (a ``base`` then ``amendment`` files), and ``synonyms.yaml``. A file that does not fit
raises ``ImportFailedError`` naming the file and the entry; nothing is half loaded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.yaml_files import dump_yaml, load_yaml
from dualuse.domain.controllist.acts import (
    ActHistory,
    AmendingAct,
    ChangeKind,
    DeclaredChange,
    with_acts,
)
from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.cryptography import CryptographyNote, NoteCondition, NoteParagraph
from dualuse.domain.controllist.entries import ControlEntry, Note, NoteKind, Regime
from dualuse.domain.controllist.versions import (
    Amendment,
    ControlList,
    ControlListError,
    ControlListHistory,
    EntryChange,
    ListVersion,
)
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.services.reading import as_flag as _flag
from dualuse.services.reading import as_list, as_text
from dualuse.services.reading import mapping as _mapping

_ENTRY_FIELDS = (
    "code",
    "title",
    "summary",
    "regime",
    "parameters",
    "notes",
    "related",
    "cyber_surveillance",
    "information_security",
    "annex_iv",
    "eugea_excluded",
    "source",
    "verified",
)


def shipped_data_dir() -> Path:
    """The control list data shipped inside the package (``dualuse/data/controllist``)."""
    return Path(str(resources.files("dualuse") / "data" / "controllist"))


def load_history(directory: Path | None = None) -> ControlListHistory:
    """Every list version in ``directory``/versions (default: the shipped data), base first.

    The shipped history is read once per process: it is immutable.
    """
    if directory is None:
        return _shipped_history()
    return _load_history(Path(directory))


@functools.lru_cache(maxsize=1)
def _shipped_history() -> ControlListHistory:
    return _load_history(shipped_data_dir())


def _load_history(directory: Path) -> ControlListHistory:
    files = sorted((directory / "versions").glob("*.yaml"))
    if not files:
        raise ImportFailedError("no list version files (versions/*.yaml)", location=str(directory))
    base_path, *amendment_paths = files
    base_name = _name(base_path, directory)
    document = _read_yaml(base_path, base_name)
    if document.get("kind") != "base":
        raise ImportFailedError(
            f"the first version file must have kind: base, not {document.get('kind')!r}", location=base_name
        )
    version = _located(base_name, "version", lambda: _version(document.get("version")))
    entries = _entries(document.get("entries"), base_name, "entries")
    try:
        history = ControlListHistory.from_base(version, entries)
    except ControlListError as exc:
        raise ImportFailedError(str(exc), location=base_name) from exc
    for path in amendment_paths:
        name = _name(path, directory)
        amendment = _amendment(_read_yaml(path, name), name)
        try:
            history = history.apply(amendment)
        except ControlListError as exc:
            raise ImportFailedError(str(exc), location=name) from exc
    return _with_provisions(_with_acts(history, directory), directory)


def _with_provisions(history: ControlListHistory, directory: Path) -> ControlListHistory:
    """The history with the derived Annex I provisions (``annex_i/<version>.json``) merged in, if shipped."""
    from dualuse.adapters.sources import annex_i_text  # the derived text reads this module's directory

    for path in sorted((directory / "annex_i").glob("*.json")):
        text = annex_i_text.load_annex_text(path)
        try:
            history = annex_i_text.enrich_history(history, text)
        except ControlListError as exc:
            raise ImportFailedError(str(exc), location=_name(path, directory)) from exc
    return history


def _with_acts(history: ControlListHistory, directory: Path) -> ControlListHistory:
    """The history with the acts behind its versions (``acts.yaml``), if shipped: earlier versions rebuilt
    from the later ones by undoing each act's declared changes."""
    acts_path = directory / "acts.yaml"
    if not acts_path.exists():
        return history
    acts = load_acts(acts_path)
    try:
        return with_acts(history, acts, _official_code_sets(directory))
    except ControlListError as exc:
        raise ImportFailedError(str(exc), location="acts.yaml") from exc


def _official_code_sets(directory: Path) -> dict[str, frozenset[str]]:
    """The codes of each official text in ``official/<version>.txt`` (header ``# version: …``)."""
    found: dict[str, frozenset[str]] = {}
    for path in sorted((directory / "official").glob("*.txt")):
        version = ""
        codes: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                key, colon, value = line[1:].partition(":")
                if colon and key.strip() == "version":
                    version = value.strip()
            elif line.strip():
                codes.add(line.strip())
        if version:
            found[version] = frozenset(codes)
    return found


def load_acts(path: Path) -> ActHistory:
    """The acts behind the list versions (``acts.yaml``): the origin, then each delegated regulation."""
    name = path.name
    document = _read_yaml(path, name)
    rows = [("origin", document.get("origin"))]
    rows += [(f"acts[{i}]", row) for i, row in enumerate(_list(document.get("acts"), name, "acts"))]
    acts = [_located(name, where, functools.partial(_act, row)) for where, row in rows]
    try:
        return ActHistory(tuple(acts))
    except ControlListError as exc:
        raise ImportFailedError(str(exc), location=name) from exc


_ACT_FIELDS = frozenset(
    {
        "version",
        "title",
        "celex",
        "official_journal",
        "effective_from",
        "effective_from_verified",
        "summary",
        "sources",
        "complete",
        "verified",
        "changes",
        "removed_entries",
    }
)


def _act(value: object) -> AmendingAct:
    row = _mapping(value, "act")
    unknown = sorted(str(k) for k in set(row) - _ACT_FIELDS)
    if unknown:
        raise ValidationError(f"unknown field {unknown[0]!r}")
    effective = row.get("effective_from")
    if not isinstance(effective, date):
        raise ValidationError("effective_from must be a date (YYYY-MM-DD)")
    changes = []
    for i, change in enumerate(_list_of(row.get("changes"), "changes")):
        item = _mapping(change, f"changes[{i}]")
        try:
            kind = ChangeKind(str(item.get("kind")))
        except ValueError as exc:
            raise ValidationError(f"changes[{i}]: kind must be added, removed or changed") from exc
        changes.append(
            DeclaredChange(
                code=_code(item.get("code")),
                kind=kind,
                text=_text(item.get("text"), "text", required=True),
                source=_text(item.get("source"), "source", required=True),
                verified=_flag(item.get("verified", False), "verified"),
            )
        )
    return AmendingAct(
        version_id=_text(row.get("version"), "version", required=True),
        title=_text(row.get("title"), "title", required=True),
        celex=_text(row.get("celex"), "celex", required=True),
        official_journal=_text(row.get("official_journal"), "official_journal", required=True),
        effective_from=effective,
        effective_from_verified=_flag(row.get("effective_from_verified", False), "effective_from_verified"),
        summary=_text(row.get("summary"), "summary"),
        sources=tuple(_text(s, "sources") for s in _list_of(row.get("sources"), "sources")),
        complete=_flag(row.get("complete", False), "complete"),
        changes=tuple(changes),
        removed_entries=tuple(_entry(e) for e in _list_of(row.get("removed_entries"), "removed_entries")),
        verified=_flag(row.get("verified", False), "verified"),
    )


def load_amendment_file(path: Path) -> Amendment:
    """One amendment file (``kind: amendment``) as an ``Amendment``, not yet applied to any list."""
    path = Path(path)
    return _amendment(_read_yaml(path, path.name), path.name)


def load_synonyms(path: Path | None = None) -> dict[str, list[str]]:
    """The synonym table: a phrase exporters use → the canonical codes it usually means.

    Reads ``{phrase: [codes]}``, the same under a ``synonyms:`` key, or a list of
    ``{phrase|term: …, codes: […]}``. Default: the shipped ``synonyms.yaml``.
    """
    if path is None:
        return {phrase: list(codes) for phrase, codes in _shipped_synonyms()}
    return _load_synonyms(Path(path), Path(path).name)


@functools.lru_cache(maxsize=1)
def _shipped_synonyms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    path = shipped_data_dir() / "synonyms.yaml"
    table = _load_synonyms(path, "synonyms.yaml")
    return tuple((phrase, tuple(codes)) for phrase, codes in table.items())


def _load_synonyms(path: Path, name: str) -> dict[str, list[str]]:
    document: Any = _read_yaml(path, name, mapping=False)
    if isinstance(document, Mapping) and isinstance(document.get("synonyms"), Mapping | list):
        document = document["synonyms"]
    rows: list[tuple[str, object]] = []
    if isinstance(document, Mapping):
        rows = [(str(k), v) for k, v in document.items() if k != "kind"]
    elif isinstance(document, list):
        for i, row in enumerate(document):
            phrase = row.get("phrase", row.get("term")) if isinstance(row, Mapping) else None
            if not isinstance(phrase, str):
                raise ImportFailedError(f"[{i}]: expected a mapping with phrase and codes", location=name)
            rows.append((phrase, row.get("codes")))
    else:
        raise ImportFailedError("expected a mapping of phrases to codes", location=name)
    table: dict[str, list[str]] = {}
    for phrase, codes in rows:
        where = f"synonym {phrase!r}"
        listed = [codes] if isinstance(codes, str) else codes
        if not isinstance(listed, list):
            raise ImportFailedError(f"{where}: expected a list of codes", location=name)
        table[phrase.strip()] = [
            str(_located(name, where, functools.partial(_code, value))) for value in listed
        ]
    return table


def dump_version(control_list: ControlList) -> str:
    """One list version as a full ``base`` file, so that an exported version loads back unchanged."""
    version = control_list.version
    document = {
        "kind": "base",
        "version": {
            "id": version.id,
            "title": version.title,
            "effective_from": version.effective_from,
            "legal_source": version.legal_source,
            "verified": version.verified,
        },
        "entries": [_entry_document(entry) for entry in control_list],
    }
    return dump_yaml(document)


def _entry_document(entry: ControlEntry) -> dict[str, object]:
    return {
        "code": str(entry.code),
        "title": entry.title,
        "summary": entry.summary,
        "regime": entry.regime.value,
        "parameters": dict(entry.parameters),
        "notes": [{"kind": note.kind.value, "text": note.text} for note in entry.notes],
        "related": [str(code) for code in entry.related],
        "cyber_surveillance": entry.cyber_surveillance,
        "information_security": entry.information_security,
        "annex_iv": entry.annex_iv,
        "eugea_excluded": entry.eugea_excluded,
        "source": entry.source,
        "verified": entry.verified,
    }


# -- reading files -----------------------------------------------------------------------------------


def _name(path: Path, directory: Path) -> str:
    try:
        return path.relative_to(directory).as_posix()
    except ValueError:
        return path.name


def _read_yaml(path: Path, name: str, *, mapping: bool = True) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFailedError(f"cannot be read: {exc.strerror or exc}", location=name) from exc
    document = load_yaml(text, name)
    if mapping and not isinstance(document, Mapping):
        raise ImportFailedError("expected a mapping with kind, version and entries", location=name)
    return document


def _located(name: str, where: str, read: Callable[[], Any]) -> Any:
    try:
        return read()
    except ValidationError as exc:
        detail = exc.detail if isinstance(exc, ValidationError) else str(exc)
        if isinstance(exc, InvalidControlCodeError):
            detail = exc.problem
        raise ImportFailedError(f"{where}: {detail}", location=name) from exc


def _amendment(document: Mapping[str, Any], name: str) -> Amendment:
    if document.get("kind") != "amendment":
        raise ImportFailedError(f"expected kind: amendment, not {document.get('kind')!r}", location=name)
    unknown = sorted(str(k) for k in set(document) - {"kind", "version", "add", "change", "remove"})
    if unknown:
        raise ImportFailedError(f"unknown section {unknown[0]!r}", location=name)
    version = _located(name, "version", lambda: _version(document.get("version")))
    changes: list[EntryChange] = []
    for i, row in enumerate(_list(document.get("change"), name, "change")):
        where = f"change[{i}]" + (f" code {row.get('code')!r}" if isinstance(row, Mapping) else "")
        changes.append(_located(name, where, functools.partial(_change, row)))
    removals = [
        _located(name, f"remove[{i}] code {value!r}", functools.partial(_code, value))
        for i, value in enumerate(_list(document.get("remove"), name, "remove"))
    ]
    return Amendment(
        version=version,
        add=tuple(_entries(document.get("add"), name, "add")),
        change=tuple(changes),
        remove=tuple(removals),
    )


def _list(value: object, name: str, section: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailedError(f"{section}: expected a list", location=name)
    return value


def _entries(value: object, name: str, section: str) -> list[ControlEntry]:
    entries: list[ControlEntry] = []
    for i, row in enumerate(_list(value, name, section)):
        where = f"{section}[{i}]" + (f" code {row.get('code')!r}" if isinstance(row, Mapping) else "")
        entries.append(_located(name, where, functools.partial(_entry, row)))
    return entries


def _version(value: object) -> ListVersion:
    row = _mapping(value, "version")
    effective = row.get("effective_from")
    if isinstance(effective, str):
        try:
            effective = date.fromisoformat(effective)
        except ValueError as exc:
            raise ValidationError(f"effective_from {effective!r} is not a date (YYYY-MM-DD)") from exc
    if not isinstance(effective, date):
        raise ValidationError("effective_from must be a date (YYYY-MM-DD)")
    return ListVersion(
        id=_text(row.get("id"), "id", required=True),
        title=_text(row.get("title"), "title", required=True),
        effective_from=effective,
        legal_source=_text(row.get("legal_source"), "legal_source", required=True),
        verified=_flag(row.get("verified", False), "verified"),
    )


def _entry(value: object) -> ControlEntry:
    row = _mapping(value, "entry")
    unknown = sorted(str(k) for k in set(row) - set(_ENTRY_FIELDS))
    if unknown:
        raise ValidationError(f"unknown field {unknown[0]!r}")
    return ControlEntry(code=_code(row.get("code")), **_fields(row, required=("title",)))  # type: ignore[arg-type]  # _fields returns typed values per field


def _change(value: object) -> EntryChange:
    row = _mapping(value, "change")
    unknown = sorted(str(k) for k in set(row) - set(_ENTRY_FIELDS))
    if unknown:
        raise ValidationError(f"unknown field {unknown[0]!r}")
    fields = _fields(row, required=())
    if not fields:
        raise ValidationError("names no field to change")
    return EntryChange(code=_code(row.get("code")), fields=fields)


_READERS: Mapping[str, Callable[[object, str], object]] = {
    "title": lambda v, f: _text(v, f, required=True),
    "summary": lambda v, f: _text(v, f),
    "regime": lambda v, _f: _regime(v),
    "parameters": lambda v, _f: _parameters(v),
    "notes": lambda v, _f: _notes(v),
    "related": lambda v, _f: _related(v),
    "cyber_surveillance": lambda v, f: _flag(v, f),
    "information_security": lambda v, f: _flag(v, f),
    "annex_iv": lambda v, _f: _annex_iv(v),
    "eugea_excluded": lambda v, f: _flag(v, f),
    "source": lambda v, f: _text(v, f),
    "verified": lambda v, f: _flag(v, f),
}


def _fields(row: Mapping[str, Any], required: Iterable[str]) -> dict[str, object]:
    for name in required:
        if row.get(name) is None:
            raise ValidationError(f"{name} is required")
    return {name: _READERS[name](row[name], name) for name in _READERS if name in row}


def _code(value: object) -> ControlCode:
    if value is None:
        raise ValidationError("code is required")
    if not isinstance(value, str):
        raise ValidationError(f"code must be text, not {value!r} (quote it)")
    return ControlCode.parse(value)


def _related(value: object) -> tuple[ControlCode, ...]:
    codes: list[ControlCode] = []
    for item in _list_of(value, "related"):
        try:
            codes.append(_code(item))
        except InvalidControlCodeError as exc:
            raise ValidationError(f"related code {item!r}: {exc.problem}") from exc
    return tuple(codes)


def _regime(value: object) -> Regime:
    try:
        return Regime(str(value))
    except ValueError as exc:
        raise ValidationError(f"regime {value!r} is not one of {', '.join(r.value for r in Regime)}") from exc


def _annex_iv(value: object) -> str | None:
    if value is None:
        return None
    if value not in ("I", "II"):
        raise ValidationError(f"annex_iv must be I, II or null, not {value!r}")
    return str(value)


def _parameters(value: object) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ValidationError("parameters must be a mapping of names to values")
    return dict(value)


def _notes(value: object) -> tuple[Note, ...]:
    notes: list[Note] = []
    for i, row in enumerate(_list_of(value, "notes")):
        if isinstance(row, str):
            notes.append(Note(NoteKind.NOTE, row.strip()))
            continue
        if not isinstance(row, Mapping) or not isinstance(row.get("text"), str):
            raise ValidationError(f"notes[{i}] must have kind and text")
        try:
            kind = NoteKind(row.get("kind", "note"))
        except ValueError as exc:
            kinds = ", ".join(k.value for k in NoteKind)
            raise ValidationError(f"notes[{i}] kind {row.get('kind')!r} is not one of {kinds}") from exc
        notes.append(Note(kind, row["text"].strip()))
    return tuple(notes)


def parse_amendment_text(text: str, name: str) -> Amendment:
    """An amendment from its YAML text (an upload, or a stored import), not yet applied to any list."""
    document = load_yaml(text, name)
    if not isinstance(document, Mapping):
        raise ImportFailedError("expected a mapping with kind, version and add/change/remove", location=name)
    return _amendment(document, name)


@functools.lru_cache(maxsize=1)
def load_cryptography_note() -> CryptographyNote:
    """The shipped Cryptography Note (``cryptography_note.yaml``)."""
    name = "cryptography_note.yaml"
    document = _read_yaml(shipped_data_dir() / name, name)
    note = _mapping(document.get("cryptography_note"), "cryptography_note")
    try:
        paragraphs = tuple(
            NoteParagraph(
                id=str(p["id"]),
                title=str(p.get("title", "")),
                conditions=tuple(
                    NoteCondition(
                        str(c["id"]), str(c["text"]), bool(c.get("verified", False)), str(c.get("source", ""))
                    )
                    for c in p.get("conditions", [])
                ),
            )
            for p in note.get("paragraphs", [])
        )
        return CryptographyNote(
            title=str(note["title"]),
            summary=str(note.get("summary", "")),
            legal_source=str(note["legal_source"]),
            releases=tuple(ControlCode.parse(c) for c in note["releases"]["codes"]),
            not_released=tuple(ControlCode.parse(c) for c in note.get("not_released", {}).get("codes", [])),
            paragraphs=paragraphs,
            verified=bool(note.get("verified", False)),
        )
    except (KeyError, TypeError, ValidationError) as exc:
        raise ImportFailedError(f"malformed Cryptography Note: {exc}", location=name) from exc


def _text(value: object, name: str, *, required: bool = False) -> str:
    return as_text(value, name, required=required, numbers=True)


def _list_of(value: object, name: str) -> list[Any]:
    return as_list(value, name, single=True)
