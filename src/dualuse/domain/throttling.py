"""Limits on repeated attempts: failed sign-ins per account and per client address, anonymous submissions
per client address, unknown API tokens per client address.

A limit allows ``attempts`` in a window of ``window`` that starts with the first attempt; once they are
used up, further attempts are refused until the window ends. The counters live in the database, so every
app process behind a load balancer shares them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` of ``action`` per ``per`` (an account, a client address) within ``window``."""

    action: str
    per: str
    attempts: int
    window: timedelta

    def key(self, subject: str) -> str:
        """The counter's key: one counter per action, kind of subject and subject."""
        return f"{self.action}:{self.per}:{subject}"[:300]


@dataclass(frozen=True)
class Count:
    """A counter after an attempt: how many attempts its window has seen, and when the window ends."""

    attempts: int
    resets_at: datetime

    def exceeds(self, limit: Limit) -> bool:
        return self.attempts > limit.attempts

    def first_refusal(self, limit: Limit) -> bool:
        """This attempt is the first one the limit refuses (worth recording; the ones after it are not)."""
        return self.attempts == limit.attempts + 1

    def retry_after(self, now: datetime) -> int:
        """Seconds until the window ends (at least one)."""
        return max(1, int((self.resets_at - now).total_seconds()) + 1)


def client_key(address: str | None) -> str:
    """The client a counter belongs to: its IPv4 address, or the /64 network of an IPv6 address (one
    subscriber is handed a whole /64, so counting single IPv6 addresses would count nothing)."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(frozen=True)
class AccessPolicy:
    """The limits and session lifetimes in force (``config.Settings`` sets them)."""

    signin_per_account: Limit = Limit("sign-in-failure", "account", 5, timedelta(minutes=15))
    signin_per_client: Limit = Limit("sign-in-failure", "client", 20, timedelta(minutes=15))
    submissions_per_client: Limit = Limit("submission", "client", 5, timedelta(hours=1))
    # public comments on list changes (issue 15): the same kind of public form as a submission
    list_comments_per_client: Limit = Limit("list-change-comment", "client", 10, timedelta(hours=1))
    bad_tokens_per_client: Limit = Limit("bad-token", "client", 20, timedelta(minutes=15))
    session_idle: timedelta = timedelta(minutes=60)
    session_lifetime: timedelta = timedelta(hours=8)
