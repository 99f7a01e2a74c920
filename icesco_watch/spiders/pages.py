"""Pure extraction from an ICESCO page's Selector: listing links, the next page, article fields.

Nothing here depends on one WordPress theme: links are recognised by their permalink shape,
fields come from structured data first and generic fallbacks after, and per-source CSS selectors
(config) are tried before everything else so that a layout change is a config edit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from parsel import Selector, SelectorList

from icesco_watch.spiders.boilerplate import clean_paragraphs, strip_site_suffix
from icesco_watch.spiders.dates import at_midnight, find_visible_date, parse_iso
from icesco_watch.spiders.urls import canonical_key, is_article_url, permalink_date

_BODY_CONTAINERS = (
    "[itemprop=articleBody]",
    ".elementor-widget-theme-post-content",
    ".entry-content",
    ".td-post-content",
    ".post-content",
    "article .content",
)
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle"}
_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
)
_NOISE = " or ".join(f"self::{tag}" for tag in _NOISE_TAGS)  # an XPath test: "is page chrome"


class ExtractionError(ValueError):
    """A page that does not look like an article (no title, or no date at all)."""


@dataclass(frozen=True, slots=True)
class ListingLink:
    url: str
    key: str


@dataclass(frozen=True, slots=True)
class ArticleFields:
    title: str
    published: datetime
    published_from: str  # which fallback gave the date: useful when a layout changes
    body: str
    image: str | None
    site_categories: tuple[str, ...]


def listing_links(
    sel: Selector, page_url: str, host: str, lang: str, selectors: Sequence[str] = ()
) -> list[ListingLink]:
    """Article permalinks on a listing page, in page order, one per canonical key."""
    anchors = _select_first(sel, [f"{s} a[href], {s}[href]" for s in selectors]) or sel.css(
        "a[href]"
    )
    seen: set[str] = set()
    links = []
    for href in anchors.xpath("@href").getall():
        url = urljoin(page_url, href.strip())
        if not is_article_url(url, host, lang):
            continue
        key = canonical_key(url)
        if key not in seen:
            seen.add(key)
            links.append(ListingLink(url.split("#", 1)[0], key))
    return links


def next_page_url(sel: Selector, page_url: str) -> str | None:
    """The page's own link to the next listing page, if it has one."""
    href = (
        sel.css("link[rel=next]::attr(href)").get()
        or sel.css("a[rel~=next]::attr(href)").get()
        or sel.css("a.next::attr(href), .nav-next a::attr(href), .next a::attr(href)").get()
    )
    return urljoin(page_url, href.strip()) if href else None


def linked_page_numbers(sel: Selector, page_url: str, start_url: str) -> set[int]:
    """Page numbers this listing page links to in its own pagination: `.../page/N/`, and the
    bare listing address, which is how WordPress links page 1."""
    listing = urlsplit(numbered_page_url(start_url, 1)).path.removesuffix("page/1/")
    numbers = set()
    for href in sel.css("a[href]::attr(href)").getall():
        path = urlsplit(urljoin(page_url, href.strip())).path
        if path.rstrip("/") == listing.rstrip("/"):
            numbers.add(1)
        elif path.startswith(listing + "page/"):
            tail = path.removeprefix(listing + "page/").strip("/")
            if tail.isdigit():
                numbers.add(int(tail))
    return numbers


def numbered_page_url(start_url: str, page: int) -> str:
    """WordPress's `page/N/` listing address, used when a page has no "next" link."""
    base = start_url.split("?", 1)[0].split("#", 1)[0]
    return urljoin(base if base.endswith("/") else base + "/", f"page/{page}/")


def extract_article(
    sel: Selector,
    url: str,
    lang: str,
    zone: ZoneInfo,
    title_selectors: Sequence[str] = (),
    published_selectors: Sequence[str] = (),
    body_selectors: Sequence[str] = (),
) -> ArticleFields:
    """Title, publication date, plain-text body, image and site categories of an article page."""
    title = _title(sel, title_selectors)
    if not title:
        raise ExtractionError(f"no title found on {url} (no og:title, <h1> or <title>)")
    published, published_from = _published(sel, url, lang, zone, published_selectors)
    body = "\n\n".join(clean_paragraphs(_body_paragraphs(sel, body_selectors)))
    return ArticleFields(
        title=title,
        published=published,
        published_from=published_from,
        body=body,
        image=_image(sel, url),
        site_categories=_categories(sel),
    )


def _select_first(sel: Selector, selectors: Sequence[str]) -> SelectorList[Selector] | None:
    for css in selectors:
        found = sel.css(css)
        if found:
            return found
    return None


def _text(node: Selector) -> str:
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())


def _title(sel: Selector, selectors: Sequence[str]) -> str:
    configured = _select_first(sel, selectors)
    candidates = [_text(configured[0])] if configured else []
    candidates += [
        sel.css("meta[property='og:title']::attr(content)").get(""),
        *(_text(h1) for h1 in sel.css("h1")[:1]),
        sel.css("title::text").get(""),
    ]
    for candidate in candidates:
        cleaned = strip_site_suffix(" ".join(candidate.split()))
        if cleaned:
            return cleaned
    return ""


