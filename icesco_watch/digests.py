"""Digest schedules: parsing `instant` / `daily HH:MM` / `weekly DAY HH:MM`, time zones, and
when the next digest is due and which period it covers (pure, no I/O, no clock of its own).

Times are wall-clock times in the reader's IANA time zone (zoneinfo), so a daily 08:00 digest
stays at 08:00 across daylight-saving changes. A wall time that does not exist on a given day
(clocks jump from 02:00 to 03:00) is taken as the moment the clocks skip past it, read with the
offset before the change (02:30 becomes 03:30); a wall time that happens twice (clocks go back)
is taken at its first occurrence, so a day never gets two digests.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal

from icesco_watch.digests_words import ascii_digits, schedule_word, weekday_of
from icesco_watch.models import strip_format_controls

Kind = Literal["instant", "daily", "weekly"]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ZONE = "UTC"
EXAMPLE_ZONE = "Africa/Casablanca"
# ASCII digits only: `ascii_digits` has already written every other script's digits as those.
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


class ScheduleError(ValueError):
    """A schedule or time zone that cannot be used; the message says how to write one (in
    English, for the CLI and config checks), `reason` which rule refused it ("not-a-schedule",
    "weekly-needs", "not-a-day", "daily-needs", "not-a-time", "unknown-zone") and `word` the
    word at fault, so the bot words it in the reader's language."""

    def __init__(self, message: str, reason: str, word: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.word = word


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a reader's deliveries go out: at once, or in a digest at a local time."""

    kind: Kind = "instant"
    hour: int = 0
    minute: int = 0
    weekday: int = 0  # 0 = Monday; weekly only
    timezone: str = DEFAULT_ZONE

    @property
    def instant(self) -> bool:
        return self.kind == "instant"

    @property
    def text(self) -> str:
        """As the user writes it, without the zone: "instant", "daily 08:00", "weekly mon 08:00"."""
        if self.kind == "instant":
            return "instant"
        clock = f"{self.hour:02d}:{self.minute:02d}"
        return f"daily {clock}" if self.kind == "daily" else f"weekly {DAYS[self.weekday]} {clock}"

    @property
    def stored(self) -> str:
        """The form an outbox row keeps: the text and the zone ("daily 08:00 Africa/Casablanca")."""
        return f"{self.text} {self.timezone}"


INSTANT = Schedule()
USAGE = (
    "write 'instant', 'daily HH:MM' or 'weekly DAY HH:MM' (DAY one of mon..sun), e.g. 'daily 08:00'"
)


def parse_schedule(text: str, timezone: str = DEFAULT_ZONE) -> Schedule:
    """ "daily 08:00", "weekly mon 08:00", "instant" (or "off") in `timezone`; raises
    ScheduleError naming what is wrong. The kind and the day may be written in English, French
    or Arabic ("hebdomadaire lundi", "أسبوعي الإثنين") and the digits in any script ("٠٨:٣٠"):
    `digests_words` reads them,
    for the bot and the config alike. Invisible characters (direction marks an Arabic keyboard
    adds, zero-width spaces) are not part of what was written."""
    words = ascii_digits(strip_format_controls(text)).casefold().split()
    if words:  # "quotidien 08:00", "أسبوعي الإثنين 08:00": the kind in any of the three languages
        words[0] = schedule_word(words[0]) or words[0]
    zone = canonical_zone(timezone)
    if words in (["instant"], ["off"]):
        return Schedule(timezone=zone)
    if not words or words[0] not in ("daily", "weekly"):
        raise ScheduleError(f"{text!r} is not a schedule; {USAGE}", "not-a-schedule")
    weekday = 0
    if words[0] == "weekly":
        if len(words) != 3:
            raise ScheduleError(f"{text!r} needs a day and a time; {USAGE}", "weekly-needs")
        day = weekday_of(words[1])
        if day is None:
            raise ScheduleError(
                f"{words[1]!r} is not a day; use one of {', '.join(DAYS)}", "not-a-day", words[1]
            )
        weekday = day
    elif len(words) != 2:
        raise ScheduleError(f"{text!r} needs one time; {USAGE}", "daily-needs")
    clock = _CLOCK.fullmatch(words[-1])
    if clock is None:
        raise ScheduleError(
            f"{words[-1]!r} is not a time; write it as HH:MM, e.g. 08:00 or 18:30",
            "not-a-time",
            words[-1],
        )
    kind: Kind = "weekly" if words[0] == "weekly" else "daily"
    return Schedule(kind, int(clock.group(1)), int(clock.group(2)), weekday, zone)


def parse_stored(stored: str | None) -> Schedule:
    """The schedule an outbox row keeps (`Schedule.stored`); None or unreadable: instant."""
    if not stored:
        return INSTANT
    text, _, zone = stored.rpartition(" ")
    try:
        return parse_schedule(text, zone)
    except ScheduleError:
        return INSTANT


# Files of the zone database that are not zones a reader lives in: "localtime" (Debian's link
# to the host's /etc/localtime: the server's zone, changing with the machine), "Factory"
# (tzdata's "zone not set" placeholder) and "posixrules".
NOT_ZONES = frozenset({"localtime", "factory", "posixrules"})


@cache
def _zones() -> dict[str, str]:
    names = zoneinfo.available_timezones() | {"UTC"}
    return {name.casefold(): name for name in names if name.casefold() not in NOT_ZONES}


def canonical_zone(name: str) -> str:
    """The IANA name as zoneinfo spells it ("africa/casablanca" -> "Africa/Casablanca"); raises
    ScheduleError with an example and the closest known name. Only names of the zone database
    are accepted, never a path."""
    found = _zones().get(strip_format_controls(name).strip().casefold())
    if found is None:
        close = closest_zone(name)
        hint = f" Did you mean {close!r}?" if close else ""
        raise ScheduleError(
            f"unknown time zone {name!r}; use an IANA name such as {EXAMPLE_ZONE!r}.{hint}",
            "unknown-zone",
            name,
        )
    return found


def closest_zone(name: str) -> str | None:
    """The known zone name closest to a misspelt one, if any is close."""
    names = _zones()
    close = difflib.get_close_matches(name.strip().casefold()[:64], list(names), n=1)
    return names[close[0]] if close else None


def _at(day: date, schedule: Schedule, zone: zoneinfo.ZoneInfo) -> datetime:
    # fold=0: a repeated wall time is its first occurrence; a skipped one reads with the old
    # offset, which lands just past the gap once normalised through UTC.
    wall = datetime.combine(day, time(schedule.hour, schedule.minute), tzinfo=zone)
    return wall.astimezone(UTC)


def _days(schedule: Schedule, start: date, step: int) -> list[date]:
    days = [start + timedelta(days=step * n) for n in range(-1, 9)]
    if schedule.kind == "weekly":
        days = [d for d in days if d.weekday() == schedule.weekday]
    return days


def next_due(schedule: Schedule, after: datetime) -> datetime:
    """The first digest time strictly after `after` (aware, UTC); for instant, `after` itself."""
    if schedule.instant:
        return after
    zone = zoneinfo.ZoneInfo(schedule.timezone)
    local_day = after.astimezone(zone).date()
    for day in _days(schedule, local_day, 1):
        due = _at(day, schedule, zone)
        if due > after:
            return due
    raise AssertionError("a daily or weekly time recurs within 8 days")  # pragma: no cover


def previous_due(schedule: Schedule, before: datetime) -> datetime:
    """The last digest time strictly before `before` (aware, UTC); instant: `before`."""
    if schedule.instant:
        return before
    zone = zoneinfo.ZoneInfo(schedule.timezone)
    local_day = before.astimezone(zone).date()
    for day in _days(schedule, local_day, -1):
        due = _at(day, schedule, zone)
        if due < before:
            return due
    raise AssertionError("a daily or weekly time recurs within 8 days")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Period:
    """What a digest due at `end` covers: items queued from `start` (included) to `end`."""

    start: datetime
    end: datetime

    def local(self, timezone: str) -> tuple[datetime, datetime]:
        zone = zoneinfo.ZoneInfo(timezone)
        return self.start.astimezone(zone), self.end.astimezone(zone)


def period(schedule: Schedule, due: datetime) -> Period:
    """The period of the digest due at `due`: since the digest before it."""
    return Period(previous_due(schedule, due), due)


def due_at(schedule: Schedule, queued: datetime) -> datetime:
    """When an item queued at `queued` leaves: now for instant, else the next digest time, so
    the digest due at T covers what was queued in [previous T, T)."""
    return next_due(schedule, queued)
