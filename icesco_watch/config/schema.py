"""The config schema: `Settings`, the whole configuration, and the checks across its sections.

Each section's model lives beside what it configures (`service.py`, `sources.py`,
`telegram.py`, `taxonomy.py`, on `base.py`'s `Section`); they are re-exported here so callers
import every config model from this one place. Validation names the fix.
"""

from __future__ import annotations

import difflib

from pydantic import Field, SecretStr, field_validator, model_validator

from icesco_watch.config.base import LANGS, Lang, Section
from icesco_watch.config.service import (
    AlertsConfig,
    FeedsConfig,
    ScheduleConfig,
    ServerConfig,
    StorageConfig,
)
from icesco_watch.config.sources import CrawlConfig, Selectors, SourceConfig
from icesco_watch.config.taxonomy import SectorConfig, SectorNames, TopicConfig
from icesco_watch.config.telegram import RouteConfig, TelegramConfig

__all__ = [
    "LANGS",
    "AlertsConfig",
    "CrawlConfig",
    "FeedsConfig",
    "Lang",
    "RouteConfig",
    "ScheduleConfig",
    "SectorConfig",
    "SectorNames",
    "Selectors",
    "ServerConfig",
    "Settings",
    "SourceConfig",
    "StorageConfig",
    "TelegramConfig",
    "TopicConfig",
]


def _unknown(where: str, given: list[str], known: list[str], kind: str) -> list[str]:
    """One message per key in `given` that is not in `known`, with the closest known key."""
    problems = []
    for key in given:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                f"{where}: unknown {kind} {key!r}; {hint}known: {', '.join(known) or 'none'}"
            )
    return problems


class Settings(Section):
    """The whole configuration, as `config check` prints it."""

    storage: StorageConfig = StorageConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    crawl: CrawlConfig = CrawlConfig()
    sources: list[SourceConfig] = Field(default_factory=list)
    feeds: FeedsConfig = FeedsConfig()
    server: ServerConfig = ServerConfig()
    telegram: TelegramConfig = TelegramConfig()
    sectors: list[SectorConfig] = Field(default_factory=list)
    topics: list[TopicConfig] = Field(default_factory=list)
    alerts: AlertsConfig = AlertsConfig()
    # Secrets never come from a file: the loader fills this from the environment.
    telegram_token: SecretStr | None = Field(default=None, exclude=True)

    # Only a list the config gives is checked: an omitted one keeps the built-in defaults.
    # `sources = []` stays allowed: an instance that only sends alerts or serves feeds (and the
    # Telegram tests' configs) crawls nothing on purpose.
    @field_validator("sectors")
    @classmethod
    def _some_sector(cls, sectors: list[SectorConfig]) -> list[SectorConfig]:
        if not sectors:
            raise ValueError(
                "an empty list leaves every sector feed, sector subscription and route by "
                "sector with nothing; remove the key to use the built-in ICESCO sectors"
            )
        return sectors

    @model_validator(mode="after")
    def _unique_keys(self) -> Settings:
        for label, keys in (
            ("sources", [s.key for s in self.sources]),
            ("sectors", [s.key for s in self.sectors]),
            ("topics", [t.key for t in self.topics]),
        ):
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            if duplicates:
                raise ValueError(
                    f"{label}: key {', '.join(map(repr, duplicates))} is used more than once; "
                    "give each entry its own key"
                )
        return self

    @model_validator(mode="after")
    def _known_references(self) -> Settings:
        sectors = [s.key for s in self.sectors]
        topics = [t.key for t in self.topics]
        problems = []
        for i, sector in enumerate(self.sectors):
            problems += _unknown(f"sectors[{i}].absorbs", sector.absorbs, sectors, "sector")
        for i, route in enumerate(self.telegram.routes):
            problems += _unknown(f"telegram.routes[{i}].sectors", route.sectors, sectors, "sector")
            problems += _unknown(f"telegram.routes[{i}].topics", route.topics, topics, "topic")
        if problems:
            # One line each, keyed like every other line (loader.describe_errors splits them).
            raise ValueError("\n".join(problems))
        return self

    def sector(self, key: str) -> SectorConfig:
        for sector in self.sectors:
            if sector.key == key:
                return sector
        known = ", ".join(s.key for s in self.sectors) or "none configured"
        raise KeyError(f"no sector {key!r} (known: {known})")

    def source(self, key: str) -> SourceConfig:
        for source in self.sources:
            if source.key == key:
                return source
        known = ", ".join(s.key for s in self.sources) or "none configured"
        raise KeyError(f"no source {key!r} (known: {known})")
