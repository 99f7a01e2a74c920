"""Custom feeds for feed readers: `/feed.rss|.atom?lang=&sector=&topic=&q=`, checked and cached.

A custom feed is a reader like any other: its parameters become a routing `Interest` ("all":
every parameter given must match, any of its values will do), the store narrows by exact tags
and the routing core keeps what matches (`q` terms are whole words or phrases, matched like
the bot's /watch keywords). Parameters may repeat or hold comma-separated values. The query is
bounded (length, number of terms); anything off answers 400 with one line saying why.

Documents are cached in a bounded LRU keyed by the normalised query, the format and the store's
last change (`store.items.last_change`), so a feed reader polling an unchanged query costs one
small SQL aggregate and answers 304 to its ETag. The server module only mounts `CustomFeeds`.

Uncached documents are built on `BUILDS_AT_ONCE` threads of their own, at most `BUILDS_WAITING`
more queued behind them; beyond that a query answers 503 with Retry-After at once. A burst of
distinct queries used to hold the event loop's default threads while they waited for a build,
so `/healthz`, `/metrics` and cached feeds stopped answering (found by probing the server).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from aiohttp import web
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.build import render_feed
from icesco_watch.feeds.catalog import COLON, LANG_LABELS, NEWS_NAMES, Format, base_url, isolate
from icesco_watch.models import NewsItem
from icesco_watch.routing import Interest, matches
from icesco_watch.store.items import items_for, last_change
from icesco_watch.store.links import related_versions
from icesco_watch.tagging.topics import clean_keyword, keyword_problem

ROUTE = "/feed.{fmt:rss|atom}"
MAX_QUERY_CHARS = 400  # the raw query string, percent-encoding included
MAX_TERMS = 10  # values of lang, sector, topic and q together
CACHE_ENTRIES = 256
# Items examined, newest first, when words narrow the tags' candidates: matching words costs
# about 0.3 ms an item, so one uncached query stays well under a second (ICESCO publishes a
# few items a day per language: 1,000 items reach back months).
SCAN_LIMIT = 1000
BUILDS_AT_ONCE = 2  # uncached documents built at the same time; cached answers never wait
BUILDS_WAITING = 8  # uncached queries queued behind those (each waits a few builds at most;
# a build of 1,000 scanned items takes under a second); one more is told to retry (503)
RETRY_AFTER = 5  # seconds, in the 503's Retry-After
_BATCH = 500
_PARAMS = ("lang", "sector", "topic", "q")
_LANGS = ("en", "ar", "fr")
_CACHE_CONTROL = "public, max-age=300"
_MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
_DESCRIPTIONS = {
    "en": "{news}, chosen by this feed's address ({subject}), newest first: at most {count} items "
    "seen by icesco-watch.",
    "fr": "{news}, choisies par l'adresse de ce flux ({subject}), les plus récentes d'abord : "
    "au plus {count} publications relevées par icesco-watch.",
    "ar": "{news} التي يختارها عنوان هذه الخلاصة ({subject})، الأحدث أولاً: حتى {count} خبراً "
    "رصدها icesco-watch.",
}
_ALL_NEWS = {"en": "all news", "fr": "toutes les actualités", "ar": "كل الأخبار"}


class QueryError(ValueError):
    """A custom feed query that cannot be served; the message is the 400's one line."""


