"""Role-based access and tenant isolation (the one permission check)."""

from __future__ import annotations

import pytest

from dualuse.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import (
    Organisation,
    OrganisationKind,
    Permission,
    Principal,
    Role,
    authorize,
    check_member_state,
    check_role_fits,
)

EXPORTER_DE = Organisation(1, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE1234")
EXPORTER_FR = Organisation(2, OrganisationKind.EXPORTER, "Acme SAS", "FR", "FR1234")
AUTHORITY_DE = Organisation(3, OrganisationKind.AUTHORITY, "Authority DE", "DE")
COMMISSION = Organisation(4, OrganisationKind.COMMISSION, "Commission", None)


def person(role: Role, org: Organisation) -> Principal:
    return Principal.for_user(10, "x@example.eu", role, org)


def test_exporter_acts_on_its_own_organisation() -> None:
    authorize(person(Role.EXPORTER_USER, EXPORTER_DE), Permission.ACT_FOR_EXPORTER, organisation_id=1)


def test_exporter_never_sees_another_exporters_data() -> None:
    with pytest.raises(NotFoundError):
        authorize(person(Role.EXPORTER_ADMIN, EXPORTER_DE), Permission.VIEW_ORGANISATION, organisation_id=2)


def test_authority_never_acts_on_another_states_case() -> None:
    """Art. 12(2): the authority of the exporter's member state decides; another state's case is answered as
    not found, so that its existence is not told (F16)."""
    with pytest.raises(NotFoundError, match="no such resource"):
        authorize(person(Role.AUTHORITY_OFFICER, AUTHORITY_DE), Permission.ASSESS_CASE, member_state="FR")
    authorize(person(Role.AUTHORITY_OFFICER, AUTHORITY_DE), Permission.ASSESS_CASE, member_state="DE")


@pytest.mark.parametrize(
    ("role", "org", "permission", "allowed"),
    [
        (Role.EXPORTER_USER, EXPORTER_DE, Permission.MANAGE_USERS, False),
        (Role.EXPORTER_ADMIN, EXPORTER_DE, Permission.MANAGE_USERS, True),
        (Role.AUTHORITY_OFFICER, AUTHORITY_DE, Permission.COUNTERSIGN, False),
        (Role.AUTHORITY_SENIOR, AUTHORITY_DE, Permission.COUNTERSIGN, True),
        (Role.EXPORTER_ADMIN, EXPORTER_DE, Permission.ASSESS_CASE, False),
        (Role.COMMISSION, COMMISSION, Permission.VIEW_UNION_AGGREGATES, True),
        (Role.COMMISSION, COMMISSION, Permission.ASSESS_CASE, False),
    ],
)
def test_permission_table(role: Role, org: Organisation, permission: Permission, allowed: bool) -> None:
    if allowed:
        authorize(person(role, org), permission)
    else:
        with pytest.raises(PermissionDeniedError):
            authorize(person(role, org), permission)


def test_the_public_sees_published_data_only() -> None:
    public = Principal.public()
    authorize(public, Permission.VIEW_PUBLIC)
    with pytest.raises(PermissionDeniedError, match="sign in"):
        authorize(public, Permission.VIEW_ORGANISATION, organisation_id=1)


def test_unknown_role_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="unknown role 'admin'; expected one of exporter_admin"):
        Role.parse("admin")


def test_role_must_fit_the_organisation() -> None:
    with pytest.raises(ValidationError, match="does not fit"):
        check_role_fits(Role.AUTHORITY_SENIOR, OrganisationKind.EXPORTER)


@pytest.mark.parametrize("code", ["EL", "UK", "US", "XX", ""])
def test_member_states_are_iso_codes_of_the_union(code: str) -> None:
    with pytest.raises(ValidationError):
        check_member_state(code)


def test_greece_is_gr() -> None:
    assert check_member_state(" gr ") == "GR"
