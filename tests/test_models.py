"""NewsItem's invariants: invisible and bidi control characters never survive into an item."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from icesco_watch.models import NewsItem, strip_format_controls


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u202eevil\u202c title", "evil title"),  # RLO ... PDF
        ("a\u2066b\u2067c\u2068d\u2069e", "abcde"),  # isolates
        ("\u200ex\u200fy\u061cz", "xyz"),  # LRM, RLM, Arabic letter mark
        ("zero\u200bwidth\u200c\u200d\u2060\ufeff", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("bell\x07 nul\x00 del\x7f c1\x85", "bell nul del c1"),
        ("lines\nand\ttabs stay", "lines\nand\ttabs stay"),
        ("الإيسيسكو ۝١٢ \u0600", "الإيسيسكو ۝١٢ \u0600"),  # visible Arabic signs stay
        ("tag\U000e0041s", "tags"),
    ],
)
def test_strip_format_controls(text: str, expected: str) -> None:
    assert strip_format_controls(text) == expected


def test_every_news_item_is_built_clean_and_hashed_clean() -> None:
    published = datetime(2025, 1, 1, tzinfo=UTC)
    dirty = NewsItem(
        key="k",
        source="s",
        lang="en",
        url="u",
        title="\u202eICESCO\u202c news",
        published=published,
        summary="sum\u200bmary",
        body="bo\u2066dy",
    )
    clean = NewsItem("k", "s", "en", "u", "ICESCO news", published, "summary", "body")
    assert (dirty.title, dirty.summary, dirty.body) == ("ICESCO news", "summary", "body")
    assert dirty.content_hash == clean.content_hash
