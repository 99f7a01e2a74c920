"""The config schema: pydantic models for every key, with validation that names the fix."""

from __future__ import annotations

import difflib
import ipaddress
import re
from datetime import timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import ExpressionError, SelectorError
from parsel.csstranslator import css2xpath
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ByteSize,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from icesco_watch.config.durations import Duration, Pause, format_duration, parse_duration
from icesco_watch.config.schedules import DigestText, ZoneName

_HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)
LANGS = ("en", "ar", "fr")


Lang = Literal["en", "ar", "fr"]


class Section(BaseModel):
    """Every section rejects unknown keys, so a typo is an error rather than a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _has_words(values: list[str]) -> list[str]:
    for value in values:
        if not any(ch.isalnum() for ch in value):
            raise ValueError(f"{value!r} has no letters or digits; remove it or write a word")
    return values


Terms = Annotated[list[str], AfterValidator(_has_words)]


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


class CrawlConfig(Section):
    """How politely and how patiently the spider fetches pages (applies to every source)."""

    user_agent: str = "icesco-watch/0.1 (news monitor; obeys robots.txt)"
    delay: Pause = timedelta(seconds=2)
    timeout: Duration = timedelta(seconds=30)
    retries: int = Field(default=2, ge=0, le=10)
    obey_robots: bool = True
    proxy: str | None = None  # an HTTP proxy every request goes through (also used by the tests)
    # "in-process": Scrapy on the service's own asyncio loop. "subprocess": a fresh interpreter
    # per cycle, the fallback should the in-process crawl ever misbehave.
    runner: Literal["in-process", "subprocess"] = "in-process"
    # Largest page body, after decompression, before it is abandoned ("4MiB", "512KiB" or
    # bytes): ICESCO's pages weigh tens of KiB, so this only ever stops a hostile or broken
    # answer (a gzip bomb) long before Scrapy's own 1 GiB default would.
    max_page_size: ByteSize = Field(default=ByteSize(4 * 1024 * 1024), ge=64 * 1024, le=1024**3)

    @field_validator("proxy")
    @classmethod
    def _http_proxy(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL such as 'http://127.0.0.1:3128'")
        return value


class Selectors(Section):
    """Per-source CSS selectors tried before the generic fallbacks (a layout change is a config
    edit). Each is a list: the first selector that matches wins."""

    title: list[str] = []
    published: list[str] = []
    body: list[str] = []
    listing_links: list[str] = []

    @field_validator("title", "published", "body", "listing_links")
    @classmethod
    def _valid_css(cls, selectors: list[str]) -> list[str]:
        for selector in selectors:
            try:
                css2xpath(selector)
            except (SelectorError, ExpressionError) as exc:
                raise ValueError(
                    f"{selector!r} is not a valid CSS selector ({exc}); write it like 'h1.title'"
                ) from None
        return selectors


class SourceConfig(Section):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    lang: Lang
    start_urls: list[str] = Field(min_length=1)
    max_pages: int = Field(default=3, ge=1, le=100)
    timezone: str = "Africa/Casablanca"
    enabled: bool = True
    selectors: Selectors = Selectors()
    # How the source is read: WordPress's REST API, the category's feed, the HTML listing, or
    # "auto": the first of those that works, discovered and re-discovered after failures.
    channel: Literal["auto", "rest", "feed", "html"] = "auto"

    @field_validator("start_urls")
    @classmethod
    def _absolute_http(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(
                    f"{url!r} is not an absolute http(s) URL; "
                    "write it like 'https://icesco.org/en/category/news/'"
                )
        return urls

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as 'Africa/Casablanca'"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def host(self) -> str:
        return urlsplit(self.start_urls[0]).hostname or ""


class FeedsConfig(Section):
    dir: str = "data/feeds"
    items: int = Field(default=50, ge=1, le=1000)
    # The public address of the feed server, for absolute links (atom:link rel="self", OPML).
    # Unset: http://{server.host}:{server.port}.
    base_url: str | None = None

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


ChatId = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]


class RouteConfig(Section):
    chat: ChatId = Field(pattern=r"^(-?\d+|@\w{4,})$")
    sectors: list[str] = []
    topics: list[str] = []
    langs: list[Lang] = []
    digest: DigestText = "instant"  # or "daily 08:00", "weekly mon 08:00", in `timezone`
    timezone: ZoneName = "UTC"
    # A topic of a forum supergroup (its message_thread_id); None: the chat itself.
    thread: int | None = None

    @field_validator("thread", mode="before")
    @classmethod
    def _topic_id(cls, value: object) -> object:
        # Before pydantic's coercion: "7", 7.0 and true are not topic ids.
        if value is None or (type(value) is int and value > 0):
            return value
        raise ValueError(
            f"{value!r} is not a forum topic id; write a positive integer (the topic's "
            "message_thread_id, the last number of a link to the topic)"
        )


class TelegramConfig(Section):
    api_base_url: str = "https://api.telegram.org/bot"
    admin_chats: list[ChatId] = []
    rate_per_second: float = Field(default=25, gt=0, le=30)
    digest_after: int = Field(default=5, ge=1)
    # How long one Bot API request may take before it counts as a network failure (retried).
    request_timeout: Duration = timedelta(seconds=10)
    # Several instances on one store: a sender holds the deliveries it claimed this long; a
    # sender that dies mid-delivery has its claims taken over by another once they run out.
    claim_lease: Duration = timedelta(minutes=2)
    routes: list[RouteConfig] = []
    # The bot's public username, for the "follow on Telegram" link of the feeds' index page.
    bot_username: str | None = None

    @field_validator("api_base_url")
    @classmethod
    def _absolute_api(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"{value!r} is not an absolute http(s) URL; write it like "
                "'https://api.telegram.org/bot' (the token is appended to it)"
            )
        return value

    @field_validator("bot_username")
    @classmethod
    def _bot_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.removeprefix("@")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]", name):
            raise ValueError(
                f"{value!r} is not a Telegram bot username (5-32 letters, digits or '_', "
                "ending in 'bot'); write it like 'icesco_watch_bot'"
            )
        return name


class TopicConfig(Section):
    """A watched topic: an item matches when it contains any keyword and no exclusion
    (whole words or phrases, any language; plain words, never regular expressions)."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    keywords: Terms = Field(min_length=1)
    exclude: Terms = []


