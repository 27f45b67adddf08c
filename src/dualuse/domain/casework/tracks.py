"""After the decision (issue 19, point 5): requests that open a track of their own beside a decided case or
a licence, each with its own decision.

- ``extension`` / ``amendment``: the holder asks to extend or change its licence; an officer recommends,
  a senior other than the officer decides (four eyes; the change itself goes through the licence's own
  propose-and-countersign moves, Art. 16).
- ``appeal``: the applicant challenges a refusal (national administrative law; the Regulation leaves the
  remedy to the member states); an officer other than the one who recommended the refusal recommends
  allowing or dismissing it, a senior decides.
- ``enquiry``: before applying, an exporter asks whether an item is listed or an export licensable; the
  authority answers with a binding or non-binding ruling (and a "no licence required" letter where that is
  the answer).

The moves are a table (``TRACK_TRANSITIONS``); each records an event; a track is optimistically locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError

TEXT_MAX = 5000


class TrackKind(StrEnum):
    EXTENSION = "extension"
    AMENDMENT = "amendment"
    APPEAL = "appeal"
    ENQUIRY = "enquiry"


class TrackStatus(StrEnum):
    SUBMITTED = "submitted"
    RECOMMENDED = "recommended"
    DECIDED = "decided"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


class TrackAction(StrEnum):
    RECOMMEND = "recommend"
    RETURN = "return"
    DECIDE = "decide"
    ANSWER = "answer"
    WITHDRAW = "withdraw"


S, A = TrackStatus, TrackAction
_DECIDED_KINDS = frozenset({TrackKind.EXTENSION, TrackKind.AMENDMENT, TrackKind.APPEAL})

TRACK_TRANSITIONS: Mapping[tuple[TrackStatus, TrackAction], tuple[TrackStatus, str, frozenset[TrackKind]]] = (
    MappingProxyType(
        {
            (S.SUBMITTED, A.RECOMMEND): (S.RECOMMENDED, "TrackRecommended", _DECIDED_KINDS),
            (S.RECOMMENDED, A.RETURN): (S.SUBMITTED, "TrackReturned", _DECIDED_KINDS),
            (S.RECOMMENDED, A.DECIDE): (S.DECIDED, "TrackDecided", _DECIDED_KINDS),
            (S.SUBMITTED, A.ANSWER): (S.ANSWERED, "EnquiryAnswered", frozenset({TrackKind.ENQUIRY})),
            (S.SUBMITTED, A.WITHDRAW): (S.WITHDRAWN, "TrackWithdrawn", frozenset(TrackKind)),
        }
    )
)
"""Every legal (status, action) pair, the status it reaches, its event and the kinds of track it fits."""

OUTCOMES: Mapping[TrackKind, frozenset[str]] = MappingProxyType(
    {
        TrackKind.EXTENSION: frozenset({"grant", "refuse"}),
        TrackKind.AMENDMENT: frozenset({"grant", "refuse"}),
        TrackKind.APPEAL: frozenset({"allow", "dismiss"}),
        TrackKind.ENQUIRY: frozenset({"listed", "not_listed", "licence_required", "no_licence_required"}),
    }
)


@dataclass(frozen=True)
class Verdict:
    """A recommendation or a decision: the outcome, why, and who."""

    outcome: str
    reasoning: str
    by: str


@dataclass(frozen=True)
class Ruling:
    """The answer to an enquiry; a binding ruling commits the authority for the facts stated."""

    outcome: str
    binding: bool
    answer: str
    legal_basis: str
    by: str


@dataclass(frozen=True)
class Track:
    id: int
    kind: TrackKind
    member_state: str
    organisation_id: int
    reason: str  # the exporter's grounds, or its question
    case_id: int | None = None
    licence_number: str = ""
    request: Mapping[str, str] = field(default_factory=dict)  # valid_until, conditions, control_code…
    status: TrackStatus = TrackStatus.SUBMITTED
    recommendation: Verdict | None = None
    decision: Verdict | None = None
    ruling: Ruling | None = None
    excluded: tuple[str, ...] = ()  # who may not handle it (the officer and senior of the decision appealed)
    version: int = 1


@dataclass(frozen=True)
class TrackEvent:
    name: str
    track_id: int
    actor: str
    before: TrackStatus | None
    after: TrackStatus
    note: str


def _text(value: str, what: str, field_name: str) -> str:
    value = value.strip()
    if not value or len(value) > TEXT_MAX:
        raise ValidationError(f"{what} (up to {TEXT_MAX} characters)", field=field_name)
    return value


def open_track(
    track_id: int,
    *,
    kind: TrackKind | str,
    member_state: str,
    organisation_id: int,
    reason: str,
    opened_by: str,
    case_id: int | None = None,
    licence_number: str = "",
    request: Mapping[str, str] | None = None,
    excluded: tuple[str, ...] = (),
) -> tuple[Track, TrackEvent]:
    try:
        parsed = TrackKind(kind)
    except ValueError:
        raise ValidationError(f"unknown kind of request {kind!r}", field="kind") from None
    what = "ask your question" if parsed is TrackKind.ENQUIRY else "give your grounds"
    track = Track(
        id=track_id,
        kind=parsed,
        member_state=member_state,
        organisation_id=organisation_id,
        reason=_text(reason, what, "reason"),
        case_id=case_id,
        licence_number=licence_number,
        request=dict(request or {}),
        excluded=excluded,
    )
    return track, TrackEvent(
        f"{parsed.value.capitalize()}Opened", track_id, opened_by, None, track.status, parsed
    )


def _move(track: Track, action: TrackAction, expected_version: int | None) -> tuple[TrackStatus, str]:
    if expected_version is not None and expected_version != track.version:
        raise ConflictError(
            f"request {track.id} is at version {track.version}, not {expected_version}; reload"
        )
    row = TRACK_TRANSITIONS.get((track.status, action))
    if row is None or track.kind not in row[2]:
        raise ConflictError(f"a {track.kind} that is {track.status} cannot be given '{action}'")
    return row[0], row[1]


def _outcome(track: Track, outcome: str) -> str:
    if outcome not in OUTCOMES[track.kind]:
        allowed = ", ".join(sorted(OUTCOMES[track.kind]))
        raise ValidationError(f"a {track.kind} ends in one of: {allowed}", field="outcome")
    return outcome


def _handler(track: Track, actor: str) -> None:
    if actor in track.excluded:
        raise PermissionDeniedError("whoever took the decision under appeal does not handle the appeal")


def recommend(
    track: Track, *, outcome: str, reasoning: str, officer: str, expected_version: int | None = None
) -> tuple[Track, TrackEvent]:
    target, name = _move(track, TrackAction.RECOMMEND, expected_version)
    _handler(track, officer)
    verdict = Verdict(_outcome(track, outcome), _text(reasoning, "give your reasons", "reasoning"), officer)
    after = replace(track, status=target, recommendation=verdict, version=track.version + 1)
    return after, TrackEvent(name, track.id, officer, track.status, target, outcome)


def send_back(
    track: Track, *, senior: str, reasoning: str, expected_version: int | None = None
) -> tuple[Track, TrackEvent]:
    """The senior returns the recommendation to the officer, saying why (no decision is taken)."""
    target, name = _move(track, TrackAction.RETURN, expected_version)
    note = _text(reasoning, "say why you return it", "reasoning")
    return replace(track, status=target, version=track.version + 1), TrackEvent(
        name, track.id, senior, track.status, target, note
    )


def decide(
    track: Track, *, outcome: str, reasoning: str, senior: str, expected_version: int | None = None
) -> tuple[Track, TrackEvent]:
    """Four eyes: a senior other than the recommending officer decides."""
    target, name = _move(track, TrackAction.DECIDE, expected_version)
    _handler(track, senior)
    assert track.recommendation is not None  # noqa: S101 - recommended tracks carry one
    if senior == track.recommendation.by:
        raise PermissionDeniedError(
            "four eyes: the person who recommended may not decide their own recommendation"
        )
    verdict = Verdict(_outcome(track, outcome), _text(reasoning, "give your reasons", "reasoning"), senior)
    after = replace(track, status=target, decision=verdict, version=track.version + 1)
    return after, TrackEvent(name, track.id, senior, track.status, target, outcome)


def answer(
    track: Track,
    *,
    outcome: str,
    binding: bool,
    answer_text: str,
    legal_basis: str,
    officer: str,
    expected_version: int | None = None,
) -> tuple[Track, TrackEvent]:
    """Answer an enquiry with a ruling, binding or not, naming its legal basis."""
    target, name = _move(track, TrackAction.ANSWER, expected_version)
    ruling = Ruling(
        _outcome(track, outcome),
        binding,
        _text(answer_text, "write the answer", "answer"),
        _text(legal_basis, "name the legal basis (e.g. Art. 3(1) and Annex I)", "legal_basis"),
        officer,
    )
    after = replace(track, status=target, ruling=ruling, version=track.version + 1)
    return after, TrackEvent(name, track.id, officer, track.status, target, outcome)


def withdraw(track: Track, *, actor: str, expected_version: int | None = None) -> tuple[Track, TrackEvent]:
    target, name = _move(track, TrackAction.WITHDRAW, expected_version)
    return replace(track, status=target, version=track.version + 1), TrackEvent(
        name, track.id, actor, track.status, target, ""
    )
