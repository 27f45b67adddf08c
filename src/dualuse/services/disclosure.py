"""Who is named to whom (F13).

Exporters deal with *the competent authority* of their member state, not with its officers: an officer's
e-mail address is personal data the exporter does not need (GDPR Art. 5(1)(c), data minimisation) and a lever
for pressure on the person deciding. Civil-society reporters are never named on public pages: their reports
on end-users and destinations in third countries can put them at risk, and Art. 26(1) of Reg. (EU) 2021/821
only asks the authorities to take "appropriate measures ... for the protection of confidential information".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import is_dataclass, replace
from typing import Any, TypeVar, cast

from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.services.unit_of_work import StoredLicence


def authority_name(member_state: str | None) -> str:
    """How an authority appears to those outside it."""
    return f"the licensing authority ({member_state})" if member_state else "a competent authority"


def sees_officers(principal: Principal) -> bool:
    """Authorities see who among them did what; everyone else sees the authority."""
    return principal.organisation_kind is OrganisationKind.AUTHORITY


_R = TypeVar("_R")


def shown(principal: Principal, record: _R, fields: Sequence[str], member_state: str | None) -> _R:
    """``record`` (a typed record or a row) with the officers named in ``fields`` replaced by their
    authority, unless the reader is one."""
    if sees_officers(principal):
        return record
    if is_dataclass(record) and not isinstance(record, type):
        named = {f: authority_name(member_state) for f in fields if getattr(record, f, None)}
        return cast(_R, replace(record, **named)) if named else record
    row = cast(Mapping[str, Any], record)
    if not any(row.get(f) for f in fields):
        return record
    return cast(_R, {**row, **{f: authority_name(member_state) for f in fields if row.get(f)}})


def licence_as_seen(principal: Principal, stored: StoredLicence) -> StoredLicence:
    """The licence with the officer who proposed its pending change replaced by their authority, unless the
    reader is one."""
    pending = stored.licence.pending
    if pending is None or sees_officers(principal):
        return stored
    hidden = replace(pending, proposed_by=authority_name(stored.member_state))
    return replace(stored, licence=replace(stored.licence, pending=hidden))
