"""Which channel reads a source: the names, the order they are tried in, and their addresses.

A WordPress site offers the same news three ways, cheapest first: the REST API
(`/{lang}/wp-json/wp/v2/posts`, bodies and categories included, no validators), the category's
Atom feed (`.../category/news/feed/atom/`, bodies included, ETag/Last-Modified and 304), and
the HTML listing (one page per request, article pages fetched one by one). Everything here is
pure: the spider asks where to go and in which order, and reports what it found.

Deviation from DESIGN.md section 4 ("the category feed (`.../feed/`)"): the Atom form
(`.../feed/atom/`) is read, because WordPress's RSS 2.0 items carry no modified time and its
Atom entries do (`<updated>`), which is how an edit is noticed without reading the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

REST_PAGE_SIZE = 10
_POST_FIELDS = "id,link,title,date_gmt,modified_gmt,content,excerpt,_links,_embedded"


class Channel(StrEnum):
    REST = "rest"
    FEED = "feed"
    HTML = "html"


DISCOVERY_ORDER = (Channel.REST, Channel.FEED, Channel.HTML)


def channel_order(configured: str, last_good: str | None, start_url: str) -> list[Channel]:
    """The channels to try this cycle, in order; the first that works is used.

    A configured channel is the only one. `auto` starts with the channel that worked last
    (no discovery requests), falling back to the cheaper-to-expensive order after it; with
    none known yet it discovers from the top. A listing address that is not a WordPress
    category (`/category/...`) has no REST or feed form, so only HTML is tried.
    """
    if configured != "auto":
        return [Channel(configured)]
    possible = list(DISCOVERY_ORDER) if category_slug(start_url) else [Channel.HTML]
    if last_good in possible:
        start = possible.index(Channel(last_good))
        return possible[start:]
    return possible


def site_root(start_url: str) -> str | None:
    """`http://host/en/category/news/` -> `http://host/en/` (the WordPress site's root)."""
    parts = urlsplit(start_url)
    head, found, _ = parts.path.partition("/category/")
    if not found:
        return None
    return urlunsplit((parts.scheme, parts.netloc, head.rstrip("/") + "/", "", ""))


def category_slug(start_url: str) -> str | None:
    """The listing's category slug, decoded (`المستجدات`, `news`); the last one when nested."""
    _, found, tail = urlsplit(start_url).path.partition("/category/")
    segments = [s for s in tail.split("/") if s]
    if not found or not segments:
        return None
    if len(segments) >= 2 and segments[-2] == "page":
        segments = segments[:-2]
    return unquote(segments[-1]).lower() if segments else None


def rest_category_url(start_url: str) -> str | None:
    """Where the REST API resolves the listing's category slug to its id."""
    root, slug = site_root(start_url), category_slug(start_url)
    if root is None or slug is None:
        return None
    query = urlencode({"slug": slug, "_fields": "id,name,slug"})
    return f"{root}wp-json/wp/v2/categories?{query}"


def rest_posts_url(start_url: str, category_id: int, page: int, by_id: bool = False) -> str:
    """One page of the category's posts, newest first (by publication date, or `by_id`: the
    newest created, whatever date they carry), with their categories embedded."""
    root = site_root(start_url)
    assert root is not None, "only called for category listings"
    query: dict[str, str | int] = {"categories": category_id, "per_page": REST_PAGE_SIZE}
    query.update({"orderby": "id", "order": "desc"} if by_id else {"page": page})
    query.update({"_embed": "wp:term", "_fields": _POST_FIELDS})
    return f"{root}wp-json/wp/v2/posts?{urlencode(query)}"


def rest_census_url(start_url: str, category_id: int) -> str:
    """The category's newest post id alone; the answer's X-WP-Total counts its posts. Together
    they change on any publication, back-dated or late ones too, which the feed's validators
    (WordPress's newest modified time, site-wide) miss."""
    root = site_root(start_url)
    assert root is not None, "only called for category listings"
    query = {
        "categories": category_id,
        "per_page": 1,
        "orderby": "id",
        "order": "desc",
        "_fields": "id",
    }
    return f"{root}wp-json/wp/v2/posts?{urlencode(query)}"


def feed_url(start_url: str, page: int = 1) -> str:
    """The category's Atom feed (`?paged=N` for older entries)."""
    parts = urlsplit(start_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    query = f"paged={page}" if page > 1 else ""
    return urlunsplit((parts.scheme, parts.netloc, path + "feed/atom/", query, ""))


def disagreement(first: Sequence[str], second: Sequence[str], names: tuple[str, str]) -> str | None:
    """A warning when two channels do not list the same newest items (keys, newest first).
    Only the items both could show are compared: the shorter listing's length, at most 3."""
    depth = min(len(first), len(second), 3)
    if depth == 0 or list(first[:depth]) == list(second[:depth]):
        return None
    return (
        f"the {names[0]} and the {names[1]} disagree about the newest items: "
        f"{', '.join(first[:depth])} versus {', '.join(second[:depth])}"
    )
