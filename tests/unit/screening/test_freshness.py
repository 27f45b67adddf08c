"""How old each sanctions list is (the freshness chart of /screening/lists, issue #13)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dualuse.services.screening import freshness


def test_the_newest_version_of_each_list_counts_from_its_publication_else_its_import() -> None:
    versions = [
        {
            "source": "un",
            "version": "2024-01",
            "published": date(2024, 1, 10),
            "imported_at": datetime(2024, 2, 1, tzinfo=UTC),
        },
        {
            "source": "un",
            "version": "2026-11",
            "published": "2026-11-30",
            "imported_at": datetime(2026, 12, 1, tzinfo=UTC),
        },
        {
            "source": "eu",
            "version": "v7",
            "published": None,
            "imported_at": datetime(2026, 10, 6, 9, tzinfo=UTC),
        },
    ]
    found = freshness(versions, date(2026, 12, 5))
    assert [(f.source, f.version, f.as_of, f.days) for f in found] == [
        ("eu", "v7", date(2026, 10, 6), 60),  # stalest first
        ("un", "2026-11", date(2026, 11, 30), 5),
    ]


def test_a_list_dated_after_today_is_not_negative_days_old() -> None:
    versions = [
        {"source": "x", "version": "1", "published": date(2027, 1, 1), "imported_at": datetime.now(UTC)}
    ]
    assert freshness(versions, date(2026, 12, 5))[0].days == 0
