"""Users, organisations, sign-in and API tokens; sessions; throttling of attempts."""

from __future__ import annotations

from dualuse.services.identity.accounts import (
    normalise_email,
    check_password,
    create_organisation,
    create_user,
    principal_for,
    authenticate,
    IssuedToken,
    create_token,
    principal_for_token,
    tokens_of,
    revoke_token,
    user_by_email,
    set_active,
    set_role,
    get_organisation,
    list_members,
    EORI_RE,
    TOKEN_PREFIX,
    DEFAULT_TOKEN_DAYS,
    MAX_TOKEN_DAYS,
)

__all__ = [
    "DEFAULT_TOKEN_DAYS",
    "EORI_RE",
    "IssuedToken",
    "MAX_TOKEN_DAYS",
    "TOKEN_PREFIX",
    "authenticate",
    "check_password",
    "create_organisation",
    "create_token",
    "create_user",
    "get_organisation",
    "list_members",
    "normalise_email",
    "principal_for",
    "principal_for_token",
    "revoke_token",
    "set_active",
    "set_role",
    "tokens_of",
    "user_by_email",
]
