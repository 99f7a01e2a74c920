"""Publication dates: our structured reading first, htmldate as the check and the fallback."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from icesco_watch.spiders.published import HtmldateMode, find_published, htmldate_day

CASABLANCA = ZoneInfo("Africa/Casablanca")
URL = "https://icesco.org/en/2024/07/11/x/"
META = '<meta property="article:published_time" content="2024-07-11T10:00:00+01:00">'
# The first date after the <h1> belongs to a related post; the page's own date is in a
# <meta name="date"> our steps do not read and htmldate does.
RELATED_FIRST = (
    '<html><head><meta name="date" content="2024-07-09"></head><body><h1>T</h1>'
    "<div><p>Related: 3 March 2021</p></div><p>text</p></body></html>"
)
FREE_TEXT = (
    "<html><head><title>T</title></head><body><div><p>Some text.</p>"
    "<p>Posted 9 July 2024 by admin</p></div></body></html>"
)


def _published(html: str, mode: HtmldateMode = "extensive", **kw: list[str]) -> tuple[str, str]:
    found = find_published(Selector(text=html), URL, "en", CASABLANCA, htmldate=mode, **kw)
    assert found is not None
    return found[0].isoformat(), found[1]


def test_structured_data_keeps_its_time_when_htmldate_agrees() -> None:
    page = f"<html><head>{META}</head><body><h1>T</h1><p>x</p></body></html>"
    assert _published(page) == ("2024-07-11T10:00:00+01:00", "article:published_time")


def test_htmldate_overrules_a_disagreeing_reading_with_its_day() -> None:
    assert _published(RELATED_FIRST, "off") == ("2021-03-03T00:00:00+01:00", "visible date")
    assert _published(RELATED_FIRST) == ("2024-07-09T00:00:00+01:00", "htmldate")


def test_htmldate_fills_in_before_the_permalink_date() -> None:
    assert _published(FREE_TEXT, "off") == ("2024-07-11T00:00:00+01:00", "URL date")
    assert _published(FREE_TEXT) == ("2024-07-09T00:00:00+01:00", "htmldate")


@pytest.mark.parametrize("mode", ["off", "fast", "extensive"])
def test_a_configured_selector_wins_whatever_htmldate_says(mode: HtmldateMode) -> None:
    found = _published(RELATED_FIRST, mode, selectors=["div p"])
    assert found == ("2021-03-03T00:00:00+01:00", "configured selector 'div p'")


def test_no_date_anywhere_is_none() -> None:
    page = Selector(text="<html><body><h1>T</h1><p>nothing dated</p></body></html>")
    assert find_published(page, "https://icesco.org/en/about/", "en", CASABLANCA) is None


def test_a_utc_timestamp_stays_the_same_instant() -> None:
    page = '<html><head><meta property="article:published_time" content="2024-07-10T23:30:00Z">'
    found = find_published(
        Selector(text=page + "</head><body></body></html>"), URL, "en", CASABLANCA
    )
    assert found is not None
    assert found[0] == datetime(2024, 7, 10, 23, 30, tzinfo=timezone(timedelta(0)))


# Yoast's habit: the meta in UTC, the JSON-LD the same instant in the site's offset (here a post
# published at 01:59 in Cairo, 23:59 UTC the day before). htmldate stops at the UTC meta.
UTC_META_LOCAL_JSON_LD = (
    '<html><head><meta property="article:published_time" content="2020-12-24T23:59:50+00:00">'
    '<script type="application/ld+json">{"@type": "NewsArticle",'
    ' "datePublished": "2020-12-25T01:59:50+02:00"}</script></head>'
    "<body><h1>T</h1><p>text</p></body></html>"
)


@pytest.mark.parametrize("mode", ["off", "fast", "extensive"])
def test_the_same_instant_in_the_pages_local_offset_gives_the_local_day(mode: HtmldateMode) -> None:
    if mode != "off":  # htmldate alone reads the UTC meta: the arbitration must keep ours
        page = Selector(text=UTC_META_LOCAL_JSON_LD)
        assert htmldate_day(page, extensive=mode == "extensive") == date(2020, 12, 24)
    found = _published(UTC_META_LOCAL_JSON_LD, mode)
    assert found == ("2020-12-25T01:59:50+02:00", "JSON-LD datePublished")


def test_a_utc_day_htmldate_read_elsewhere_still_overrules_a_lone_local_timestamp() -> None:
    # Without the page's own UTC form of our instant, a disagreeing htmldate day wins as before.
    page = (
        '<html><head><meta name="date" content="2020-12-24">'
        '<meta property="article:published_time" content="2020-12-25T01:59:50+02:00">'
        "</head><body><h1>T</h1><p>text</p></body></html>"
    )
    assert htmldate_day(Selector(text=page), extensive=True) == date(2020, 12, 24)
    assert _published(page) == ("2020-12-24T00:00:00+01:00", "htmldate")


# The masthead prints today's date in a class="date" htmldate trusts; the article's own date is
# microdata htmldate does not read (`content` on a <p>, whose text is only "January 2022").
MASTHEAD_TODAY = (
    '<html><head><title>T</title></head><body><nav><p class="date">Friday, 21 January 2022</p>'
    '</nav><h1>T</h1><p class="date" itemprop="datePublished" content="2022-01-14 10:31:00">'
    "January 2022</p><p>text</p></body></html>"
)


@pytest.mark.parametrize(
    "url", ["https://example.org/news/x/", "https://example.org/2022/01/2-questions/"]
)
def test_an_explicit_publication_date_beats_a_day_htmldate_read_from_prose(url: str) -> None:
    assert htmldate_day(Selector(text=MASTHEAD_TODAY), extensive=True) == date(2022, 1, 21)
    found = find_published(Selector(text=MASTHEAD_TODAY), url, "en", CASABLANCA)
    assert found is not None
    assert (found[0].isoformat(), found[1]) == (
        "2022-01-14T10:31:00+01:00",
        "itemprop datePublished",
    )


def test_htmldate_still_overrules_when_its_day_is_in_the_address_or_in_iso_form() -> None:
    dated_url = "https://example.org/2022/01/21/x/"
    in_address = find_published(Selector(text=MASTHEAD_TODAY), dated_url, "en", CASABLANCA)
    in_iso = MASTHEAD_TODAY.replace("<title>T</title>", '<meta name="date" content="2022-01-21">')
    for found in (in_address, find_published(Selector(text=in_iso), URL, "en", CASABLANCA)):
        assert found is not None
        assert (found[0].isoformat(), found[1]) == ("2022-01-21T00:00:00+01:00", "htmldate")
