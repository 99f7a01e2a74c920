"""Durations in the config: '30s', '10m', '2h', '1h30m', '500ms' or a number of seconds.

Bounded above by MAX_DURATION: a year is already absurd for any interval or timeout, and an
infinite or astronomically long one would overflow every clock it reaches (timedelta,
asyncio's timers, APScheduler) with a traceback instead of a config error.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
MAX_DURATION = timedelta(days=365)


def parse_duration(value: object, *, allow_zero: bool = False) -> timedelta:
    """'30s', '10m', '2h', '1h30m', '500ms' or a number of seconds -> a positive timedelta,
    at most MAX_DURATION (a year: anything longer is a typo, and an infinite one would overflow
    every clock it reaches)."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, bool):
        raise ValueError("expected a duration such as '30s', '10m' or '2h'")
    elif isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        parts = _DURATION_PART.findall(text)
        if not text or "".join(n + u for n, u in parts) != text:
            raise ValueError(f"{value!r} is not a duration; write it like '30s', '10m' or '2h'")
        seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)
    else:
        raise ValueError("expected a duration such as '30s', '10m' or '2h'")
    if math.isnan(seconds):
        raise ValueError(f"{value!r} is not a duration; write it like '30s', '10m' or '2h'")
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError(f"{value!r} must be a positive duration, such as '30s' or '10m'")
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"{value!r} is longer than the maximum, {MAX_DURATION.days}d")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    seconds = value.total_seconds()
    if seconds == 0:
        return "0s"
    for unit in ("d", "h", "m", "s"):
        size = _UNIT_SECONDS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds * 1000)}ms"


Duration = Annotated[
    timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration, return_type=str)
]
# A pause may be zero (no delay between requests, for a local replica); an interval may not.
Pause = Annotated[
    timedelta,
    BeforeValidator(lambda v: parse_duration(v, allow_zero=True)),
    PlainSerializer(format_duration, return_type=str),
]
