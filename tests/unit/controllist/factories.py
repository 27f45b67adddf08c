"""Factories for control list test data: entries, versions and amendments with sensible defaults."""

from __future__ import annotations

from datetime import date

from dualuse.domain.controllist import (
    Amendment,
    ControlCode,
    ControlEntry,
    ControlListHistory,
    EntryChange,
    ListVersion,
    Regime,
)


def make_entry(code: str, title: str | None = None, **fields: object) -> ControlEntry:
    """An entry with a title derived from its code unless given."""
    related = tuple(ControlCode.parse(str(c)) for c in fields.pop("related", ()))  # type: ignore[attr-defined]
    return ControlEntry(
        code=ControlCode.parse(code),
        title=title or f"Entry {code}",
        regime=Regime(str(fields.pop("regime", "wassenaar"))),
        related=related,
        source="test",
        **fields,  # type: ignore[arg-type]
    )


def make_version(version_id: str, effective_from: date) -> ListVersion:
    return ListVersion(version_id, f"Test version {version_id}", effective_from, "test")


def make_amendment(
    version_id: str,
    effective_from: date,
    *,
    add: tuple[ControlEntry, ...] = (),
    change: dict[str, dict[str, object]] | None = None,
    remove: tuple[str, ...] = (),
) -> Amendment:
    return Amendment(
        version=make_version(version_id, effective_from),
        add=add,
        change=tuple(EntryChange(ControlCode.parse(c), f) for c, f in (change or {}).items()),
        remove=tuple(ControlCode.parse(c) for c in remove),
    )


BASE_DATE = date(2024, 11, 8)
AMENDMENT_DATE = date(2025, 11, 15)


def base_entries() -> list[ControlEntry]:
    """A small list with a cyber-surveillance branch, an information-security branch and an Annex IV entry."""
    return [
        make_entry("0A001", "Nuclear reactors", regime="nsg", annex_iv="I", eugea_excluded=True),
        make_entry("0A001.a", "Reactor vessels", regime="nsg"),
        make_entry("3A001", "Electronic components"),
        make_entry("4A005", "Intrusion software delivery systems", cyber_surveillance=True),
        make_entry("5A001", "Telecommunications equipment", related=["5D001"]),
        make_entry("5A001.f", "Mobile interception equipment", cyber_surveillance=True),
        make_entry("5A001.f.1", "Over-the-air extraction"),
        make_entry("5A001.f.2", "Identifier extraction"),
        make_entry("5A002", "Information security", information_security=True),
        make_entry("5A002.a", "Cryptography for data confidentiality"),
        make_entry("5D001", "Telecommunications software"),
        make_entry("9A999", "To be removed", regime="eu"),
        make_entry("9A999.a", "Removed with its parent", regime="eu"),
    ]


def base_history() -> ControlListHistory:
    return ControlListHistory.from_base(make_version("2024-11", BASE_DATE), base_entries())