class SectorNames(Section):
    """A sector's display name in each language (feeds, the index page, bot buttons)."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)
    ar: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The name in `lang`; English for "all" or an unknown language."""
        return {"fr": self.fr, "ar": self.ar}.get(lang, self.en)


class SectorConfig(Section):
    """One ICESCO sector of the taxonomy (key as in feed paths and subscriptions).

    The classifier weighs, strongest first: `units` (the sector's own unit names in any
    language, old names included), `categories` (site category slugs or names), `people`
    (heads and experts), then `strong_keywords` (weight 2) and `keywords` (weight 1).
    Matching is whole-word on normalised text (case, accents and Arabic spelling variants
    ignored), so one spelling per word is enough.
    """

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: SectorNames
    units: Terms = []
    categories: Terms = []
    people: Terms = []
    strong_keywords: Terms = []
    keywords: Terms = []
    # Sectors whose keywords alone do not count when this one is decided: teaching Arabic
    # talks of teachers and learners, yet it is the Arabic Language Center's work.
    absorbs: list[str] = []
    # A sector that sits beside the fields rather than among them (partnerships: cooperation
    # on education is partnerships AND education): its keywords are not weighed against the
    # best-scoring field's, so a dominant topic does not hide it.
    cross_cutting: bool = False

    @property
    def hashtag(self) -> str:
        """`#foresight_ai`: Telegram hashtags allow letters, digits and underscores only."""
        return "#" + self.key.replace("-", "_")


class AlertsConfig(Section):
    baseline: str = Field(default="silent", pattern=r"^(silent|latest:\d+)$")
    max_age_days: int = Field(default=7, ge=0)
    failure_threshold: int = Field(default=3, ge=1)

    @property
    def baseline_latest(self) -> int:
        """How many of the newest baseline items are alerted (0 for a silent baseline)."""
        return 0 if self.baseline == "silent" else int(self.baseline.split(":", 1)[1])


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
    sources: list[SourceConfig] = []
    feeds: FeedsConfig = FeedsConfig()
    server: ServerConfig = ServerConfig()
    telegram: TelegramConfig = TelegramConfig()
    sectors: list[SectorConfig] = []
    topics: list[TopicConfig] = []
    alerts: AlertsConfig = AlertsConfig()
    # Secrets never come from a file: the loader fills this from the environment.
    telegram_token: SecretStr | None = Field(default=None, exclude=True)

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
            problems += _unknown(f"sectors.{i}.absorbs", sector.absorbs, sectors, "sector")
        for i, route in enumerate(self.telegram.routes):
            problems += _unknown(f"telegram.routes.{i}.sectors", route.sectors, sectors, "sector")
            problems += _unknown(f"telegram.routes.{i}.topics", route.topics, topics, "topic")
        if problems:
            raise ValueError("; ".join(problems))
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
