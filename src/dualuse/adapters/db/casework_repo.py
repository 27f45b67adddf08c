"""Persistence of case files (``domain.casework.CaseFile``) as JSON with an optimistic-locking version,
and the parties index that precedents search."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id, now
from dualuse.domain.casework import (
    CaseFile,
    CodeCheck,
    EndUserStatement,
    Flag,
    FlagLevel,
    FlagStatus,
    PartyScreening,
    ScreeningMatch,
    StatementStatus,
)
from dualuse.domain.casework.supporting import SupportingDocument, SupportingKind
from dualuse.domain.casework.tracks import Ruling, Track, TrackKind, TrackStatus, Verdict
from dualuse.domain.errors import ConflictError
from dualuse.services.casework.ports import PrecedentQuery

Json = dict[str, Any]


def file_to_json(file: CaseFile) -> Json:
    return {
        "routed_by": file.routed_by,
        "screenings": [
            {
                "name": s.name,
                "role": s.role,
                "country": s.country,
                "matches": [
                    {"source": m.source, "entity_id": m.entity_id, "name": m.name, "score": m.score}
                    for m in s.matches
                ],
                "list_versions": dict(s.list_versions),
                "screened_at": s.screened_at.isoformat(),
                "trigger": s.trigger,
            }
            for s in file.screenings
        ],
        "code_checks": [
            {
                "control_code": c.control_code,
                "on_list": c.on_list,
                "cyber_surveillance": c.cyber_surveillance,
                "as_of": c.as_of.isoformat() if c.as_of else None,
                "note": c.note,
            }
            for c in file.code_checks
        ],
        "flags": [
            {
                "id": f.id,
                "level": f.level.value,
                "subject": f.subject,
                "label": f.label,
                "blocking": f.blocking,
                "raised_by": f.raised_by,
                "reason": f.reason,
                "rule_id": f.rule_id,
                "status": f.status.value,
                "cleared_by": f.cleared_by,
                "clear_reason": f.clear_reason,
            }
            for f in file.flags
        ],
    }


def file_from_row(row: Mapping[Any, Any]) -> CaseFile:
    data = row["data"]
    return CaseFile(
        case_id=row["case_id"],
        member_state=row["member_state"],
        team=row["team"],
        routed_by=data.get("routed_by", ""),
        assignee=row["assignee"],
        status=row["status"],
        status_since=aware(row["status_since"]),
        version=row["version"],
        screenings=tuple(
            PartyScreening(
                name=s["name"],
                role=s["role"],
                country=s["country"],
                matches=tuple(ScreeningMatch(**m) for m in s["matches"]),
                list_versions=dict(s["list_versions"]),
                screened_at=datetime.fromisoformat(s["screened_at"]),
                trigger=s["trigger"],
            )
            for s in data.get("screenings", [])
        ),
        code_checks=tuple(
            CodeCheck(
                control_code=c["control_code"],
                on_list=c["on_list"],
                cyber_surveillance=c["cyber_surveillance"],
                as_of=date.fromisoformat(c["as_of"]) if c["as_of"] else None,
                note=c.get("note", ""),
            )
            for c in data.get("code_checks", [])
        ),
        flags=tuple(
            Flag(
                id=f["id"],
                level=FlagLevel(f["level"]),
                subject=f["subject"],
                label=f["label"],
                blocking=f["blocking"],
                raised_by=f["raised_by"],
                reason=f["reason"],
                rule_id=f["rule_id"],
                status=FlagStatus(f["status"]),
                cleared_by=f["cleared_by"],
                clear_reason=f["clear_reason"],
            )
            for f in data.get("flags", [])
        ),
    )


def statement_to_json(s: EndUserStatement) -> Json:
    return {
        "exporter": s.exporter,
        "end_user": s.end_user,
        "country": s.country,
        "items": list(s.items),
        "end_use": s.end_use,
        "signed_by": s.signed_by,
        "signer_title": s.signer_title,
        "signed_at": s.signed_at.isoformat() if s.signed_at else None,
        "valid_until": s.valid_until.isoformat() if s.valid_until else None,
    }


def statement_from_row(row: Mapping[Any, Any]) -> EndUserStatement:
    data = row["data"]
    return EndUserStatement(
        number=row["number"],
        case_id=row["case_id"],
        member_state=row["member_state"],
        exporter=data["exporter"],
        end_user=data["end_user"],
        country=data["country"],
        items=tuple(data["items"]),
        end_use=data["end_use"],
        status=StatementStatus(row["status"]),
        signed_by=data["signed_by"],
        signer_title=data["signer_title"],
        signed_at=datetime.fromisoformat(data["signed_at"]) if data["signed_at"] else None,
        valid_until=date.fromisoformat(data["valid_until"]) if data["valid_until"] else None,
        version=row["version"],
    )


def _verdict(v: Verdict | None) -> dict[str, str] | None:
    return {"outcome": v.outcome, "reasoning": v.reasoning, "by": v.by} if v else None


def track_to_json(track: Track) -> Json:
    ruling = track.ruling
    return {
        "reason": track.reason,
        "case_id": track.case_id,
        "licence_number": track.licence_number,
        "request": dict(track.request),
        "recommendation": _verdict(track.recommendation),
        "decision": _verdict(track.decision),
        "ruling": {
            "outcome": ruling.outcome,
            "binding": ruling.binding,
            "answer": ruling.answer,
            "legal_basis": ruling.legal_basis,
            "by": ruling.by,
        }
        if ruling
        else None,
        "excluded": list(track.excluded),
    }


def track_from_row(row: Mapping[Any, Any]) -> Track:
    d = row["data"]
    return Track(
        id=row["id"],
        kind=TrackKind(row["kind"]),
        member_state=row["member_state"],
        organisation_id=row["organisation_id"],
        reason=d["reason"],
        case_id=d["case_id"],
        licence_number=d["licence_number"],
        request=dict(d["request"]),
        status=TrackStatus(row["status"]),
        recommendation=Verdict(**d["recommendation"]) if d["recommendation"] else None,
        decision=Verdict(**d["decision"]) if d["decision"] else None,
        ruling=Ruling(**d["ruling"]) if d["ruling"] else None,
        excluded=tuple(d["excluded"]),
        version=row["version"],
    )


class SqlCasework:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def file(self, case_id: int) -> CaseFile | None:
        f = t.casework_files
        row: RowMapping | None = self._c.execute(select(f).where(f.c.case_id == case_id)).mappings().first()
        return file_from_row(row) if row else None

    def files(self, case_ids: Collection[int]) -> Mapping[int, CaseFile]:
        if not case_ids:
            return {}
        f = t.casework_files
        rows = self._c.execute(select(f).where(f.c.case_id.in_(sorted(case_ids)))).mappings()
        return {r["case_id"]: file_from_row(r) for r in rows}

    def add_file(self, file: CaseFile, party_names: Collection[str]) -> None:
        try:
            self._c.execute(
                t.casework_files.insert().values(
                    case_id=file.case_id,
                    member_state=file.member_state,
                    team=file.team,
                    assignee=file.assignee,
                    status=file.status,
                    status_since=file.status_since,
                    version=file.version,
                    data=file_to_json(file),
                    updated_at=now(),
                )
            )
        except IntegrityError:
            raise ConflictError("the case already has a case file") from None
        p = t.casework_parties
        self._c.execute(delete(p).where(p.c.case_id == file.case_id))
        names = sorted(set(party_names))
        if names:
            self._c.execute(p.insert(), [{"case_id": file.case_id, "name_key": n} for n in names])

    def save_file(self, file: CaseFile, *, expected_version: int) -> None:
        if file.version != expected_version + 1:
            raise ValueError("a saved case file moves on by exactly one version")
        f = t.casework_files
        result = self._c.execute(
            f.update()
            .where(f.c.case_id == file.case_id, f.c.version == expected_version)
            .values(
                team=file.team,
                assignee=file.assignee,
                status=file.status,
                status_since=file.status_since,
                version=f.c.version + 1,
                data=file_to_json(file),
                updated_at=now(),
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the case file changed meanwhile: reload")

    def note_status(self, case_id: int, status: str, at: datetime) -> None:
        f = t.casework_files
        self._c.execute(
            f.update()
            .where(f.c.case_id == case_id, f.c.status != status)
            .values(status=status, status_since=at, updated_at=now())
        )

    def open_case_ids(self, *, closed: Collection[str]) -> Sequence[int]:
        f = t.casework_files
        query = select(f.c.case_id).where(f.c.status.not_in(sorted(closed))).order_by(f.c.case_id)
        return [int(r) for r in self._c.execute(query).scalars()]

    def precedents(self, query: PrecedentQuery) -> Sequence[int]:
        c, d, i, p = (
            t.licensing_cases,
            t.licensing_case_destinations,
            t.licensing_case_items,
            t.casework_parties,
        )
        matches = []
        if query.control_codes:
            matches.append(
                c.c.id.in_(select(i.c.case_id).where(i.c.control_code.in_(sorted(query.control_codes))))
            )
        if query.destinations:
            matches.append(c.c.id.in_(select(d.c.case_id).where(d.c.country.in_(sorted(query.destinations)))))
        if query.party_names:
            matches.append(c.c.id.in_(select(p.c.case_id).where(p.c.name_key.in_(sorted(query.party_names)))))
        if not matches:
            return []
        rows = self._c.execute(
            select(c.c.id)
            .where(
                c.c.member_state == query.member_state,
                c.c.status == "decided",
                c.c.id != query.exclude_case,
                or_(*matches),
            )
            .order_by(c.c.updated_at.desc(), c.c.id.desc())
            .limit(query.limit)
        ).scalars()
        return [int(r) for r in rows]

    # --- digital end-user statements ---------------------------------------------------------------------
    def add_statement(self, statement: EndUserStatement, token_hash: str) -> None:
        try:
            self._c.execute(
                t.end_user_statements.insert().values(
                    number=statement.number,
                    case_id=statement.case_id,
                    member_state=statement.member_state,
                    status=statement.status.value,
                    token_hash=token_hash,
                    version=statement.version,
                    data=statement_to_json(statement),
                    created_at=now(),
                    updated_at=now(),
                )
            )
        except IntegrityError:
            raise ConflictError(
                "the statement number was taken meanwhile: try again"
            ) from None  # tx spoilt: rolled back

    def _one(self, condition: Any) -> EndUserStatement | None:
        e = t.end_user_statements
        row = self._c.execute(select(e).where(condition)).mappings().first()
        return statement_from_row(row) if row else None

    def statement(self, number: str) -> EndUserStatement | None:
        return self._one(t.end_user_statements.c.number == number)

    def statement_by_token(self, token_hash: str) -> EndUserStatement | None:
        return self._one(t.end_user_statements.c.token_hash == token_hash)

    def statements(self, case_id: int) -> Sequence[EndUserStatement]:
        e = t.end_user_statements
        rows = self._c.execute(select(e).where(e.c.case_id == case_id).order_by(e.c.id)).mappings()
        return [statement_from_row(r) for r in rows]

    def save_statement(self, statement: EndUserStatement, *, expected_version: int) -> None:
        e = t.end_user_statements
        result = self._c.execute(
            e.update()
            .where(e.c.number == statement.number, e.c.version == expected_version)
            .values(
                status=statement.status.value,
                version=statement.version,
                data=statement_to_json(statement),
                updated_at=now(),
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the statement changed meanwhile: reload")

    def statement_count(self, member_state: str, year: int) -> int:
        e = t.end_user_statements
        prefix = f"EUS-{member_state}-{year:04d}-"
        found = self._c.execute(select(func.count()).where(e.c.number.like(prefix + "%"))).scalar_one()
        return int(found)

    # --- requests after the decision -------------------------------------------------------------------
    def add_track(self, build: Callable[[int], Track]) -> Track:
        k = t.casework_tracks
        draft = build(0)
        values = {
            "kind": draft.kind.value,
            "member_state": draft.member_state,
            "organisation_id": draft.organisation_id,
            "status": draft.status.value,
            "version": draft.version,
            "data": track_to_json(draft),
            "created_at": now(),
            "updated_at": now(),
        }
        track = build(new_id(self._c.execute(k.insert().values(**values))))
        self._c.execute(k.update().where(k.c.id == track.id).values(data=track_to_json(track)))
        return track

    def track(self, track_id: int) -> Track | None:
        k = t.casework_tracks
        row = self._c.execute(select(k).where(k.c.id == track_id)).mappings().first()
        return track_from_row(row) if row else None

    def tracks(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Track]:
        k = t.casework_tracks
        query = select(k).order_by(k.c.id.desc())
        if organisation_id is not None:
            query = query.where(k.c.organisation_id == organisation_id)
        if member_state is not None:
            query = query.where(k.c.member_state == member_state)
        return [track_from_row(r) for r in self._c.execute(query).mappings()]

    def save_track(self, track: Track, *, expected_version: int) -> None:
        k = t.casework_tracks
        result = self._c.execute(
            k.update()
            .where(k.c.id == track.id, k.c.version == expected_version)
            .values(
                status=track.status.value, version=track.version, data=track_to_json(track), updated_at=now()
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the request changed meanwhile: reload")

    def add_supporting(
        self, *, case_id: int, document_id: int, kind: SupportingKind, title: str, uploaded_by: str
    ) -> SupportingDocument:
        a = t.application_documents
        new = new_id(
            self._c.execute(
                a.insert().values(
                    case_id=case_id,
                    document_id=document_id,
                    kind=kind.value,
                    title=title[:200],
                    uploaded_by=uploaded_by,
                    uploaded_at=now(),
                )
            )
        )
        return next(s for s in self.supporting(case_id) if s.id == new)

    def supporting(self, case_id: int) -> Sequence[SupportingDocument]:
        a, d = t.application_documents, t.documents
        rows = self._c.execute(
            select(a, d.c.sha256, d.c.media_type, d.c.size)
            .join(d, d.c.id == a.c.document_id)
            .where(a.c.case_id == case_id)
            .order_by(a.c.id)
        ).mappings()
        return [
            SupportingDocument(
                id=r["id"],
                case_id=r["case_id"],
                document_id=r["document_id"],
                kind=SupportingKind(r["kind"]),
                title=r["title"],
                sha256=r["sha256"],
                media_type=r["media_type"],
                size=r["size"],
                uploaded_by=r["uploaded_by"],
                uploaded_at=aware(r["uploaded_at"]),
            )
            for r in rows
        ]
