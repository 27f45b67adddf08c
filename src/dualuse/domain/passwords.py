"""What makes a password acceptable: long enough, and not one that attackers try first.

Length alone (the old rule) let through ``password1234`` and ``qwertyuiop12``. A password is also refused
when it is on a list of common or breached passwords, or is such a password with digits and punctuation
added at either end, or repeats a short pattern, or contains the user's own e-mail name (NIST SP 800-63B
§5.1.1.2: check against "passwords obtained from previous breach corpuses" and "commonly-used passwords").
"""

from __future__ import annotations

import string
from collections.abc import Callable

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # hashing cost grows with the input; a pass phrase never needs more
_EDGES = string.digits + string.punctuation + string.whitespace


def _repeats_a_short_pattern(text: str) -> bool:
    """``abcabcabcabc``, ``aaaaaaaaaaaa``: the whole text is one unit of at most four characters, repeated."""
    for size in range(1, min(4, len(text) // 2) + 1):
        unit = text[:size]
        if len(text) % size == 0 and unit * (len(text) // size) == text:
            return True
    return False


def password_problem(password: str, *, email: str, is_common: Callable[[str], bool]) -> str | None:
    """Why ``password`` is refused for the user with ``email``, or None when it is acceptable.

    ``is_common`` tells whether a lowercased text is a common password (``data/passwords``)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password has at most {MAX_PASSWORD_LENGTH} characters"
    lowered = password.lower().strip()
    core = lowered.strip(_EDGES)
    if is_common(lowered) or (len(core) >= 4 and is_common(core)):
        return "this password is too common: it is on a list of passwords from data breaches; choose another"
    if _repeats_a_short_pattern(lowered) or len(set(lowered)) < 4:
        return "this password repeats too few characters; choose a longer phrase"
    name = email.split("@", 1)[0].lower()
    if len(name) >= 4 and name in lowered:
        return "a password must not contain your email address"
    return None
