"""Pure rules behind sign-in hardening: the password rule (F22), client keys and limits (F5, F14), token
scopes (F6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dualuse.adapters.security import common_passwords
from dualuse.domain.identity import TokenScope
from dualuse.domain.passwords import password_problem
from dualuse.domain.throttling import Count, Limit, client_key

COMMON = {"password", "qwerty", "iloveyou", "dragon"}


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 12"),
        ("x" * 257, "at most 256"),
        ("password", "at least 12"),
        ("PASSWORD2024!", "too common"),
        ("!!qwerty123456", "too common"),
        ("  Dragon99999 ", "too common"),
        ("zzzzzzzzzzzzz", "too few"),
        ("ab12ab12ab12ab12", "too few"),
        ("mariekowalski-2026", "email"),
    ],
)
def test_f22_the_password_rule_refuses(password: str, problem: str) -> None:
    found = password_problem(password, email="mariekowalski@acme.example", is_common=COMMON.__contains__)
    assert found is not None
    assert problem in found


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "Tr0ub4dor&3-and-more", "dragonfly meadow"]
)
def test_f22_the_password_rule_accepts(password: str) -> None:
    assert password_problem(password, email="marie@acme.example", is_common=COMMON.__contains__) is None


def test_f22_the_shipped_list_holds_the_common_passwords() -> None:
    shipped = common_passwords()
    assert len(shipped) > 19_000
    assert {"password", "123456", "qwerty123456", "1q2w3e4r5t6y"} <= shipped
    assert all(p == p.lower().strip() for p in list(shipped)[:500])


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_f5_clients_are_counted_by_address_or_ipv6_network(address: str | None, key: str) -> None:
    assert client_key(address) == key


def test_f5_a_count_says_when_to_try_again() -> None:
    limit = Limit("sign-in-failure", "account", 5, timedelta(minutes=15))
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    count = Count(attempts=6, resets_at=now + timedelta(minutes=10))
    assert count.exceeds(limit)
    assert count.first_refusal(limit)
    assert count.retry_after(now) == 601
    assert not Count(5, now).exceeds(limit)
    assert limit.key("a@b.eu") == "sign-in-failure:account:a@b.eu"


@pytest.mark.parametrize(
    ("scope", "method", "allowed"),
    [
        (TokenScope.READ, "GET", True),
        (TokenScope.READ, "HEAD", True),
        (TokenScope.READ, "POST", False),
        (TokenScope.READ, "DELETE", False),
        (TokenScope.WRITE, "POST", True),
    ],
)
def test_f6_a_token_scope_allows(scope: TokenScope, method: str, allowed: bool) -> None:
    assert scope.allows(method) is allowed
