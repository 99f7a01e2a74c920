"""The service's own config sections: storage, schedule, feeds, server and alerts."""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from icesco_watch.config.base import Section
from icesco_watch.config.durations import Duration, Pause, format_duration, parse_duration

_HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)


class StorageConfig(Section):
    url: str = "sqlite:///data/icesco-watch.db"

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError(
                "must be an SQLAlchemy URL such as 'sqlite:///data/icesco-watch.db' "
                "or 'postgresql://user@host/db'"
            )
        try:
            parsed = make_url(value)
        except ArgumentError:
            raise ValueError(f"{value!r} is not an SQLAlchemy URL") from None
        in_memory = parsed.database in (None, "", ":memory:") or (
            parsed.query.get("mode") == "memory" or ":memory:" in (parsed.database or "")
        )
        database = parsed.database or ""  # empty: in-memory, refused below
        if parsed.get_backend_name() == "sqlite" and database and not database.strip():
            # A file named by blanks would be created wherever the command runs: a typo.
            raise ValueError(
                f"{value!r} names no file; name one, such as 'sqlite:///data/icesco-watch.db'"
            )
        if parsed.get_backend_name() == "sqlite" and in_memory:
            raise ValueError(
                f"{value!r} is an in-memory SQLite database, which keeps nothing between runs; "
                "name a file, such as 'sqlite:///data/icesco-watch.db'"
            )
        return value


DEFAULT_JITTER = timedelta(seconds=30)


class ScheduleConfig(Section):
    """`jitter` defaults to 30s, or the interval when that is shorter; a jitter written longer
    than the interval is an error."""

    interval: Duration = timedelta(minutes=10)
    jitter: Pause = DEFAULT_JITTER

    @model_validator(mode="before")
    @classmethod
    def _default_jitter_within_interval(cls, data: Any) -> Any:
        if isinstance(data, dict) and "jitter" not in data and "interval" in data:
            try:
                interval = parse_duration(data["interval"])
            except ValueError:
                return data  # the interval's own validation reports it
            return {**data, "jitter": min(DEFAULT_JITTER, interval)}
        return data

    @field_validator("jitter")
    @classmethod
    def _within_interval(cls, jitter: timedelta, info: ValidationInfo) -> timedelta:
        interval = info.data.get("interval")
        if interval is not None and jitter > interval:
            raise ValueError(
                f"{format_duration(jitter)} is longer than schedule.interval "
                f"({format_duration(interval)}); a cycle could start after the next one is due, "
                "so keep it at most the interval"
            )
        return jitter


class FeedsConfig(Section):
    dir: str = "data/feeds"
    items: int = Field(default=50, ge=1, le=1000)
    # The public address of the feed server, for absolute links (atom:link rel="self", OPML).
    # Unset: http://{server.host}:{server.port}.
    base_url: str | None = None

    @field_validator("dir")
    @classmethod
    def _a_folder(cls, value: str) -> str:
        # An empty path resolves to the working directory: feeds, OPML and index.html would be
        # published wherever the command happened to run. It is a typo, not a choice.
        if not value.strip():
            raise ValueError(
                f"{value!r} names no folder; write the folder the feeds are published in, "
                "such as 'data/feeds' (or remove the key for that default)"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute_base(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError(
                f"{value!r} is not an absolute http(s) URL without a query; "
                "write it like 'https://feeds.example.org' or 'https://example.org/icesco'"
            )
        return value.rstrip("/")


class ServerConfig(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    # Defences of the feed server (feeds/guard.py): how long a client may take to send one
    # request, how long an idle keep-alive connection stays open, how many connections at once.
    request_timeout: Duration = timedelta(seconds=10)
    idle_timeout: Duration = timedelta(seconds=30)
    max_connections: int = Field(default=256, ge=1, le=100_000)

    @field_validator("host")
    @classmethod
    def _address_or_name(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if not _HOST_NAME.fullmatch(value):
                raise ValueError(
                    f"{value!r} is neither an IP address nor a host name; write it like "
                    "'127.0.0.1' (this machine only), '0.0.0.0' (every interface) or 'localhost'"
                ) from None
        return value


class AlertsConfig(Section):
    baseline: str = Field(default="silent", pattern=r"^(silent|latest:\d+)$")
    max_age_days: int = Field(default=7, ge=0)
    failure_threshold: int = Field(default=3, ge=1)

    @property
    def baseline_latest(self) -> int:
        """How many of the newest baseline items are alerted (0 for a silent baseline)."""
        return 0 if self.baseline == "silent" else int(self.baseline.split(":", 1)[1])
