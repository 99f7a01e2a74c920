"""When an article page was published: our structured-data reading, checked by htmldate.

1. Configured selectors (`sources.selectors.published`) win outright: the operator said where.
2. Our reading of the page: `article:published_time`, JSON-LD `datePublished`, itemprop
   `datePublished`, `<time datetime>`, then the visible date under the title (EN/FR/AR).
   Never a modified date. It gives the time as well as the day, in the page's own offset:
   when the most trusted timestamp is in UTC and another states the same instant with an
   offset, that offset (so the local day: Yoast writes the meta in UTC, the JSON-LD local).
3. htmldate's original-date search (extensive mode) reads the same page independently. When it
   agrees on the day, or finds nothing, our reading stands (with its time). When it disagrees,
   its day wins, at midnight in the source's time zone; when we found nothing, it fills in.
   Two exceptions, where ours stands:
   - htmldate's day is our instant's UTC day and the page gives that instant in UTC too:
     htmldate stopped at the UTC form of the same instant, the local day is the right one;
   - our date is explicit publication markup (the meta, JSON-LD or itemprop `datePublished`)
     and htmldate's day can only come from prose: nowhere in the source in ISO form, not a
     /y/m/d/ path of the address. htmldate reads prose only after the markup it knows, so it
     got there by missing ours (`content` on a `<span itemprop>`) and took a masthead's
     "today" or a partial URL instead.
4. The date in the permalink, last.

Why htmldate arbitrates rather than only filling gaps: on htmldate's public benchmark of 995
saved pages with known days (bench/dates_eval.py), our reading alone finds the right day on
68.6%, htmldate alone 86.7% (fast) and 90.8% (extensive); htmldate only as a fallback after
ours 89.4% (measured before the exceptions), htmldate deciding disagreements with the two
exceptions 91.3% (90.7% without them). Where the two disagree htmldate is right about twice as
often, mostly because it skips dates of related posts. On ICESCO's own markup (the replica, the
saved fixtures) both agree, so nothing changes there.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from htmldate import find_date
from lxml.html import HtmlElement
from parsel import Selector

from icesco_watch.spiders.dates import at_midnight, find_visible_date, parse_iso
from icesco_watch.spiders.nodes import NOISE, first_match, node_text
from icesco_watch.spiders.urls import permalink_date

HtmldateMode = Literal["off", "fast", "extensive"]
_UTC_OFFSET = timedelta(0)
# Our steps that read markup naming the publication date itself (not a bare <time>).
_EXPLICIT = {"article:published_time", "JSON-LD datePublished", "itemprop datePublished"}
_DATED_PATH = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$)")
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle"}


def find_published(
    sel: Selector,
    url: str,
    lang: str,
    zone: ZoneInfo,
    selectors: Sequence[str] = (),
    htmldate: HtmldateMode = "extensive",
) -> tuple[datetime, str] | None:
    """The publication date and which fallback gave it (a configured selector is named:
    "configured selector '.date'"), or None when nothing does.
    `htmldate` chooses htmldate's search: "fast" (markup only), "extensive" (free text too) or
    "off" (benchmarks compare the three)."""
    configured = first_match(sel, selectors)
    if configured:
        css, nodes = configured
        node = nodes[0]
        raw = node.attrib.get("datetime") or node.attrib.get("content") or node_text(node)
        found = parse_iso(raw, zone) or _visible(raw, lang, zone)
        if found:
            return found, f"configured selector {css!r}"
    candidate = _from_page(sel, lang, zone)
    day = htmldate_day(sel, htmldate == "extensive") if htmldate != "off" else None
    if candidate is not None and (day is None or _ours_stands(candidate, day, sel, url, zone)):
        return candidate
    if day is not None:  # htmldate found the page's day and ours disagrees (or found none)
        return at_midnight(day, zone), "htmldate"
    if candidate is not None:
        return candidate
    url_day = permalink_date(url)
    return (at_midnight(url_day, zone), "URL date") if url_day is not None else None


def _from_page(sel: Selector, lang: str, zone: ZoneInfo) -> tuple[datetime, str] | None:
    """Our own reading: structured data, then the visible date under the title."""
    structured = _structured(sel, zone)
    if structured:
        return _in_local_offset(structured)
    visible = _visible(" ".join(text_after_title(sel)), lang, zone)
    return (visible, "visible date") if visible else None


def _structured(sel: Selector, zone: ZoneInfo) -> list[tuple[datetime, str]]:
    """Every timestamp the page's structured data gives for its publication, most trusted first."""
    found = []
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
            found.append((parsed, label))
    return found


