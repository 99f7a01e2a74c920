"""Canonical keys and permalink recognition."""

from __future__ import annotations

from datetime import date

import pytest

from icesco_watch.spiders.urls import (
    article_fetch_url,
    canonical_key,
    is_article_url,
    permalink_date,
)

SLUG_AR_UPPER = "%D9%85%D9%84%D8%AA%D9%82%D9%89-%D8%A7%D9%84%D8%B4%D8%A8%D8%A7%D8%A8"
SLUG_AR_LOWER = SLUG_AR_UPPER.lower()
SLUG_AR_RAW = "ملتقى-الشباب"

SAME_ARTICLE = [
    "https://icesco.org/en/2024/05/15/pisa-conference-baku/",
    "https://icesco.org/en/2024/05/15/pisa-conference-baku",
    "http://www.icesco.org/en/2024/05/15/pisa-conference-baku/",
    "https://WWW.ICESCO.ORG/en/2024/05/15/pisa-conference-baku/#comments",
    "https://icesco.org/en/2024/05/15/pisa-conference-baku/?utm_source=x&utm_medium=y",
    "https://icesco.org:443/en/2024/05/15/pisa-conference-baku/?fbclid=abc",
]


@pytest.mark.parametrize("url", SAME_ARTICLE)
def test_variants_of_one_article_share_a_key(url: str) -> None:
    assert canonical_key(url) == "icesco.org/en/2024/05/15/pisa-conference-baku"


@pytest.mark.parametrize(
    "slug", [SLUG_AR_UPPER, SLUG_AR_LOWER, SLUG_AR_RAW], ids=["upper", "lower", "unicode"]
)
def test_arabic_slugs_normalise_to_upper_case_percent_encoding(slug: str) -> None:
    key = canonical_key(f"https://www.icesco.org/ar/2022/08/02/{slug}/")
    assert key == f"icesco.org/ar/2022/08/02/{SLUG_AR_UPPER}"


def test_unreserved_characters_are_decoded() -> None:
    assert canonical_key("https://icesco.org/fr/2022/09/08/a%2Db%7Ec/") == (
        "icesco.org/fr/2022/09/08/a-b~c"
    )


def test_a_slug_cut_inside_a_utf8_character_keeps_its_bytes() -> None:
    cut = "https://icesco.org/ar/2022/08/02/%D9%85%D9/"
    assert canonical_key(cut) == canonical_key(cut.lower()) == "icesco.org/ar/2022/08/02/%D9%85%D9"


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert canonical_key("https://icesco.org/?p=12&lang=en&utm_source=t") == (
        "icesco.org?lang=en&p=12"
    )


def test_a_non_default_port_is_part_of_the_key() -> None:
    assert (
        canonical_key("http://127.0.0.1:8123/en/2024/01/02/a/") == "127.0.0.1:8123/en/2024/01/02/a"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://icesco.org/en/2024/05/15/slug/", True),
        ("https://www.icesco.org/en/2024/05/15/slug", True),
        ("/en/2024/05/15/slug/", False),  # must be absolute (the spider joins first)
        ("https://icesco.org/fr/2024/05/15/slug/", False),  # another language's listing
        ("https://events.example.org/en/2024/05/15/slug/", False),  # another host
        ("https://icesco.org/en/category/news/", False),
        ("https://icesco.org/en/areas_of_expertise/education/", False),
        ("https://icesco.org/en/2024/13/15/slug/", False),  # no 13th month
        ("https://icesco.org/en/2024/05/15/slug/extra/", False),
        ("https://icesco.org/en/wp-content/uploads/2024/05/file.pdf", False),
        ("mailto:info@icesco.org", False),
    ],
)
def test_article_urls_are_recognised_by_permalink_shape(url: str, expected: bool) -> None:
    assert is_article_url(url, "icesco.org", "en") is expected


def test_permalink_date() -> None:
    assert permalink_date("https://icesco.org/ar/2022/08/02/x/") == date(2022, 8, 2)
    assert permalink_date("https://icesco.org/ar/2022/08/02/x/", lang="en") is None
    assert permalink_date("https://icesco.org/en/2022/02/30/x/") is None


@pytest.mark.parametrize("link", SAME_ARTICLE)
def test_articles_are_fetched_on_the_sources_host_in_slash_form(link: str) -> None:
    start = "https://icesco.org/en/category/news/"
    assert (
        article_fetch_url(link, start) == "https://icesco.org/en/2024/05/15/pisa-conference-baku/"
    )
