"""Feed building (pure): news items in, RSS 2.0 and Atom bytes out, identical for identical input.

Nothing here reads a clock: a feed's dates come from its items, so rebuilding a feed whose items
did not change gives the same bytes, and the server keeps its ETag and Last-Modified.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.catalog import FeedSpec, Format
from icesco_watch.feeds.versions import (
    NAMESPACE,
    Versions,
    VersionsEntry,
    VersionsFeed,
    versions_line,
)
from icesco_watch.models import NewsItem

# XML 1.0 forbids C0 controls other than tab/newline/CR, surrogates and U+FFFE/U+FFFF; C1
# controls and DEL are allowed but never meant in a news title, and confuse readers.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# An empty feed still needs a date (Atom requires <updated>); a fixed one keeps bytes stable.
EMPTY_FEED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
GENERATOR = "icesco-watch"


class FeedSubject(Protocol):
    """What a feed document needs to know about its feed: a catalogue `FeedSpec` or a custom
    feed (`feeds/custom.py`)."""

    @property
    def lang(self) -> str: ...  # en, ar, fr or all

    @property
    def text_lang(self) -> str: ...  # the language of the feed's own title and description

    def path(self, fmt: Format) -> str: ...  # relative to the base URL, for the self link

    def title(self, settings: Settings) -> str: ...

    def description(self, settings: Settings) -> str: ...


def clean_text(text: str) -> str:
    """Scraped text made safe for XML and HTML: invalid and control characters removed."""
    return _NOT_TEXT.sub("", text)


def clean_line(text: str) -> str:
    """`clean_text` on one line: any run of whitespace (newlines too) becomes one space."""
    return " ".join(clean_text(text).split())


def feed_items(spec: FeedSpec, items: Sequence[NewsItem], limit: int) -> list[NewsItem]:
    """The items `spec` holds: its matches, newest first (ties by key, for stable output)."""
    chosen = [item for item in items if spec.matches(item)]
    chosen.sort(key=lambda i: i.key)
    chosen.sort(key=lambda i: i.published, reverse=True)
    return chosen[:limit]


def render_feed(
    spec: FeedSubject,
    fmt: Format,
    items: Sequence[NewsItem],
    settings: Settings,
    base: str,
    updated: Mapping[str, datetime] | None = None,
    versions: Mapping[str, Versions] | None = None,
) -> bytes:
    """One feed document. `items` are the feed's entries, newest first (see `feed_items`);
    `base` is the absolute address the feeds are served from (no trailing slash); `updated`
    holds when an edited item last changed (by key), its entry's and the feed's <updated>;
    `versions` the other-language versions of each item's story (by key; `feeds/versions.py`)."""
    updated = updated or {}
    versions = versions or {}
    self_url = f"{base}/{spec.path(fmt)}"
    gen = FeedGenerator()
    gen.title(clean_line(spec.title(settings)))
    gen.description(clean_line(spec.description(settings)))
    gen.subtitle(clean_line(spec.description(settings)))
    gen.id(self_url)
    # Self first: feedgen takes the RSS channel <link> from the last "alternate" link.
    gen.link(href=self_url, rel="self", type=_MEDIA_TYPES[fmt])
    gen.link(href=f"{base}/", rel="alternate", type="text/html")
    gen.generator(GENERATOR)
    gen.register_extension(NAMESPACE, VersionsFeed, VersionsEntry)
    if spec.lang != "all":
        gen.language(spec.lang)
    newest = max((updated.get(i.key, i.published) for i in items), default=EMPTY_FEED_DATE)
    gen.lastBuildDate(newest)
    gen.updated(newest)
    for item in items:
        entry = _add_entry(gen, spec, fmt, item, settings, base, updated.get(item.key))
        _add_versions(entry, fmt, item, versions.get(item.key, ()))
    data: bytes = gen.rss_str(pretty=True) if fmt == "rss" else gen.atom_str(pretty=True)
    return data


_MEDIA_TYPES: dict[Format, str] = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def _add_entry(
    gen: FeedGenerator,
    spec: FeedSubject,
    fmt: Format,
    item: NewsItem,
    settings: Settings,
    base: str,
    updated: datetime | None = None,
) -> FeedEntry:
    entry = gen.add_entry(order="append")
    url = clean_line(item.url)
    entry.guid(url, permalink=True)
    entry.link(href=url, rel="alternate")
    entry.title(clean_line(item.title) or url)
    entry.published(item.published)
    entry.updated(updated or item.published)
    summary = clean_line(item.summary)
    if summary:
        if fmt == "rss":
            # An RSS description is HTML to readers: escape the plain text once more, so a
            # scraped "<script>" is shown as text and never becomes markup.
            entry.description(html.escape(summary, quote=False))
        else:
            entry.summary(summary, type="text")
    for key in item.sectors:
        name = _sector_name(settings, key, spec.text_lang)
        if name is None:
            continue  # a sector dropped from the config since the item was tagged
        entry.category(term=key, label=name, scheme=f"{base}/{spec.lang}/sector/")
    return entry


def _add_versions(entry: FeedEntry, fmt: Format, item: NewsItem, versions: Versions) -> None:
    """The story's other versions: Atom/atom:link alternates, and a line of the RSS description."""
    shown = [
        (lang, clean_line(url))
        for lang, url in versions
        if clean_line(url).lower().startswith(("http://", "https://"))
    ]
    if not shown:
        return
    getattr(entry, NAMESPACE).versions = tuple(shown)
    if fmt == "rss":
        summary = clean_line(item.summary)
        lead = html.escape(summary, quote=False) + "<br/><br/>" if summary else ""
        entry.description(lead + versions_line(shown))


def _sector_name(settings: Settings, key: str, lang: str) -> str | None:
    try:
        return settings.sector(key).name.get(lang)
    except KeyError:
        return None
