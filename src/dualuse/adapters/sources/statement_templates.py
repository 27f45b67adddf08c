"""The end-user statement templates shipped as YAML (``dualuse/data/casework/end_user_statements``), one
file per member state plus ``EU.yaml``, the model. A file that does not fit raises ``ImportFailedError``
naming the file; nothing is half loaded. The shipped files are read once per process."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.yaml_files import load_yaml
from dualuse.domain.casework.statement_templates import (
    Declaration,
    StatementTemplate,
    StatementTemplates,
    TemplateField,
)
from dualuse.domain.errors import ImportFailedError, ValidationError


def shipped_templates_dir() -> Path:
    return Path(str(resources.files("dualuse") / "data" / "casework" / "end_user_statements"))


def load_statement_templates(directory: Path | None = None) -> StatementTemplates:
    """The templates in ``directory`` (default: the shipped ones, read once)."""
    if directory is None:
        return _shipped()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _shipped() -> StatementTemplates:
    return _load(shipped_templates_dir())


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImportFailedError(f"`{key}` is missing", location=where)
    return " ".join(value.split())


def _boxes(value: object, where: str) -> tuple[TemplateField, ...]:
    if not isinstance(value, list):
        raise ImportFailedError("boxes are a list", location=where)
    boxes = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("required"), bool):
            raise ImportFailedError("a box has id, label, label_en and required", location=where)
        boxes.append(
            TemplateField(
                _text(entry, "id", where),
                _text(entry, "label", where),
                _text(entry, "label_en", where),
                entry["required"],
            )
        )
    return tuple(boxes)


def _template(path: Path) -> StatementTemplate:
    where = path.name
    document = load_yaml(path.read_text(encoding="utf-8"), where)
    if not isinstance(document, dict):
        raise ImportFailedError("the file is not a mapping", location=where)
    if not isinstance(document.get("verified"), bool):
        raise ImportFailedError("`verified` is true or false", location=where)
    state = _text(document, "state", where)
    if path.stem != state:
        raise ImportFailedError(f"the file of {state} is named {state}.yaml", location=where)
    declarations = document.get("declarations")
    if not isinstance(declarations, list) or not all(isinstance(d, dict) for d in declarations):
        raise ImportFailedError("declarations are a list of text and text_en", location=where)
    try:
        return StatementTemplate(
            state=state,
            language=_text(document, "language", where),
            title=_text(document, "title", where),
            title_en=_text(document, "title_en", where),
            authority=_text(document, "authority", where),
            fields=_boxes(document.get("fields"), where),
            declarations=tuple(
                Declaration(_text(d, "text", where), _text(d, "text_en", where)) for d in declarations
            ),
            signature=_boxes(document.get("signature"), where),
            source=_text(document, "source", where),
            verified=document["verified"],
        )
    except ValidationError as exc:
        raise ImportFailedError(exc.detail, location=where) from exc


def _load(directory: Path) -> StatementTemplates:
    templates = {t.state: t for t in (_template(p) for p in sorted(directory.glob("*.yaml")))}
    try:
        return StatementTemplates(templates)
    except ValidationError as exc:
        raise ImportFailedError(exc.detail, location=str(directory)) from exc
