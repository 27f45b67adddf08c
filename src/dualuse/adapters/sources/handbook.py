"""The handbook's own data (``dualuse/data/handbook/glossary.yaml``), the member states' penalties
(``dualuse/data/enforcement/penalties/*.yaml``, where that data exists) and the header of the authorities'
time limits, read as the handbook needs them. A file that does not fit raises ``ImportFailedError`` naming
it; nothing is half loaded."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from dualuse.adapters.sources.yaml_files import load_yaml, located
from dualuse.domain.casework import CaseworkRules
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.handbook import GlossaryTerm, PenaltyFile, TimeLimits
from dualuse.domain.rules.rulebook import check_legal_basis
from dualuse.services.reading import flag, mapping, text


def shipped_data_dir() -> Path:
    return Path(str(resources.files("dualuse") / "data"))


def load_glossary(path: Path | None = None) -> tuple[GlossaryTerm, ...]:
    """The glossary's terms, in the file's order (default: the shipped ``handbook/glossary.yaml``)."""
    path = path or shipped_data_dir() / "handbook" / "glossary.yaml"
    document = _document(path)
    terms = document.get("terms")
    if not isinstance(terms, list) or not terms:
        raise ImportFailedError("`terms` must be a non-empty list", location=path.name)
    built = []
    for index, raw in enumerate(terms, start=1):
        with located(path.name, raw, f"term {index}"):
            entry = mapping(raw, f"term {index}")
            basis = text(entry, "legal_basis")
            check_legal_basis(basis, "legal_basis")
            wording = text(entry, "wording", default="official")
            if wording not in ("official", "summary"):
                raise ImportFailedError(
                    "`wording` is official or summary", location=f"{path.name}: term {index}"
                )
            built.append(
                GlossaryTerm(
                    term=text(entry, "term"),
                    definition=text(entry, "definition"),
                    legal_basis=basis,
                    source=text(entry, "source"),
                    verified=flag(entry, "verified"),
                    wording=wording,
                )
            )
    return tuple(built)


def load_penalties(directory: Path | None = None) -> tuple[PenaltyFile, ...] | None:
    """Each member state's penalties file (``XX.yaml``), or None where the data has no penalties folder."""
    directory = directory or shipped_data_dir() / "enforcement" / "penalties"
    if not directory.is_dir():
        return None
    files = []
    for path in sorted(directory.glob("*.yaml")):
        content = _document(path)
        state = content.get("member_state")
        files.append(PenaltyFile(str(state) if isinstance(state, str) else path.stem.upper(), content))
    return tuple(files)


def load_time_limits(rules: CaseworkRules, directory: Path | None = None) -> TimeLimits:
    """The authorities' time limits in force (``rules``) with the source and mark of their file."""
    path = (directory or shipped_data_dir() / "casework") / "time_limits.yaml"
    header = _document(path)
    verified = header.get("verified")
    return TimeLimits(
        version=str(header.get("version") or rules.version),
        source=str(header.get("source") or "not stated"),
        verified=verified is True,
        per_state={state: dict(days) for state, days in rules.time_limits.items()},
    )


def _document(path: Path) -> Mapping[str, object]:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"), path.name)
    except FileNotFoundError:
        raise ImportFailedError("file is missing", location=path.name) from None
    if not isinstance(document, dict):
        raise ImportFailedError("expected a mapping at the top of the file", location=path.name)
    return document
