"""The spider's decisions on real Scrapy responses: what it fetches, when it paginates."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse

from icesco_watch.config.schema import SourceConfig
from icesco_watch.spiders.icesco import IcescoSpider, SourcePlan

START = "https://icesco.org/en/category/news/"
SOURCE = SourceConfig(key="icesco-en", lang="en", start_urls=[START], max_pages=3)


def _listing(slugs: list[str], url: str = START, next_link: bool = True) -> HtmlResponse:
    cards = "".join(
        f'<article><h3><a href="/en/2025/01/{i + 1:02d}/{slug}/">{slug}</a></h3></article>'
        for i, slug in enumerate(slugs)
    )
    nav = (
        '<a class="next page-numbers" href="/en/category/news/page/2/">Next</a>'
        if next_link
        else ""
    )
    body = f"<html><body>{cards}{nav}</body></html>".encode()
    return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))


def _key(slug: str, day: int) -> str:
    return f"icesco.org/en/2025/01/{day:02d}/{slug}"


def _run(plan: SourcePlan, response: HtmlResponse, page: int = 1) -> list[Request]:
    spider = IcescoSpider(plans=[plan])
    return list(spider.parse_listing(response, key="icesco-en", page=page, start_url=START))


def _split(requests: list[Request]) -> tuple[list[str], list[str]]:
    listings = [r.url for r in requests if r.meta["kind"] == "listing"]
    articles = [r.url for r in requests if r.meta["kind"] == "article"]
    return listings, articles


def test_only_unknown_articles_are_fetched() -> None:
    plan = SourcePlan(SOURCE, known=frozenset({_key("b", 2)}))
    _, articles = _split(_run(plan, _listing(["a", "b", "c"])))
    assert articles == [
        "https://icesco.org/en/2025/01/01/a/",
        "https://icesco.org/en/2025/01/03/c/",
    ]


def test_a_pinned_known_item_on_top_does_not_stop_pagination() -> None:
    pinned = _key("pinned", 1)
    plan = SourcePlan(SOURCE, known=frozenset({pinned}))
    listings, articles = _split(_run(plan, _listing(["pinned", "n1", "n2", "n3"])))
    assert listings == [START + "page/2/"]
    assert len(articles) == 3


def test_pagination_stops_where_known_items_begin() -> None:
    plan = SourcePlan(SOURCE, known=frozenset({_key("old", 3)}))
    listings, articles = _split(_run(plan, _listing(["n1", "n2", "old"])))
    assert listings == []
    assert len(articles) == 2


def test_pagination_stops_at_the_page_limit_and_falls_back_to_page_numbers() -> None:
    plan = SourcePlan(SOURCE, pages=2)
    listings, _ = _split(_run(plan, _listing(["a", "b"], next_link=False)))
    assert listings == [START + "page/2/"]
    page2 = START + "page/2/"
    listings, _ = _split(_run(plan, _listing(["c", "d"], url=page2, next_link=False), page=2))
    assert listings == []


def test_a_page_whose_own_pagination_ends_is_the_last() -> None:
    plan = SourcePlan(SOURCE, pages=5)
    page2 = START + "page/2/"
    numbered = '<a class="page" href="/en/category/news/">1</a><span class="current">2</span>'
    body = _listing(["c", "d"], url=page2, next_link=False).text.replace("</body>", numbered)
    response = HtmlResponse(page2, body=body.encode(), encoding="utf-8", request=Request(page2))
    listings, articles = _split(_run(plan, response, page=2))
    assert listings == []
    assert len(articles) == 2


def test_a_menu_link_to_the_listing_is_not_pagination() -> None:
    menu = '<nav><a href="/en/category/news/">News</a></nav>'
    body = _listing(["a", "b"], next_link=False).text.replace("<body>", "<body>" + menu)
    response = HtmlResponse(START, body=body.encode(), encoding="utf-8", request=Request(START))
    listings, _ = _split(_run(SourcePlan(SOURCE), response))
    assert listings == [START + "page/2/"]


def test_backfill_reads_on_and_refetches_known_articles() -> None:
    known = frozenset({_key("a", 1), _key("b", 2)})
    plan = SourcePlan(SOURCE, known=known, pages=3, backfill=True)
    listings, articles = _split(_run(plan, _listing(["a", "b"])))
    assert listings == [START + "page/2/"]
    assert len(articles) == 2


def test_a_listing_without_article_links_is_a_fatal_failure() -> None:
    plan = SourcePlan(SOURCE)
    spider = IcescoSpider(plans=[plan])
    response = _listing([])
    assert list(spider.parse_listing(response, key="icesco-en", page=1, start_url=START)) == []
    result = spider.results["icesco-en"]
    assert result.fatal
    assert "no article links" in result.errors[0]
    assert "selectors.listing_links of source 'icesco-en'" in result.errors[0]


def test_article_links_in_sidebars_and_widgets_are_navigation_not_news() -> None:
    chrome = (
        '<aside class="widget-area"><a href="/en/2025/01/20/recent-elsewhere/">x</a></aside>'
        '<div class="widget"><a href="/en/2025/01/21/popular/">y</a></div>'
        '<nav><a href="/en/2025/01/22/menu-item/">z</a></nav>'
    )
    response = _listing(["a", "b"])
    page = response.replace(body=response.body.replace(b"<body>", f"<body>{chrome}".encode()))
    assert isinstance(page, HtmlResponse)
    spider = IcescoSpider(plans=[SourcePlan(SOURCE)])
    requests = list(spider.parse_listing(page, key="icesco-en", page=1, start_url=START))
    _, articles = _split(requests)
    assert articles == [
        "https://icesco.org/en/2025/01/01/a/",
        "https://icesco.org/en/2025/01/02/b/",
    ]
    (warning,) = spider.results["icesco-en"].warnings
    assert warning.startswith("3 article link(s)")
    # A configured selector is the operator's word: no filtering, no warning.
    configured = SOURCE.model_copy(
        update={"selectors": SOURCE.selectors.model_copy(update={"listing_links": ["body"]})}
    )
    spider = IcescoSpider(plans=[SourcePlan(configured)])
    requests = list(spider.parse_listing(page, key="icesco-en", page=1, start_url=START))
    assert len(_split(requests)[1]) == 5
    assert spider.results["icesco-en"].warnings == []


def test_the_listing_start_follows_the_channel_order() -> None:
    spider = IcescoSpider(plans=[SourcePlan(SOURCE)])
    (first,) = spider.open_source("icesco-en")
    assert first.url.startswith("https://icesco.org/en/wp-json/wp/v2/categories?slug=news")
    known = SourcePlan(SOURCE, channel="rest", category_id=4, etag='"e"', validated_url=START)
    (first,) = IcescoSpider(plans=[known]).open_source("icesco-en")
    assert first.url.startswith("https://icesco.org/en/wp-json/wp/v2/posts?categories=4")
    gated = SourcePlan(
        SOURCE, channel="rest", category_id=4, etag='"e"', validated_url=START + "feed/atom/"
    )
    (first,) = IcescoSpider(plans=[gated]).open_source("icesco-en")
    assert (first.method, first.url) == ("HEAD", START + "feed/atom/")
    assert first.headers[b"If-None-Match"] == b'"e"'
    html = SourcePlan(SOURCE, channel="html", etag='"h"')
    (first,) = IcescoSpider(plans=[html]).open_source("icesco-en")
    assert (first.url, first.headers[b"If-None-Match"]) == (START, b'"h"')
