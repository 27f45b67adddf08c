"""Supporting documents on an application (issue 19, point 4): the contract, the technical specification
and other papers an exporter files with its application so the authority can assess it (Art. 12(2): the
authority may ask for information, such as an end-use statement, before it decides; Art. 14 the competent
authority decides on the information the applicant gives). The bytes are kept in the document store; this
is what the case says of each file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dualuse.domain.errors import ValidationError

TITLE_MAX = 200


class SupportingKind(StrEnum):
    CONTRACT = "contract"
    TECHNICAL_SPECIFICATION = "technical_specification"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "contract": "Contract or order",
            "technical_specification": "Technical specification",
            "other": "Other supporting document",
        }[self.value]


@dataclass(frozen=True)
class SupportingDocument:
    id: int
    case_id: int
    document_id: int
    kind: SupportingKind
    title: str
    sha256: str
    media_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime


def supporting_kind(value: str) -> SupportingKind:
    """The kind of document the exporter said it files; anything else is refused on ``kind``."""
    try:
        return SupportingKind(value)
    except ValueError:
        raise ValidationError(
            "choose contract, technical specification or other document", field="kind"
        ) from None


def supporting_title(value: str, file_name: str) -> str:
    """The title the exporter gave, or the file's name; at most 200 characters."""
    title = " ".join(value.split()) or " ".join(file_name.split())
    if not title:
        raise ValidationError("give the document a title", field="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"a title is at most {TITLE_MAX} characters", field="title")
    return title
