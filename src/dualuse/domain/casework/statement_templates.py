"""End-user statement templates per member state (issue 19, point 4): the form an exporter sends its
end-user to fill in and sign, in the wording and language of the state whose authority decides. An
authorisation may be subject to an end-use statement (Reg. (EU) 2021/821 Art. 12; the paragraph is not
verified); the Regulation prescribes no form, so each state's template is data (``data/casework/
end_user_statements/<STATE>.yaml``) with its source and a ``verified`` mark, and a state without one gets the
EU model (``EU``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

DEFAULT = "EU"


@dataclass(frozen=True)
class TemplateField:
    """A box to fill in: its label in the template's language and in English."""

    id: str
    label: str
    label_en: str
    required: bool


@dataclass(frozen=True)
class Declaration:
    text: str
    text_en: str


@dataclass(frozen=True)
class StatementTemplate:
    state: str  # a member state's ISO code, or "EU" for the model
    language: str
    title: str
    title_en: str
    authority: str
    fields: tuple[TemplateField, ...]
    declarations: tuple[Declaration, ...]
    signature: tuple[TemplateField, ...]
    source: str
    verified: bool

    def __post_init__(self) -> None:
        if self.state != DEFAULT and self.state not in EU_MEMBER_STATES:
            raise ValidationError(f"{self.state!r} is not a member state", field="state")
        ids = [f.id for f in (*self.fields, *self.signature)]
        if len(set(ids)) != len(ids):
            raise ValidationError(f"{self.state}: two boxes have the same id", field="fields")
        if not self.fields or not self.declarations or not self.signature:
            raise ValidationError(f"{self.state}: boxes, declarations and a signature block", field="fields")

    @property
    def required(self) -> tuple[str, ...]:
        """The ids of the boxes the end-user must fill in."""
        return tuple(f.id for f in (*self.fields, *self.signature) if f.required)


@dataclass(frozen=True)
class StatementTemplates:
    templates: Mapping[str, StatementTemplate]
    version: str = ""

    def __post_init__(self) -> None:
        if DEFAULT not in self.templates:
            raise ValidationError("the EU model template is missing", field="state")

    def for_state(self, member_state: str) -> StatementTemplate:
        """The template of ``member_state``; the EU model for a member state without its own.
        ``ValidationError`` for a code that is neither a member state nor ``EU``."""
        code = member_state.strip().upper()
        if code != DEFAULT and code not in EU_MEMBER_STATES:
            raise ValidationError(f"{member_state!r} is not a member state", field="state")
        return self.templates.get(code) or self.templates[DEFAULT]

    def own(self, member_state: str) -> bool:
        """Whether the state has a template of its own (else it uses the EU model)."""
        return member_state.strip().upper() in self.templates