def _in_local_offset(structured: list[tuple[datetime, str]]) -> tuple[datetime, str]:
    """The most trusted timestamp, in the page's local offset when the page gives that same
    instant with one: a post published at 01:59 in Cairo was published on the Cairo day, though
    its `article:published_time` says 23:59 UTC the day before (Yoast and many themes write
    the meta in UTC and the JSON-LD in local time)."""
    first, label = structured[0]
    if first.utcoffset() == _UTC_OFFSET:
        for other, other_label in structured[1:]:
            if other == first and other.utcoffset() != _UTC_OFFSET:
                return other, other_label
    return first, label


def _ours_stands(
    candidate: tuple[datetime, str], day: date, sel: Selector, url: str, zone: ZoneInfo
) -> bool:
    """Whether our reading stands against htmldate's day: when they agree, when htmldate read
    the UTC form of our instant, or when htmldate read its day from prose against our explicit
    publication markup."""
    ours, label = candidate
    return (
        ours.date() == day
        or _read_in_utc(ours, day, sel, zone)
        or (label in _EXPLICIT and _from_prose(day, sel, url))
    )


def _from_prose(day: date, sel: Selector, url: str) -> bool:
    """Whether htmldate's day can only have come from prose: it is nowhere in the page's source
    in ISO form (every meta, JSON-LD, `datetime` or `content` attribute htmldate trusts holds
    one) nor a /year/month/day/ path of the page's address or its canonical link. htmldate
    falls back to prose (a masthead's "today", a date in the text, a partial URL such as
    /2023/10/3-questions/) when it misses markup it does not read, such as `content` on a
    `<span itemprop="datePublished">`; an explicit publication date in the markup is better."""
    if day.isoformat() in sel.get():
        return False
    addresses = (url, sel.css("link[rel=canonical]::attr(href)").get(""))
    return not any(
        (found := _DATED_PATH.search(urlsplit(address).path)) is not None
        and _path_day(found) == day
        for address in addresses
    )


def _path_day(found: re.Match[str]) -> date | None:
    try:
        return date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None


def _read_in_utc(ours: datetime, day: date, sel: Selector, zone: ZoneInfo) -> bool:
    """Whether htmldate's day is our instant's UTC day, read from the page's UTC form of it
    (htmldate stops at the first timestamp it trusts, often the UTC meta): the same instant,
    so our local day stands."""
    if ours.utcoffset() == _UTC_OFFSET or ours.astimezone(UTC).date() != day:
        return False
    return any(
        when == ours and when.utcoffset() == _UTC_OFFSET for when, _ in _structured(sel, zone)
    )


def htmldate_day(sel: Selector, extensive: bool = False) -> date | None:
    """htmldate's original (not modified) publication day, from what the page holds (not its
    URL: the permalink step after it reads that, so each date says where it came from).

    htmldate prunes the tree it is given, so it gets a copy; it gets a tree or bytes, never a
    string, because a string that looks like a URL would make it download that URL.
    """
    root = sel.root
    page: HtmlElement | bytes = (
        copy.deepcopy(root) if isinstance(root, HtmlElement) else sel.get().encode("utf-8")
    )
    try:
        found = find_date(page, extensive_search=extensive, original_date=True)
    except (ValueError, TypeError, RecursionError):  # a page too broken for it: no date
        return None
    if not found:
        return None
    try:
        return date.fromisoformat(found[:10])
    except ValueError:
        return None


def _visible(text: str, lang: str, zone: ZoneInfo) -> datetime | None:
    day = find_visible_date(text, lang)
    return at_midnight(day, zone) if day else None


def text_after_title(sel: Selector, limit: int = 60) -> list[str]:
    """The first text nodes after the page's <h1>: where themes print the date. Looking only
    there keeps dates in menus, tickers or related-posts blocks out."""
    texts = sel.xpath(f"(//h1)[1]/following::text()[not(ancestor::*[{NOISE}])]").getall()
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
