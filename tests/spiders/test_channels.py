"""Channel order and addresses: pure functions, no server."""

from __future__ import annotations

import pytest

from icesco_watch.spiders.channels import (
    Channel,
    category_slug,
    channel_order,
    disagreement,
    feed_url,
    rest_category_url,
    rest_census_url,
    rest_posts_url,
    site_root,
)

EN = "https://icesco.org/en/category/news/"
AR = "https://icesco.org/ar/category/%D8%A7%D9%84%D9%85%D8%B3%D8%AA%D8%AC%D8%AF%D8%A7%D8%AA/"


@pytest.mark.parametrize(
    ("configured", "last_good", "start", "expected"),
    [
        ("auto", None, EN, ["rest", "feed", "html"]),  # discovery, cheapest first
        ("auto", "feed", EN, ["feed", "html"]),  # the last good one first, then fallbacks
        ("auto", "html", EN, ["html"]),
        ("auto", None, "https://icesco.org/en/news-list/", ["html"]),  # not a category
        ("feed", "rest", EN, ["feed"]),  # a configured channel is the only one
        ("html", None, EN, ["html"]),
    ],
)
def test_channel_order(
    configured: str, last_good: str | None, start: str, expected: list[str]
) -> None:
    assert channel_order(configured, last_good, start) == [Channel(c) for c in expected]


def test_addresses_of_a_wordpress_category() -> None:
    assert site_root(EN) == "https://icesco.org/en/"
    assert category_slug(EN) == "news"
    assert category_slug(AR) == "المستجدات"
    assert category_slug("https://x.org/fr/category/a/b/page/2/") == "b"
    assert site_root("https://icesco.org/en/") is None
    assert rest_category_url(EN) == (
        "https://icesco.org/en/wp-json/wp/v2/categories?slug=news&_fields=id%2Cname%2Cslug"
    )
    posts = rest_posts_url(EN, 7, 2)
    assert posts.startswith("https://icesco.org/en/wp-json/wp/v2/posts?categories=7&")
    assert "page=2" in posts
    assert "_embed=wp%3Aterm" in posts
    assert feed_url(EN) == "https://icesco.org/en/category/news/feed/atom/"
    assert feed_url(AR, 3) == AR + "feed/atom/?paged=3"
    assert feed_url("https://icesco.org/en/category/news") == feed_url(EN)


def test_the_rest_census_and_the_newest_posts_by_id() -> None:
    assert rest_census_url(EN, 7) == (
        "https://icesco.org/en/wp-json/wp/v2/posts?categories=7&per_page=1"
        "&orderby=id&order=desc&_fields=id"
    )
    by_id = rest_posts_url(EN, 7, 1, by_id=True)
    assert "&orderby=id&order=desc&" in by_id
    assert "page=1" not in by_id.replace("per_page", "")
    assert "_embed=wp%3Aterm" in by_id


def test_channels_that_disagree_about_the_newest_items_are_reported() -> None:
    names = ("REST API", "feed")
    assert disagreement(["a", "b", "c", "d"], ["a", "b", "c"], names) is None
    assert disagreement([], ["a"], names) is None  # nothing to compare
    warning = disagreement(["a", "b"], ["b", "a"], names)
    assert warning is not None
    assert "REST API and the feed disagree" in warning
