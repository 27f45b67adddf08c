"""One way for every web form to say what is wrong: a list of errors, each tied to the id of the field it is
about, in plain language (GOV.UK Design System: error summary + error message).

A form handler collects what it can check itself (all at once, so the summary lists every error), then
calls the use case and turns a ``DualUseError`` it raises into one more error. The templates show the list
with the macros of ``_forms.html``; a field with an error gets its message beside it and ``aria-invalid``.
Internal field names never reach the page: ``plain`` puts the field's label in their place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.http.wording import plain


@dataclass
class FormErrors:
    """The errors of one form submission, in the order of the form's fields.

    ``ids`` maps a field name the domain uses (``exc.field``) to the id of the input on the page, for pages
    where the two differ; ``default`` is the id an error without a known field is shown beside.
    """

    default: str
    ids: Mapping[str, str] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, field_id: str, text: str) -> None:
        """One error beside ``field_id`` (once per field: the first one found is the one to fix first)."""
        if not any(e["field"] == field_id for e in self.items):
            self.items.append({"field": field_id, "text": plain(text)})

    def add_exception(self, exc: DualUseError | ValueError) -> None:
        """A use case's refusal of the input, beside the field it names."""
        name = exc.field if isinstance(exc, DualUseError) else None
        detail = exc.detail if isinstance(exc, DualUseError) else str(exc)
        self.add(self.field_id(name), detail)

    def field_id(self, name: str | None) -> str:
        if not name:
            return self.default
        base = name.split(".")[-1].split("[")[0]
        # a field the page names differently is in ``ids``; the others have the domain's name as their id
        return self.ids.get(name) or self.ids.get(base) or base

    def order(self, field_ids: Sequence[str]) -> None:
        """Put the errors in the order of the form's fields (the summary reads as the form does)."""
        rank = {field_id: n for n, field_id in enumerate(field_ids)}
        self.items.sort(key=lambda e: rank.get(e["field"], len(rank)))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.items)

    def as_list(self) -> list[dict[str, str]]:
        return list(self.items)


def required(errors: FormErrors, values: Mapping[str, str], messages: Mapping[str, str]) -> None:
    """An error for each field of ``messages`` left empty, with its message ("Enter the …")."""
    for name, message in messages.items():
        if not str(values.get(name, "")).strip():
            errors.add(errors.ids.get(name, name), message)
