"""The data that flows through icesco-watch: news items and cycle reports (no I/O here)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

SUMMARY_LIMIT = 400

# Invisible characters a page can use to disguise text: Unicode's format controls (category
# Cf, Unicode 14: bidi embeddings, overrides and isolates U+202A-202E and U+2066-2069, marks
# U+200E/F and U+061C, zero-width U+200B-D, word joiner, U+FEFF, soft hyphen, tags ...) and
# C0/C1 control characters other than newline and tab. The visible "prepended concatenation
# marks" that are Cf too (Arabic number signs U+0600-0605, end of ayah U+06DD ...) are kept.
# Written out rather than computed from unicodedata at import: scanning every code point
# costs 0.4 s on each start of the command line.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def strip_format_controls(text: str) -> str:
    """`text` without bidi controls, zero-width and other invisible characters (so U+202E
    cannot reverse how a title reads). Every NewsItem is built through this, whatever channel
    it came from: the one place that decides it."""
    return _INVISIBLE.sub("", text)


class Outcome(StrEnum):
    """What the diff layer concluded about one stored item."""

    NEW = "new"  # unknown key after the source's baseline: alert-worthy
    BASELINE = "baseline"  # unknown key seen during the source's first (silent) run
    STALE = "stale"  # unknown key, but published too long ago to alert (an old item resurfaced)
    UPDATED = "updated"  # known key whose content hash changed
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class NewsItem:
    """One article as extracted from the site (and, later, tagged)."""

    key: str
    source: str
    lang: str
    url: str
    title: str
    published: datetime
    summary: str = ""
    body: str = ""
    image: str | None = None
    site_categories: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    sector_evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topics: tuple[str, ...] = ()
    content_hash: str = ""
    # WordPress's id of the post on its site (REST `id`, the feed's guid, the page's shortlink):
    # the article's identity when its address changes (slug or date). None: the site gave none.
    wp_post_id: int | None = None
    # Where each field came from, as the extractor chose it ("title" -> "og:title", "date" ->
    # "JSON-LD datePublished", "body" -> "trafilatura" ...): what `doctor` shows, so a layout
    # change that moves the crawl onto a fallback is seen. Only known while crawling: never
    # stored, not part of the content hash, and ignored when items are compared.
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.published.tzinfo is None:
            raise ValueError(f"published must be timezone-aware for {self.key}")
        for name in ("title", "summary", "body"):
            value = getattr(self, name)
            if _INVISIBLE.search(value):
                object.__setattr__(self, name, strip_format_controls(value))
        if not self.content_hash:
            object.__setattr__(
                self, "content_hash", content_hash(self.title, self.published, self.body)
            )


def content_hash(title: str, published: datetime, body: str) -> str:
    """Fingerprint of what a reader sees; whitespace differences do not count as edits."""
    canonical = "\n".join((" ".join(title.split()), published.isoformat(), " ".join(body.split())))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def summarize(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Plain-text summary of at most `limit` characters, cut on a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


@dataclass(frozen=True, slots=True)
class RobotsEntry:
    """A host's robots.txt as last fetched, kept for a day and then refreshed conditionally."""

    netloc: str  # host[:port], as Scrapy keys robots.txt
    body: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleFailure:
    """One article page that could not be turned into an item (it goes to quarantine)."""

    key: str  # canonical key of the article as the listing (or the quarantine) named it
    url: str  # where it was requested
    error: str  # one line a person can act on


@dataclass(slots=True)
class CrawlResult:
    """What the spider brought back for one source, before anything is stored."""

    source: str
    requests: int = 0
    pages: int = 0
    not_modified: bool = False
    listing_keys: list[str] = field(default_factory=list)  # every article key the listings showed
    items: list[NewsItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Articles that failed: quarantined and retried later, without failing the source.
    article_failures: list[ArticleFailure] = field(default_factory=list)
    fatal: bool = False  # the listing failed (fetch error, or no article links at all)
    etag: str | None = None  # validators of listing page 1, saved only after a clean cycle
    last_modified: str | None = None
    # Channels (issue 12): which one read the source, what it learnt, what it warned about.
    channel: str | None = None  # "rest" | "feed" | "html": the channel that answered
    category_id: int | None = None  # REST: the listing category's id
    validated_url: str | None = None  # the address `etag`/`last_modified` belong to
    rest_total: int | None = None  # REST: the category's post count (X-WP-Total), ...
    rest_newest_id: int | None = None  # ... and newest post id, saved with the validators
    modified: dict[str, str] = field(default_factory=dict)  # key -> channel's modified time
    post_ids: dict[str, int] = field(default_factory=dict)  # key -> WordPress's post id
    warnings: list[str] = field(default_factory=list)  # worth a log line, not a failure
    robots: RobotsEntry | None = None  # robots.txt of the source's host, if (re)fetched

    def fail(self, message: str, *, fatal: bool) -> None:
        self.errors.append(message)
        self.fatal = self.fatal or fatal

    def article_failed(self, key: str, url: str, error: str) -> None:
        self.article_failures.append(ArticleFailure(key, url, error))


@dataclass(slots=True)
class SourceReport:
    """What one cycle did for one source: the counts the CLI prints and `runs` records."""

    source: str
    started: datetime
    finished: datetime | None = None
    requests: int = 0
    not_modified: bool = False
    pages: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    baseline: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    unchanged: int = 0
    queued: int = 0  # Telegram deliveries enqueued for the new items
    quarantined: list[str] = field(default_factory=list)  # "key: error" of articles that failed
    errors: list[str] = field(default_factory=list)
    fatal: bool = False  # the listing itself failed: nothing about the source is known this cycle
    health_event: str | None = None  # "failing" when the failure threshold is crossed, "recovered"

    @property
    def failed(self) -> bool:
        return self.fatal or bool(self.errors)

    @property
    def summary_line(self) -> str:
        state = "FAILED" if self.failed else ("not modified" if self.not_modified else "ok")
        parts = [
            f"{self.source}: {state}",
            f"new={len(self.new)}",
            f"updated={len(self.updated)}",
            f"failed={len(self.errors)}",
        ]
        if self.baseline:
            parts.append(f"baseline={len(self.baseline)}")
        if self.stale:
            parts.append(f"old-resurfaced={len(self.stale)}")
        if self.quarantined:
            parts.append(f"quarantined={len(self.quarantined)}")
        parts.append(f"requests={self.requests}")
        return "  ".join(parts)


@dataclass(slots=True)
class CycleReport:
    """One cycle over one or more sources."""

    sources: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.sources)
