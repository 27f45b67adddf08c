"""When the first use of a Union general export authorisation is to be notified (Annex II, Part 3 of each
section), as a rule the general-authorisation service applies to an exporter's notification.

Annex II lets an exporter using EU001-EU006 tell its authority of the first use within 30 days *after* the
first export, unless its member state requires notification (or registration) *before* the first use.
EU007 requires notice at least 30 days before the first export, EU008 at least 10 days before, both after
registration. Where the member state's choice is not known (or not verified), the safe reading applies:
notify before the first export, and check with the authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dualuse.domain.rules.rulebook import (
    FirstUseNotice,
    FirstUseRegistration,
    GeneralAuthorisation,
    MemberStateSettings,
    StateFirstUseChoice,
)

ANNEX_II = "Regulation (EU) 2021/821, Annex II"


@dataclass(frozen=True, slots=True)
class FirstUseTiming:
    """For one authorisation and one member state: exports under the authorisation are covered from
    ``offset_days`` after the day the first use was notified (negative: that many days before it)."""

    authorisation_id: str
    offset_days: int
    rule: str
    """The rule in a sentence, for the exporter."""
    check_with_authority: bool
    """True where the member state's choice is not verified here and the safe reading was taken."""
    source: str

    def earliest_export(self, notified_on: date) -> date:
        """The first day an export under the authorisation is covered, given the day of notification."""
        return notified_on + timedelta(days=self.offset_days)

    @property
    def notice_after_export(self) -> bool:
        """True where the first use may be notified after the first export."""
        return self.offset_days < 0


def first_use_timing(authorisation: GeneralAuthorisation, state: MemberStateSettings) -> FirstUseTiming:
    """The first-use rule of ``authorisation`` for an exporter established in ``state``."""
    rule = authorisation.first_use
    gid = authorisation.id
    if rule is None:
        return FirstUseTiming(
            gid,
            0,
            f"{gid} is a national general authorisation: register or notify before the first export as the "
            f"authority of {state.name} requires, and check its terms with that authority.",
            check_with_authority=True,
            source=authorisation.source,
        )
    register = rule.registration is FirstUseRegistration.REQUIRED
    if rule.notice is FirstUseNotice.BEFORE_FIRST_EXPORT:
        before = "Register before the first use, and notify" if register else "Notify"
        return FirstUseTiming(
            gid,
            rule.days,
            f"{before} the first use of {gid} at least {rule.days} days before the first export "
            f"({ANNEX_II}).",
            check_with_authority=False,
            source=authorisation.source,
        )
    choice = state.first_use
    if not rule.member_state_may_require_before or choice.known_after:
        return FirstUseTiming(
            gid,
            -rule.days,
            f"Notify the authority of {state.name} of the first use of {gid} within {rule.days} days after "
            f"the first export ({ANNEX_II}; {state.name}'s choice: {choice.source}).",
            check_with_authority=False,
            source=choice.source,
        )
    if choice.verified and (
        choice.choice is StateFirstUseChoice.BEFORE_FIRST_USE or choice.registration_before_first_use
    ):
        return FirstUseTiming(
            gid,
            0,
            f"{state.name} requires notification or registration before the first use of {gid}: "
            f"do so before the first export ({choice.source}).",
            check_with_authority=False,
            source=choice.source,
        )
    return FirstUseTiming(
        gid,
        0,
        f"Annex II allows notice of the first use of {gid} within {rule.days} days after the first export, "
        f"or before the first use where the member state requires it; {state.name}'s choice is not "
        "verified here, so notify or register before the first export and check with your competent "
        "authority.",
        check_with_authority=True,
        source=choice.source,
    )