@dataclass(frozen=True, slots=True)
class CustomFeed:
    """A normalised custom feed query (sorted, de-duplicated values; keywords casefolded)."""

    langs: tuple[str, ...] = ()  # empty: every language
    sectors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def interest(self) -> Interest:
        return Interest(
            frozenset(self.langs),
            frozenset(self.sectors),
            frozenset(self.topics),
            frozenset(self.keywords),
            combine="all",
        )

    @property
    def canonical(self) -> str:
        """The query string every equivalent query normalises to (the cache key, self link)."""
        pairs = [("lang", ",".join(self.langs)), ("sector", ",".join(self.sectors))]
        pairs += [("topic", ",".join(self.topics)), ("q", ",".join(self.keywords))]
        return urlencode([(name, value) for name, value in pairs if value])

    @property
    def lang(self) -> str:
        return self.langs[0] if len(self.langs) == 1 else "all"

    @property
    def text_lang(self) -> str:
        return self.lang if self.lang in NEWS_NAMES else "en"

    def path(self, fmt: Format) -> str:
        query = self.canonical
        return f"feed.{fmt}" + (f"?{query}" if query else "")

    def subject(self, settings: Settings) -> str:
        """Sectors, topics and quoted words, in the feed's language."""
        lang = self.text_lang
        names = [settings.sector(key).name.get(lang) for key in self.sectors]
        topic_names = {t.key: t.label(lang) for t in settings.topics}
        names += [topic_names[key] for key in self.topics]
        names += [f"“{word}”" for word in self.keywords]
        if lang == "ar":
            names = [isolate(name) for name in names]
        return " · ".join(names)

    def title(self, settings: Settings) -> str:
        lang = self.text_lang
        subject = self.subject(settings)
        head = NEWS_NAMES[lang] + (COLON[lang] + subject if subject else "")
        return f"{head} ({LANG_LABELS[lang][self.lang]})"

    def description(self, settings: Settings) -> str:
        lang = self.text_lang
        return _DESCRIPTIONS[lang].format(
            news=NEWS_NAMES[lang],
            subject=self.subject(settings) or _ALL_NEWS[lang],
            count=settings.feeds.items,
        )


def parse_query(raw: str, settings: Settings) -> CustomFeed:
    """The custom feed a raw query string asks for; raises QueryError saying what is wrong."""
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(raw)} characters, at most {MAX_QUERY_CHARS}")
    values: dict[str, list[str]] = {name: [] for name in _PARAMS}
    for name, value in parse_qsl(raw, keep_blank_values=False):
        if name not in values:
            raise QueryError(f"unknown parameter {name!r}; use {', '.join(_PARAMS)}")
        values[name] += [" ".join(v.split()) for v in value.split(",") if v.strip()]
    terms = sum(len(v) for v in values.values())
    if terms > MAX_TERMS:
        raise QueryError(f"too many terms: {terms}, at most {MAX_TERMS}")
    langs = _known("lang", values["lang"], (*_LANGS, "all"))
    sectors = _known("sector", values["sector"], tuple(s.key for s in settings.sectors))
    topics = _known("topic", values["topic"], tuple(t.key for t in settings.topics))
    keywords = sorted({clean_keyword(word) for word in values["q"]})
    for word in keywords:
        problem = keyword_problem(word)
        if problem:
            raise QueryError(f"q={word!r}: {problem.text}")
    return CustomFeed(
        langs=() if "all" in langs else tuple(langs),
        sectors=tuple(sectors),
        topics=tuple(topics),
        keywords=tuple(keywords),
    )


def _known(name: str, given: list[str], known: tuple[str, ...]) -> list[str]:
    for value in given:
        if value not in known:
            choices = ", ".join(known) if known else "none configured"
            raise QueryError(f"unknown {name} {value!r}; known: {choices}")
    return sorted(set(given))


def custom_entries(engine: Engine, feed: CustomFeed, limit: int) -> list[NewsItem]:
    """The feed's items, newest first: exact tags from the store, then the routing core's say
    (words are looked for in the newest SCAN_LIMIT candidates)."""
    interest = feed.interest
    chosen: list[NewsItem] = []
    batch = limit if not interest.keywords else _BATCH
    with engine.connect() as conn:
        for offset in range(0, SCAN_LIMIT, batch):
            stored = items_for(conn, interest, batch, offset)
            chosen += [s.item for s in stored if matches(interest, s.item)]
            if len(chosen) >= limit or len(stored) < batch:
                break
    return chosen[:limit]


@dataclass(slots=True)
class Rendered:
    body: bytes
    etag: str
    _gzipped: bytes | None = None

    @property
    def gzip_etag(self) -> str:
        return self.etag[:-1] + '-gz"'

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


_Key = tuple[str, str, int]  # normalised query, format, the store's last change


