"""Alert and digest messages: Telegram's HTML subset, everything escaped, within 4096 units."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icesco_watch.config.loader import default_settings
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.format import (
    ALSO_IN,
    LIMIT,
    format_alert,
    format_digest,
    telegram_length,
    to_plain,
)
from icesco_watch.notifiers.telegram.i18n import FSI, PDI

SECTORS = default_settings().sectors
ALLOWED = {"b", "a"}


class _Tags(HTMLParser):
    """Collects the tags of a message and checks they nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data


def parse(message: str) -> _Tags:
    tags = _Tags()
    tags.feed(message)
    tags.close()
    assert not tags.open, f"unclosed {tags.open}"
    assert {tag for tag, _ in tags.seen} <= ALLOWED
    for tag, attrs in tags.seen:
        assert tag != "a" or set(attrs) == {"href"}
    return tags


def item(**changes: object) -> NewsItem:
    fields: dict[str, object] = {
        "key": "icesco.org/en/2026/11/20/forum",
        "source": "icesco-en",
        "lang": "en",
        "url": "https://icesco.org/en/2026/11/20/forum/",
        "title": "Forum on Foresight & AI <Rabat>",
        "published": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        "summary": "Experts met in Rabat to discuss scenarios for 2040.",
        "sectors": ("foresight-ai", "education"),
    }
    fields.update(changes)
    return NewsItem(**fields)  # type: ignore[arg-type]


def test_an_alert_has_title_date_language_hashtags_summary_and_link() -> None:
    message = format_alert(item(), SECTORS)
    assert message.startswith("<b>Forum on Foresight &amp; AI &lt;Rabat&gt;</b>")
    assert "20 November 2026 · English\n#foresight_ai #education" in message
    assert "Experts met in Rabat" in message
    assert '<a href="https://icesco.org/en/2026/11/20/forum/">Read more</a>' in message
    assert parse(message).text.startswith("Forum on Foresight & AI <Rabat>")


@pytest.mark.parametrize(
    ("lang", "date", "label"),
    [("fr", "20 novembre 2026 · Français", "Lire la suite"), ("ar", "20 نوفمبر 2026", "اقرأ")],
)
def test_dates_and_labels_follow_the_language(lang: str, date: str, label: str) -> None:
    message = format_alert(item(lang=lang), SECTORS)
    assert date in message
    assert label in message


def test_a_script_tag_and_quotes_in_a_url_are_escaped() -> None:
    message = format_alert(
        item(title="<script>alert(1)</script>", url='https://icesco.org/a"><b>x'), SECTORS
    )
    tags = parse(message)
    assert "<script>" in tags.text
    assert [attrs["href"] for tag, attrs in tags.seen if tag == "a"] == [
        'https://icesco.org/a"><b>x'
    ]


def test_a_non_http_url_is_not_linked() -> None:
    assert "<a " not in format_alert(item(url="javascript:alert(1)"), SECTORS)


def test_a_huge_item_is_cut_to_the_limit_summary_first() -> None:
    long = item(title="Title " * 50, summary="emoji 😀 " * 2000)
    message = format_alert(long, SECTORS)
    assert telegram_length(message) <= LIMIT
    assert parse(message).text.startswith("Title Title")
    assert "…" in message


def test_plain_text_keeps_the_link_address() -> None:
    plain = to_plain(format_alert(item(), SECTORS))
    assert "<" not in plain.replace("<Rabat>", "")
    assert "Read more: https://icesco.org/en/2026/11/20/forum/" in plain


def test_a_digest_splits_between_items_and_counts_parts() -> None:
    many = [item(key=f"k{i}", title=f"Item {i} " + "word " * 60) for i in range(40)]
    messages = format_digest(many, SECTORS)
    assert len(messages) > 1
    assert all(telegram_length(m) <= LIMIT for m in messages)
    assert messages[0].startswith(f"<b>40 new ICESCO news items</b> (1/{len(messages)})")
    text = "".join(parse(m).text for m in messages)
    assert all(f"Item {i} " in text for i in range(40))


texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=6000) | st.sampled_from(
    ["<b>", "&amp;", "&", "<script>", "😀" * 3000, "عربي " * 900, "\x00\x07"]
)


@settings(max_examples=80, deadline=None)
@given(title=texts, summary=texts, url=st.text(max_size=200))
def test_any_item_renders_to_a_valid_message(title: str, summary: str, url: str) -> None:
    news = item(title=title or "x", summary=summary, url="https://icesco.org/" + url)
    for message in [format_alert(news, SECTORS), *format_digest([news, news], SECTORS)]:
        assert 0 < telegram_length(message) <= LIMIT
        parse(message)


def test_labels_follow_the_readers_language_not_the_items() -> None:
    alert = format_alert(item(), SECTORS, "ar")
    assert f"20 نوفمبر 2026 · {FSI}English{PDI}" in alert
    assert f"{FSI}#foresight_ai #education{PDI}" in alert
    assert ">اقرأ المزيد</a>" in alert
    assert parse(alert).text.startswith("Forum on Foresight & AI <Rabat>")  # the item's words
    french = format_alert(item(lang="ar"), SECTORS, "fr")
    assert "20 novembre 2026 · العربية" in french
    assert ">Lire la suite</a>" in french
    many = [item(key=f"k{i}", title=f"Item {i} " + "word " * 60) for i in range(40)]
    digests = format_digest(many, SECTORS, "ar")
    total = len(digests)
    assert digests[0].startswith(
        f"<b>{FSI}40{PDI} خبرًا جديدًا من الإيسيسكو</b> {FSI}(1/{total}){PDI}"
    )
    assert format_digest(many[:2], SECTORS, "ar")[0].startswith("<b>خبران جديدان من الإيسيسكو</b>")


def test_a_story_alert_lists_its_other_versions_as_links() -> None:
    versions = [("ar", "https://icesco.org/ar/x/"), ("fr", "https://icesco.org/fr/y/")]
    message = format_alert(item(), SECTORS, None, versions)
    assert message.endswith(
        ALSO_IN.format(
            links='<a href="https://icesco.org/ar/x/">العربية</a> · '
            '<a href="https://icesco.org/fr/y/">Français</a>'
        )
    )
    assert "Also in" not in format_alert(item(), SECTORS)
    parse(message)  # only Telegram's tags, properly nested
    plain = to_plain(message)
    assert (
        "Also in: العربية: https://icesco.org/ar/x/ · Français: https://icesco.org/fr/y/" in plain
    )


def test_the_versions_line_survives_a_huge_item() -> None:
    long = item(title="Title " * 50, summary="emoji 😀 " * 2000)
    message = format_alert(long, SECTORS, None, [("fr", "https://icesco.org/fr/y/")])
    assert telegram_length(message) <= LIMIT
    assert message.endswith('Also in: <a href="https://icesco.org/fr/y/">Français</a>')
