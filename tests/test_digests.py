"""Digest schedules: parsing, time zones, and when a digest is due, across daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter

from icesco_watch.config.schedules import DigestText
from icesco_watch.digests import (
    INSTANT,
    Schedule,
    ScheduleError,
    canonical_zone,
    due_at,
    next_due,
    parse_schedule,
    parse_stored,
    period,
    previous_due,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("instant", INSTANT),
        ("off", INSTANT),
        ("daily 08:00", Schedule("daily", 8, 0)),
        ("Daily 8:05", Schedule("daily", 8, 5)),
        ("weekly mon 08:00", Schedule("weekly", 8, 0, 0)),
        ("weekly Sunday 23:59", Schedule("weekly", 23, 59, 6)),
    ],
)
def test_schedules_parse_to_their_normal_form(text: str, expected: Schedule) -> None:
    assert parse_schedule(text) == expected
    assert parse_schedule(expected.text) == expected


# The bot speaks English, French and Arabic: a day in any of them (CLDR's wide and abbreviated
# names, any case or accent, Arabic with or without hamza and article) and digits in Arabic-Indic
# or Eastern Arabic-Indic script mean the same schedule as the English one.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly lundi 08:00", Schedule("weekly", 8, 0, 0)),
        ("weekly LUN. 08:00", Schedule("weekly", 8, 0, 0)),
        ("weekly Mércredi 07:05", Schedule("weekly", 7, 5, 2)),
        ("weekly dim 18:30", Schedule("weekly", 18, 30, 6)),
        ("weekly الاثنين 08:00", Schedule("weekly", 8, 0, 0)),
        ("weekly الإثنين 08:00", Schedule("weekly", 8, 0, 0)),
        ("weekly اثنين 08:00", Schedule("weekly", 8, 0, 0)),
        ("weekly الأحد 08:00", Schedule("weekly", 8, 0, 6)),
        ("weekly احد 08:00", Schedule("weekly", 8, 0, 6)),
        ("weekly الجمعة 12:00", Schedule("weekly", 12, 0, 4)),
        ("daily ٠٨:٣٠", Schedule("daily", 8, 30)),
        ("daily ۰۸:۳۰", Schedule("daily", 8, 30)),
        ("daily ٨:٣٠", Schedule("daily", 8, 30)),
        ("weekly الخميس ٢٣:٥٩", Schedule("weekly", 23, 59, 3)),
        ("weekly \u200fالإثنين\u200f \u061c٠٨:٣٠", Schedule("weekly", 8, 30, 0)),
        ("\u200bdaily 08:00\ufeff", Schedule("daily", 8, 0)),
        # the kind of digest in French or Arabic words (any case, accent, hamza or article)
        ("quotidien 08:00", Schedule("daily", 8, 0)),
        ("Quotidienne ٠٨:٣٠", Schedule("daily", 8, 30)),
        ("hebdomadaire lundi 08:00", Schedule("weekly", 8, 0, 0)),
        ("hebdo Mardi 9:00", Schedule("weekly", 9, 0, 1)),
        ("يومي 07:15", Schedule("daily", 7, 15)),
        ("يومياً ٠٧:١٥", Schedule("daily", 7, 15)),
        ("أسبوعي الإثنين ٠٨:٣٠", Schedule("weekly", 8, 30, 0)),
        ("اسبوعيا الأحد 20:00", Schedule("weekly", 20, 0, 6)),
        ("instantané", INSTANT),
        ("Arrêt", INSTANT),
        ("فوري", INSTANT),
        ("إيقاف", INSTANT),
    ],
)
def test_days_in_the_bots_languages_and_digits_in_any_script(text: str, expected: Schedule) -> None:
    assert parse_schedule(text) == expected
    assert parse_schedule(expected.text) == expected  # stored in its English normal form


def test_a_config_route_reads_schedules_with_the_same_parser() -> None:
    # What the config took before it still takes; a localised day is kept in English.
    digest = TypeAdapter(DigestText)
    assert digest.validate_python("Weekly MON 8:00") == "weekly mon 08:00"
    assert digest.validate_python("weekly lundi ٠٨:٣٠") == "weekly mon 08:30"


@pytest.mark.parametrize("text", ["weekly lundimanche 08:00", "weekly ال 08:00", "weekly . 08:00"])
def test_a_word_that_only_looks_like_a_day_is_not_one(text: str) -> None:
    with pytest.raises(ScheduleError, match="is not a day"):
        parse_schedule(text)


def test_a_digit_out_of_range_in_another_script_is_still_not_a_time() -> None:
    with pytest.raises(ScheduleError, match="'25:00' is not a time"):
        parse_schedule("daily ٢٥:٠٠")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is not a schedule"),
        ("hourly", "is not a schedule"),
        ("daily", "needs one time"),
        ("daily 24:00", "'24:00' is not a time"),
        ("daily 8h", "'8h' is not a time"),
        ("daily 08:60", "is not a time"),
        ("weekly 08:00", "needs a day and a time"),
        ("weekly mondy 08:00", "'mondy' is not a day; use one of mon, tue"),
    ],
)
def test_a_bad_schedule_says_how_to_write_one(text: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        parse_schedule(text)


def test_time_zones_are_iana_names_only_with_a_suggestion() -> None:
    assert canonical_zone("africa/casablanca") == "Africa/Casablanca"
    assert canonical_zone("UTC") == "UTC"
    with pytest.raises(ScheduleError, match="Did you mean 'Africa/Casablanca'"):
        canonical_zone("Africa/Casablanka")
    for bad in ("Mars/Base", "../../etc/passwd", "/usr/share/zoneinfo/UTC", ""):
        with pytest.raises(ScheduleError, match="unknown time zone"):
            canonical_zone(bad)


def test_the_stored_form_round_trips_and_garbage_is_instant() -> None:
    weekly = parse_schedule("weekly fri 18:30", "Asia/Riyadh")
    assert weekly.stored == "weekly fri 18:30 Asia/Riyadh"
    assert parse_stored(weekly.stored) == weekly
    assert parse_stored(None) == INSTANT
    assert parse_stored("fortnightly Nowhere/Zone") == INSTANT


def test_daily_digest_times_in_the_readers_zone() -> None:
    # Casablanca is UTC+1 in late November 2026: 08:00 there is 07:00 UTC.
    daily = parse_schedule("daily 08:00", "Africa/Casablanca")
    assert next_due(daily, utc(2026, 11, 30, 6, 59)) == utc(2026, 11, 30, 7, 0)
    # Exactly at the digest time, the next item waits for the next day's digest.
    assert next_due(daily, utc(2026, 11, 30, 7, 0)) == utc(2026, 12, 1, 7, 0)
    assert previous_due(daily, utc(2026, 11, 30, 7, 0)) == utc(2026, 11, 29, 7, 0)
    covered = period(daily, utc(2026, 11, 30, 7, 0))
    assert (covered.start, covered.end) == (utc(2026, 11, 29, 7, 0), utc(2026, 11, 30, 7, 0))
    assert due_at(INSTANT, utc(2026, 11, 30, 9, 0)) == utc(2026, 11, 30, 9, 0)


def test_weekly_digest_times() -> None:
    weekly = parse_schedule("weekly mon 08:00", "UTC")
    # 2026-11-30 is a Monday.
    assert next_due(weekly, utc(2026, 11, 30, 7, 59)) == utc(2026, 11, 30, 8, 0)
    assert next_due(weekly, utc(2026, 11, 30, 8, 0)) == utc(2026, 12, 7, 8, 0)
    assert next_due(weekly, utc(2026, 12, 6, 23, 0)) == utc(2026, 12, 7, 8, 0)
    covered = period(weekly, utc(2026, 12, 7, 8, 0))
    assert covered.start == utc(2026, 11, 30, 8, 0)


def test_daily_digest_keeps_its_wall_time_across_daylight_saving() -> None:
    daily = parse_schedule("daily 08:00", "Europe/Paris")
    # Clocks go forward on Sunday 29 March 2026: 08:00 is 07:00 UTC before, 06:00 UTC after.
    assert next_due(daily, utc(2026, 3, 28, 0, 0)) == utc(2026, 3, 28, 7, 0)
    assert next_due(daily, utc(2026, 3, 28, 7, 0)) == utc(2026, 3, 29, 6, 0)
    spring = period(daily, utc(2026, 3, 29, 6, 0))
    assert (spring.end - spring.start).total_seconds() == 23 * 3600
    # Clocks go back on Sunday 25 October 2026: a 25-hour day.
    autumn = period(daily, next_due(daily, utc(2026, 10, 25, 0, 0)))
    assert autumn.end == utc(2026, 10, 25, 7, 0)
    assert (autumn.end - autumn.start).total_seconds() == 25 * 3600


def test_a_wall_time_skipped_or_repeated_by_daylight_saving_comes_once() -> None:
    # 02:30 does not exist in Paris on 29 March 2026: the digest leaves as the clocks skip it.
    skipped = parse_schedule("daily 02:30", "Europe/Paris")
    assert next_due(skipped, utc(2026, 3, 28, 12, 0)) == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert next_due(skipped, utc(2026, 3, 29, 1, 30)) == utc(2026, 3, 30, 0, 30)
    # 02:30 happens twice on 25 October 2026: only the first one is a digest time.
    repeated = parse_schedule("daily 02:30", "Europe/Paris")
    first = next_due(repeated, utc(2026, 10, 24, 12, 0))
    assert first == utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    assert next_due(repeated, first) == utc(2026, 10, 26, 1, 30)  # next day, 02:30 CET