class CustomFeeds:
    """The aiohttp handler for custom feeds, with its LRU of rendered documents."""

    def __init__(self, settings: Settings, engine: Engine, entries: int = CACHE_ENTRIES) -> None:
        self.settings = settings
        self.engine = engine
        self.entries = entries
        self.renders = 0  # documents built (cache misses): a poll served from the cache adds none
        self._cache: OrderedDict[_Key, Rendered] = OrderedDict()
        self._lock = threading.Lock()
        # Builds have threads of their own: however many distinct queries arrive, the loop's
        # default threads (health, metrics, cache lookups) never wait behind them.
        self.builders = ThreadPoolExecutor(BUILDS_AT_ONCE, thread_name_prefix="custom-feed")
        self._queued = 0  # builds asked for and not yet done; touched on the event loop only

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """GET /feed.rss|.atom?…: the document, 304 to a matching ETag, 400 with one line."""
        fmt: Format = "atom" if request.match_info["fmt"] == "atom" else "rss"
        try:
            feed = parse_query(request.rel_url.raw_query_string, self.settings)
        except QueryError as error:
            return web.Response(
                status=400, text=f"{error}\n", headers={"Cache-Control": "no-store"}
            )
        key, rendered = await asyncio.to_thread(self.cached, feed, fmt)
        if rendered is None:
            if self._queued >= BUILDS_AT_ONCE + BUILDS_WAITING:
                return web.Response(
                    status=503,
                    text="too many new custom feeds asked at once; retry in a few seconds\n",
                    headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
                )
            self._queued += 1
            try:
                loop = asyncio.get_running_loop()
                rendered = await loop.run_in_executor(self.builders, self.build, feed, fmt, key)
            finally:
                self._queued -= 1
        gzipped = accepts_gzip(request.headers.get("Accept-Encoding", ""))
        headers = {
            "ETag": rendered.gzip_etag if gzipped else rendered.etag,
            "Cache-Control": _CACHE_CONTROL,
            "Vary": "Accept-Encoding",
        }
        tags = {
            tag.strip().removeprefix("W/")
            for tag in request.headers.get("If-None-Match", "").split(",")
        }
        if tags & {rendered.etag, rendered.gzip_etag, "*"}:
            return web.Response(status=304, headers=headers)
        headers["Content-Type"] = _MEDIA_TYPES[fmt]
        if gzipped:
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=rendered.gzipped, headers=headers)
        return web.Response(body=rendered.body, headers=headers)

    def rendered(self, feed: CustomFeed, fmt: Format) -> Rendered:
        """The document for `feed` as the store is now, from the cache when nothing changed."""
        key, cached = self.cached(feed, fmt)
        return cached if cached is not None else self.build(feed, fmt, key)

    def cached(self, feed: CustomFeed, fmt: Format) -> tuple[_Key, Rendered | None]:
        """The cache key of `feed` as the store is now, and its document if cached."""
        # The marker is read before the items: a change in between caches newer items under
        # the older marker, which the next request replaces; never older items under a newer.
        with self.engine.connect() as conn:
            marker = last_change(conn)
        key = (feed.canonical, fmt, marker)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return key, found

    def build(self, feed: CustomFeed, fmt: Format, key: _Key) -> Rendered:
        """Build and cache the document under `key` (unless a build queued before this one
        already did: the same query asked twice at once is built once)."""
        with self._lock:
            if (found := self._cache.get(key)) is not None:
                return found
        entries = custom_entries(self.engine, feed, self.settings.feeds.items)
        with self.engine.connect() as conn:
            versions = related_versions(conn, [item.key for item in entries])
        base = base_url(self.settings)
        body = render_feed(feed, fmt, entries, self.settings, base, versions=versions)
        rendered = Rendered(body, f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"')
        with self._lock:
            self.renders += 1
            self._cache[key] = rendered
            while len(self._cache) > self.entries:
                self._cache.popitem(last=False)
        return rendered

    def close(self) -> None:
        """Stop the build threads; queued builds are dropped (their requests are gone)."""
        self.builders.shutdown(wait=False, cancel_futures=True)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip: the one decision for every document the
    server sends (a client saying `gzip;q=0` gets the plain bytes)."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False
