"""Users, organisations, sign-in and API tokens; sessions; throttling of attempts."""

from __future__ import annotations

from dualuse.services.identity.accounts import (
    DEFAULT_TOKEN_DAYS,
    EORI_RE,
    MAX_TOKEN_DAYS,
    TOKEN_PREFIX,
    IssuedToken,
    authenticate,
    check_password,
    create_organisation,
    create_token,
    create_user,
    get_organisation,
    list_members,
    normalise_email,
    principal_for,
    principal_for_token,
    revoke_token,
    set_active,
    set_role,
    tokens_of,
    user_by_email,
)

__all__ = [
    "DEFAULT_TOKEN_DAYS",
    "EORI_RE",
    "MAX_TOKEN_DAYS",
    "TOKEN_PREFIX",
    "IssuedToken",
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
