"""Pure parsing of WordPress's own channels: REST API posts and Atom feeds, into entries.

An entry is what a channel says about one article: its address, title, publication and
modification times, categories and, when the channel carries it whole, the body. The spider
turns an entry with a body into a NewsItem directly; without one it fetches the article page.
Each entry names the element each of its fields came from (`Entry.provenance`), which `doctor`
shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import unquote

from parsel import Selector

from icesco_watch.spiders.boilerplate import clean_paragraphs
from icesco_watch.spiders.urls import canonical_key, is_article_url, shortlink_post_id

_ATOM = "http://www.w3.org/2005/Atom"
_BLOCKS = ".//p | .//li[not(.//p)] | .//h2 | .//h3 | .//h4 | .//blockquote[not(.//p)]"


class ChannelError(ValueError):
    """A channel's answer that is not what WordPress sends (not JSON, not a feed...)."""


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    key: str
    title: str
    published: datetime
    modified: str | None  # the channel's own modified time (UTC, ISO 8601): an edit changes it
    categories: tuple[str, ...]
    body: str | None  # None: the channel does not carry the body; fetch the article page
    post_id: int | None = None  # WordPress's id of the post (REST `id`, the feed's guid)
    # Which element of the channel's answer gave each field (keyed as NewsItem.provenance).
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False)


def html_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a title), entities decoded, whitespace collapsed."""
    if "<" not in fragment:
        return " ".join(unescape(fragment).split())
    return " ".join(
        " ".join(Selector(text=f"<div>{fragment}</div>").xpath("//text()").getall()).split()
    )


def html_body(fragment: str) -> str:
    """Paragraphs of a post's content, as the article extractor would give them."""
    root = Selector(text=f"<div>{fragment}</div>")
    texts = [" ".join(" ".join(b.xpath(".//text()").getall()).split()) for b in root.xpath(_BLOCKS)]
    if not any(texts):
        texts = [html_text(fragment)]
    return "\n\n".join(clean_paragraphs(t for t in texts if t))


def parse_rest_category(body: bytes) -> tuple[int, str] | None:
    """The id and name of the one category a `categories?slug=` query found, else None."""
    data = _json(body)
    if not isinstance(data, list):
        raise ChannelError("the categories endpoint did not answer a JSON list")
    if not data or not isinstance(data[0], dict) or not isinstance(data[0].get("id"), int):
        return None
    return data[0]["id"], str(data[0].get("name", ""))


@dataclass(frozen=True, slots=True)
class Census:
    """What the REST API says about a category as a whole: how many posts it publishes and the
    newest one's id. A publication changes one or the other, whatever date the post carries."""

    total: int | None  # X-WP-Total (None: the header was missing)
    newest_id: int | None  # None: the category is empty


def parse_rest_census(body: bytes, total: bytes | None) -> Census:
    """The census from a `posts?per_page=1&orderby=id&order=desc&_fields=id` answer."""
    data = _json(body)
    if not isinstance(data, list):
        raise ChannelError("the posts endpoint did not answer a JSON list")
    newest = data[0].get("id") if data and isinstance(data[0], dict) else None
    if data and not isinstance(newest, int):
        raise ChannelError("a post without an id")
    try:
        count = int(total) if total else None
    except ValueError:
        raise ChannelError(f"X-WP-Total is not a number: {total!r}") from None
    return Census(count, newest)


def parse_rest_posts(body: bytes, host: str, lang: str) -> list[Entry]:
    """Entries from a `wp/v2/posts` page; posts that are not articles of `lang` on `host`
    (a page, another language's site) are left out."""
    data = _json(body)
    if not isinstance(data, list):
        raise ChannelError("the posts endpoint did not answer a JSON list")
    entries = []
    for post in data:
        try:
            link = str(post["link"])
            published = _utc(str(post["date_gmt"]))
            content = post.get("content") or {}
        except (KeyError, TypeError, ValueError) as exc:
            raise ChannelError(f"a post without {exc}") from None
        if not is_article_url(link, host, lang):
            continue
        whole = isinstance(content, dict) and not content.get("protected")
        categories = _embedded_categories(post)
        entries.append(
            Entry(
                url=link,
                key=canonical_key(link),
                title=html_text(str((post.get("title") or {}).get("rendered", ""))),
                published=published,
                modified=_iso_utc(post.get("modified_gmt")),
                categories=categories,
                body=html_body(str(content.get("rendered", ""))) if whole else None,
                post_id=_rest_id(post.get("id")),
                provenance={
                    "title": "REST title.rendered",
                    "date": "REST date_gmt",
                    "body": "REST content.rendered" if whole else "none",
                    "categories": "REST wp:term" if categories else "none",
                },
            )
        )
    return entries


def parse_atom(body: bytes, host: str, lang: str) -> list[Entry]:
    """Entries from a WordPress Atom feed (`<published>`, `<updated>`, `<content>`)."""
    try:
        feed = Selector(body=body, type="xml")
    except ValueError as exc:
        raise ChannelError(f"not XML: {exc}") from None
    feed.register_namespace("a", _ATOM)
    if not feed.xpath("/a:feed"):
        raise ChannelError("not an Atom feed")
    entries = []
    for node in feed.xpath("/a:feed/a:entry"):
        link = node.xpath("a:link[@rel='alternate' or not(@rel)]/@href").get() or ""
        published = node.xpath("a:published/text()").get() or ""
        if not is_article_url(link, host, lang) or not published:
            continue
        content = node.xpath("a:content/text()").get()
        whole = bool(content and content.strip())
        categories = tuple(dict.fromkeys(node.xpath("a:category/@term").getall()))
        entries.append(
            Entry(
                url=link,
                key=canonical_key(link),
                title=html_text(node.xpath("a:title/text()").get() or ""),
                published=_utc(published),
                modified=_iso_utc(node.xpath("a:updated/text()").get()),
                categories=categories,
                body=html_body(content) if content and whole else None,
                post_id=shortlink_post_id(node.xpath("a:id/text()").get()),
                provenance={
                    "title": "feed <title>",
                    "date": "feed <published>",
                    "body": "feed <content>" if whole else "none",
                    "categories": "feed <category>" if categories else "none",
                },
            )
        )
    return entries


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChannelError(f"not JSON: {exc}") from None


def _rest_id(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _embedded_categories(post: dict[str, Any]) -> tuple[str, ...]:
    """Category slugs (decoded, as the HTML pages' category links give them)."""
    groups = (post.get("_embedded") or {}).get("wp:term") or []
    slugs = [
        unquote(str(term["slug"])).lower()
        for group in groups
        for term in group or []
        if isinstance(term, dict) and term.get("taxonomy") == "category" and term.get("slug")
    ]
    return tuple(dict.fromkeys(slugs))


def _utc(value: str) -> datetime:
    """WordPress's `*_gmt` values have no offset; Atom's end in Z or an offset."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _iso_utc(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _utc(value).astimezone(UTC).isoformat()
    except ValueError:
        return None
