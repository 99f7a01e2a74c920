"""Config validation of digest schedules and time zones (`[[telegram.routes]]` `digest` and
`timezone`): the rules are `digests.py`'s; this turns them into pydantic field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from icesco_watch.digests import ScheduleError, canonical_zone, parse_schedule


def _schedule(value: str) -> str:
    try:
        return parse_schedule(value).text
    except ScheduleError as exc:
        raise ValueError(str(exc)) from None


def _zone(value: str) -> str:
    try:
        return canonical_zone(value)
    except ScheduleError as exc:
        raise ValueError(str(exc)) from None


# "instant" (the default), "daily 08:00" or "weekly mon 08:00", kept in its normal spelling.
DigestText = Annotated[str, AfterValidator(_schedule)]
# An IANA time zone name, kept as the zone database spells it.
ZoneName = Annotated[str, AfterValidator(_zone)]
