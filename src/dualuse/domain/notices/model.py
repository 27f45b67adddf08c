"""An authority's notice to an exporter, broker or provider of technical assistance that an authorisation is
required (Reg. (EU) 2021/821 Art. 4(1), 5(1), 6(1), 7, 8(1)), as a record: who issued it to whom, for what
(a transaction, an end-user or a destination), under which article, why and when; in force until withdrawn.

While in force it binds the receiving party's determinations on every path (``notice_binding``): the answer
says "licence required" under the notice's article and cites the notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dualuse.domain.duediligence.art5 import normalise_end_user, normalise_item
from dualuse.domain.errors import ValidationError
from dualuse.domain.notices.binding import REGULATION, Binding
from dualuse.domain.rules.facts import Activity, Knowledge, canonical_control_code, country_code, country_name


class NoticeArticle(StrEnum):
    """The provision under which the authority informs the party that an authorisation is required."""

    ART_4_1 = "4(1)"
    """Export of non-listed items intended for a use of Art. 4(1)(a)-(c)."""
    ART_5_1 = "5(1)"
    """Export of non-listed cyber-surveillance items for internal repression or serious violations."""
    ART_6_1 = "6(1)"
    """Brokering services for listed items intended for a use of Art. 4(1)."""
    ART_7 = "7"
    """Transit of listed items intended for a use of Art. 4(1) [M: paragraph not verified]."""
    ART_8_1 = "8(1)"
    """Technical assistance related to items intended for a use of Art. 4(1)."""

    @property
    def legal_basis(self) -> str:
        return f"{REGULATION}, Art. {self.value}"

    @property
    def activity(self) -> Activity:
        """The activity the article is about."""
        return _ACTIVITY[self]


_ACTIVITY = {
    NoticeArticle.ART_4_1: Activity.EXPORT,
    NoticeArticle.ART_5_1: Activity.EXPORT,
    NoticeArticle.ART_6_1: Activity.BROKERING,
    NoticeArticle.ART_7: Activity.TRANSIT,
    NoticeArticle.ART_8_1: Activity.TECHNICAL_ASSISTANCE,
}


class NoticeScope(StrEnum):
    """What the notice is about."""

    TRANSACTION = "transaction"
    """One transaction: its destination, end-user and item."""
    END_USER = "end_user"
    """Every transaction with this end-user (in this country)."""
    DESTINATION = "destination"
    """Every transaction to this destination."""


class NoticeStatus(StrEnum):
    IN_FORCE = "in_force"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class NoticeSubject:
    """What a notice covers, checked: the destination always; the end-user for an end-user or transaction
    notice; the item (a description, or a control code) for a transaction notice."""

    scope: NoticeScope
    destination: str
    end_user: str = ""
    item: str = ""
    control_code: str | None = None

    @classmethod
    def of(
        cls,
        scope: NoticeScope | str,
        *,
        destination: str,
        end_user: str = "",
        item: str = "",
        control_code: str | None = None,
    ) -> NoticeSubject:
        """``ValidationError`` naming the field if the scope lacks what it needs."""
        try:
            kind = NoticeScope(scope)
        except ValueError:
            allowed = ", ".join(NoticeScope)
            raise ValidationError(f"{scope!r} is not a scope ({allowed})", field="scope") from None
        country = country_code(destination, "destination")
        name = (end_user or "").strip()
        what = (item or "").strip()
        code = canonical_control_code(control_code) if control_code and control_code.strip() else None
        if kind is not NoticeScope.DESTINATION and not normalise_end_user(name):
            raise ValidationError("name the end-user the notice is about", field="end_user")
        if kind is NoticeScope.TRANSACTION and not (normalise_item(what) or code):
            raise ValidationError("describe the item, or give its control code", field="item")
        if kind is NoticeScope.DESTINATION:
            name, what, code = "", "", None
        elif kind is NoticeScope.END_USER:
            what, code = "", None
        return cls(kind, country, name, what, code)

    @property
    def words(self) -> str:
        """The subject in a line: "exports to Iran (IR)", "… for X in India (IN)"."""
        where = f"{country_name(self.destination)} ({self.destination})"
        if self.scope is NoticeScope.DESTINATION:
            return f"every transaction to {where}"
        if self.scope is NoticeScope.END_USER:
            return f"every transaction for {self.end_user} in {where}"
        what = self.item or self.control_code or "the item"
        return f"{what} for {self.end_user} in {where}"


@dataclass(frozen=True, slots=True)
class AuthorityNotice:
    """A notice as issued (and perhaps withdrawn)."""

    id: int
    member_state: str
    """The issuing competent authority's member state."""
    organisation_id: int
    organisation_name: str
    article: NoticeArticle
    subject: NoticeSubject
    reason: str
    issued_on: date
    issued_by: str
    status: NoticeStatus = NoticeStatus.IN_FORCE
    withdrawn_on: date | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None

    @property
    def number(self) -> str:
        """The notice's reference: issuing state and id (``DE-N-7``)."""
        return f"{self.member_state}-N-{self.id}"

    @property
    def in_force(self) -> bool:
        return self.status is NoticeStatus.IN_FORCE

    @property
    def citation(self) -> str:
        return (
            f"Notice {self.number} of the competent authority of {country_name(self.member_state)} "
            f"({self.issued_on.isoformat()})"
        )


def notice_binding(notice: AuthorityNotice) -> Binding:
    """The notice as it binds the party's determinations: licence required under its article for what it
    covers, citing it. An Art. 5(1) notice reaches the engine through the Art. 5 facts (informed of internal
    repression; the non-listed item a cyber-surveillance item); the other articles put their floor under the
    answer without choosing a letter of Art. 4(1) the notice did not state."""
    subject = notice.subject
    art5 = notice.article is NoticeArticle.ART_5_1
    return Binding(
        id=f"notice-{notice.number}",
        legal_basis=notice.article.legal_basis,
        citation=notice.citation,
        explanation=(
            f"The competent authority informed you by notice {notice.number} of "
            f"{notice.issued_on.isoformat()} that {subject.words} needs an authorisation under Art. "
            f"{notice.article.value}: {notice.reason}"
        ),
        informed=frozenset({Knowledge.INTERNAL_REPRESSION}) if art5 else frozenset(),
        cyber_surveillance=art5,
        activities=frozenset({notice.article.activity}),
        destination=subject.destination,
        end_user=normalise_end_user(subject.end_user) if subject.end_user else None,
        item=normalise_item(subject.item) if subject.item else None,
        control_code=subject.control_code,
    )