def _published(
    sel: Selector, url: str, lang: str, zone: ZoneInfo, selectors: Sequence[str]
) -> tuple[datetime, str]:
    """Structured data first, then what the page shows, then the URL; never a modified date."""
    configured = _select_first(sel, selectors)
    if configured:
        node = configured[0]
        raw = node.attrib.get("datetime") or node.attrib.get("content") or _text(node)
        found = parse_iso(raw, zone) or _visible(raw, lang, zone)
        if found:
            return found, "configured selector"
    for label, value in (
        (
            "article:published_time",
            sel.css("meta[property='article:published_time']::attr(content)").get(),
        ),
        ("JSON-LD datePublished", _json_ld_published(sel)),
        (
            "itemprop datePublished",
            sel.css(
                "[itemprop=datePublished]::attr(content), [itemprop=datePublished]::attr(datetime)"
            ).get(),
        ),
        ("<time datetime>", _time_element(sel)),
    ):
        if value and (parsed := parse_iso(value, zone)):
            return parsed, label
    visible = _visible(" ".join(_text_after_title(sel)), lang, zone)
    if visible:
        return visible, "visible date"
    day = permalink_date(url)
    if day is None:
        raise ExtractionError(f"no publication date found on {url}")
    return at_midnight(day, zone), "URL date"


def _visible(text: str, lang: str, zone: ZoneInfo) -> datetime | None:
    day = find_visible_date(text, lang)
    return at_midnight(day, zone) if day else None


def _text_after_title(sel: Selector, limit: int = 60) -> list[str]:
    """The first text nodes after the page's <h1>: where themes print the date. Looking only
    there keeps dates in menus, tickers or related-posts blocks out."""
    texts = sel.xpath(f"(//h1)[1]/following::text()[not(ancestor::*[{_NOISE}])]").getall()
    return [t.strip() for t in texts[: limit * 2] if t.strip()][:limit]


def _time_element(sel: Selector) -> str | None:
    for css in (
        "time.published::attr(datetime)",
        "time.entry-date::attr(datetime)",
        "article time[datetime]:not(.updated)::attr(datetime)",
        "time[datetime]:not(.updated)::attr(datetime)",
    ):
        value = sel.css(css).get()
        if value:
            return value
    return None


def _json_ld_published(sel: Selector) -> str | None:
    fallback = None
    for raw in sel.css("script[type='application/ld+json']::text").getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for node in _json_nodes(data):
            value = node.get("datePublished")
            if not isinstance(value, str):
                continue
            types = node.get("@type", [])
            names = {t.lower() for t in ([types] if isinstance(types, str) else types)}
            if names & _ARTICLE_TYPES:
                return value
            fallback = fallback or value
    return fallback


def _json_nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _json_nodes(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_nodes(value)


def _body_paragraphs(sel: Selector, selectors: Sequence[str]) -> list[str]:
    container = _select_first(sel, [*selectors, *_BODY_CONTAINERS])
    if container:
        paragraphs = _paragraphs(container[0])
        if paragraphs:
            return paragraphs
    return _densest_block(sel)


def _paragraphs(node: Selector) -> list[str]:
    blocks = node.xpath(".//p | .//li[not(.//p)] | .//h2 | .//h3 | .//blockquote[not(.//p)]")
    texts = [_text(b) for b in blocks if not b.xpath(f"ancestor::*[{_NOISE}]")]
    if not texts:
        texts = [t for t in (_text(node),) if t]
    return [t for t in texts if t]


def _densest_block(sel: Selector) -> list[str]:
    """Generic main-text extractor: the element whose own <p> children hold the most text."""
    best: list[str] = []
    best_size = 0
    for parent in sel.xpath(f"//*[p][not(ancestor-or-self::*[{_NOISE}])]"):
        texts = [t for t in (_text(p) for p in parent.xpath("./p")) if t]
        size = sum(len(t) for t in texts)
        if size > best_size:
            best, best_size = texts, size
    return best


def _image(sel: Selector, url: str) -> str | None:
    src = (
        sel.css("meta[property='og:image']::attr(content)").get()
        or sel.css(", ".join(f"{c} img::attr(src)" for c in _BODY_CONTAINERS)).get()
    )
    return urljoin(url, src.strip()) if src else None


_CATEGORY_PATH = re.compile(r"/category/(.+?)/?$")


def _categories(sel: Selector) -> tuple[str, ...]:
    """Site category slugs from `rel="category tag"` links (`news`, `member-state/morocco`)."""
    slugs: list[str] = []
    for href in sel.css("a[rel~=category]::attr(href)").getall():
        match = _CATEGORY_PATH.search(urlsplit(href).path)
        if match:
            slug = unquote(match.group(1)).lower()
            if slug not in slugs:
                slugs.append(slug)
    return tuple(slugs)
