"""Pure extraction from an ICESCO page's Selector: listing links, the next page, article fields.

Nothing here depends on one WordPress theme: links are recognised by their permalink shape,
fields come from structured data first and generic fallbacks after, and per-source CSS selectors
(config) are tried before everything else so that a layout change is a config edit. Each field
says which of its steps gave it (`ArticleFields.provenance`), which `doctor` shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from parsel import Selector

from icesco_watch.spiders.bodies import BODY_CONTAINERS, extract_body_from
from icesco_watch.spiders.boilerplate import strip_site_suffix
from icesco_watch.spiders.nodes import first_match, node_text, select_first
from icesco_watch.spiders.published import find_published
from icesco_watch.spiders.urls import canonical_key, is_article_url, shortlink_post_id


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
    # Which step gave each of the other fields, as published_from does for the date.
    title_from: str
    body_from: str
    image_from: str
    categories_from: str
    post_id: int | None = None  # WordPress's id of the post (its shortlink, or the body class)

    @property
    def provenance(self) -> Mapping[str, str]:
        """Where each field came from, keyed as `NewsItem.provenance` is."""
        return {
            "title": self.title_from,
            "date": self.published_from,
            "body": self.body_from,
            "categories": self.categories_from,
            "image": self.image_from,
        }


def listing_links(
    sel: Selector, page_url: str, host: str, lang: str, selectors: Sequence[str] = ()
) -> list[ListingLink]:
    """Article permalinks on a listing page, in page order, one per canonical key."""
    anchors = select_first(sel, [f"{s} a[href], {s}[href]" for s in selectors]) or sel.css(
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
    title, title_from = _title(sel, title_selectors)
    if not title:
        raise ExtractionError(f"no title found on {url} (no og:title, <h1> or <title>)")
    found = find_published(sel, url, lang, zone, published_selectors)
    if found is None:
        raise ExtractionError(f"no publication date found on {url}")
    published, published_from = found
    body, body_from = extract_body_from(sel, body_selectors)
    image, image_from = _image(sel, url)
    categories = _categories(sel)
    return ArticleFields(
        title=title,
        published=published,
        published_from=published_from,
        body=body,
        image=image,
        site_categories=categories,
        title_from=title_from,
        body_from=body_from,
        image_from=image_from,
        categories_from="category links" if categories else "none",
        post_id=_post_id(sel),
    )


_POSTID_CLASS = re.compile(r"(?:^|\s)postid-(?P<id>[1-9]\d{0,17})(?:\s|$)")


def _post_id(sel: Selector) -> int | None:
    """WordPress's post id: `<link rel="shortlink" href="…?p=ID">`, else `postid-ID` in the
    body class (themes print one or both); None on a page that has neither."""
    for href in sel.xpath("//link[@rel='shortlink']/@href").getall():
        if (found := shortlink_post_id(href)) is not None:
            return found
    match = _POSTID_CLASS.search(sel.xpath("//body/@class").get() or "")
    return int(match.group("id")) if match else None


def _title(sel: Selector, selectors: Sequence[str]) -> tuple[str, str]:
    """The title and which step gave it ("og:title", "<h1>" ...), or ("", "none")."""
    configured = first_match(sel, selectors)
    candidates = (
        [(node_text(configured[1][0]), f"configured selector {configured[0]!r}")]
        if configured
        else []
    )
    candidates += [
        (sel.css("meta[property='og:title']::attr(content)").get(""), "og:title"),
        *((node_text(h1), "<h1>") for h1 in sel.css("h1")[:1]),
        (sel.css("title::text").get(""), "<title>"),
    ]
    for candidate, source in candidates:
        cleaned = strip_site_suffix(" ".join(candidate.split()))
        if cleaned:
            return cleaned, source
    return "", "none"


def _image(sel: Selector, url: str) -> tuple[str | None, str]:
    """The lead image's address and which step gave it: "og:image", "body <img>" or "none"."""
    src, source = sel.css("meta[property='og:image']::attr(content)").get(), "og:image"
    if not src:
        css = ", ".join(f"{c} img::attr(src)" for c in BODY_CONTAINERS)
        src, source = sel.css(css).get(), "body <img>"
    return (urljoin(url, src.strip()), source) if src else (None, "none")


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
