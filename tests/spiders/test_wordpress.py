"""Parsing WordPress's REST API and Atom feed, from answers saved from a real WordPress 6.1."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from icesco_watch.spiders.wordpress import (
    Census,
    ChannelError,
    html_body,
    parse_atom,
    parse_rest_category,
    parse_rest_census,
    parse_rest_posts,
)

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
HOST = "icesco.test"


def test_rest_category_and_posts() -> None:
    assert parse_rest_category((FIXTURES / "categories.json").read_bytes()) == (2, "Actualités")
    assert parse_rest_category(b"[]") is None
    entries = parse_rest_posts((FIXTURES / "posts.json").read_bytes(), HOST, "fr")
    assert [e.title for e in entries] == ["L’ICESCO & la culture", "Autre nouvelle"]
    first = entries[0]
    assert first.key == "icesco.test/fr/2025/03/02/licesco-la-culture"
    assert first.published == datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    assert first.modified == "2025-03-02T09:30:00+00:00"
    assert first.categories == ("actualites",)
    assert first.body == "Premier paragraphe sur l’éducation.\n\nUn point"
    assert first.provenance == {
        "title": "REST title.rendered",
        "date": "REST date_gmt",
        "body": "REST content.rendered",
        "categories": "REST wp:term",
    }


@pytest.mark.parametrize(
    ("body", "total", "expected"),
    [
        (b'[{"id": 412}]', b"37", Census(37, 412)),
        (b"[]", b"0", Census(0, None)),  # an empty category
        (b'[{"id": 9}]', None, Census(None, 9)),  # a proxy that drops X-WP-Total
    ],
)
def test_the_rest_census(body: bytes, total: bytes | None, expected: Census) -> None:
    assert parse_rest_census(body, total) == expected


@pytest.mark.parametrize(
    ("body", "total"), [(b"<html>", b"1"), (b'{"id": 1}', b"1"), (b"[{}]", b"1"), (b"[]", b"x")]
)
def test_a_census_that_is_not_the_rest_apis_is_an_error(body: bytes, total: bytes) -> None:
    with pytest.raises(ChannelError):
        parse_rest_census(body, total)


def test_atom_feed_carries_the_same_entries() -> None:
    rest = parse_rest_posts((FIXTURES / "posts.json").read_bytes(), HOST, "fr")
    atom = parse_atom((FIXTURES / "feed.atom").read_bytes(), HOST, "fr")
    assert [(e.key, e.title, e.published, e.modified, e.body) for e in atom] == [
        (e.key, e.title, e.published, e.modified, e.body) for e in rest
    ]
    assert atom[0].categories == ("Actualités",)  # a feed names categories, it has no slugs
    assert atom[0].provenance == {
        "title": "feed <title>",
        "date": "feed <published>",
        "body": "feed <content>",
        "categories": "feed <category>",
    }


def test_entries_of_another_language_or_host_are_left_out() -> None:
    assert parse_rest_posts((FIXTURES / "posts.json").read_bytes(), HOST, "en") == []
    assert parse_atom((FIXTURES / "feed.atom").read_bytes(), "icesco.org", "fr") == []


@pytest.mark.parametrize("body", [b"<html>not json</html>", b'{"code": "rest_no_route"}'])
def test_an_answer_that_is_not_the_rest_api_is_an_error(body: bytes) -> None:
    with pytest.raises(ChannelError):
        parse_rest_posts(body, HOST, "fr")


@pytest.mark.parametrize("body", [b"<html><body>a page</body></html>", b"<rss></rss>"])
def test_an_answer_that_is_not_an_atom_feed_is_an_error(body: bytes) -> None:
    with pytest.raises(ChannelError):
        parse_atom(body, HOST, "fr")


def test_a_feed_without_content_leaves_the_body_to_the_article_page() -> None:
    feed = (FIXTURES / "feed.atom").read_text()
    start, end = feed.index("<content"), feed.index("</content>") + len("</content>")
    entries = parse_atom((feed[:start] + feed[end:]).encode(), HOST, "fr")
    assert entries[0].body is None
    assert entries[0].provenance["body"] == "none"
    assert entries[1].body == "Deuxième."
    assert entries[1].provenance["body"] == "feed <content>"


def test_html_body_drops_the_sites_boilerplate() -> None:
    text = html_body(
        "<p>News.</p><p>Your opinion</p><p>Extremely Dissatisfied Extremely Satisfied</p>"
    )
    assert text == "News."


def test_entries_carry_wordpress_post_ids() -> None:
    rest = parse_rest_posts((FIXTURES / "posts.json").read_bytes(), HOST, "fr")
    assert [e.post_id for e in rest] == [87, 88]
    feed = (FIXTURES / "feed.atom").read_bytes()
    # As inserted through the API, a post's guid is its first permalink: no id to read.
    assert [e.post_id for e in parse_atom(feed, HOST, "fr")] == [None, None]
    # As the editor leaves it (an auto-draft first), the guid is the shortlink.
    feed = feed.replace(
        b"<id>http://icesco.test/fr/2025/03/02/licesco-la-culture/</id>",
        b"<id>http://icesco.test/fr/?p=87</id>",
    )
    assert [e.post_id for e in parse_atom(feed, HOST, "fr")] == [87, None]
