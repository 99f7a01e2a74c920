"""Visible and ISO dates in the three languages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from icesco_watch.spiders.dates import at_midnight, find_visible_date, parse_iso

CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("11 July 2024", "en", date(2024, 7, 11)),
        ("Posted on February 10, 2022 in News", "en", date(2022, 2, 10)),
        ("Sept. 3, 2025", "en", date(2025, 9, 3)),
        ("3rd March 2023", "en", date(2023, 3, 3)),
        ("8 septembre 2022", "fr", date(2022, 9, 8)),
        ("Publié le 1er février 2023", "fr", date(2023, 2, 1)),
        ("12 decembre 2024", "fr", date(2024, 12, 12)),
        ("2 أغسطس 2022", "ar", date(2022, 8, 2)),
        ("٢ أغسطس ٢٠٢٢", "ar", date(2022, 8, 2)),
        ("15 اكتوبر 2024", "ar", date(2024, 10, 15)),
        ("12 تشرين الأول 2023", "ar", date(2023, 10, 12)),
        ("5 غشت 2023", "ar", date(2023, 8, 5)),
        ("31 February 2024, then 3 May 2024", "en", date(2024, 5, 3)),
    ],
)
def test_visible_dates(text: str, lang: str, expected: date) -> None:
    assert find_visible_date(text, lang) == expected


@pytest.mark.parametrize("text", ["no date here", "in 2024", "page 12 of 2024", ""])
def test_no_visible_date(text: str) -> None:
    assert find_visible_date(text, "en") is None


def test_the_pages_own_language_is_tried_first() -> None:
    text = "3 mars 2024 ... March 9, 2024"
    assert find_visible_date(text, "fr") == date(2024, 3, 3)
    assert find_visible_date(text, "en") == date(2024, 3, 9)


def test_iso_with_offset_keeps_the_instant() -> None:
    parsed = parse_iso("2024-05-15T10:30:00+00:00", CASABLANCA)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)
    assert parsed == datetime(2024, 5, 15, 10, 30, tzinfo=ZoneInfo("UTC"))


def test_iso_without_offset_is_local_time_of_the_source() -> None:
    parsed = parse_iso("2024-05-15", CASABLANCA)
    assert parsed == at_midnight(date(2024, 5, 15), CASABLANCA)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("text", ["15/05/2024", "yesterday", "2024-13-01", "2024-05-15T25:00"])
def test_iso_rejects_non_iso(text: str) -> None:
    assert parse_iso(text, CASABLANCA) is None
