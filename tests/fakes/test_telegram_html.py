"""The fake's text rules (TDLib's own HTML parser) and flood control, checked without a server."""

from __future__ import annotations

import random

import pytest

from tests.fakes import TOLERANCE, TextRejected, check_text, parse_html, utf16_len
from tests.fakes.rate_limits import FloodControl


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("plain", "plain"),
        ("&lt;b&gt; &amp; &quot;q&quot;", '<b> & "q"'),
        ("&#65;&#x42;&#X1F600;", "AB😀"),
        ("R&D & co", "R&D & co"),  # a bare & is shown as it is
        ("a > b", "a > b"),
        ('<a href="https://x.org/?a=1&amp;b=2">link</a>', "link"),
        ("<B>caps</B>", "caps"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ('<pre><code class="language-python">x</code></pre>', "x"),
        ("<blockquote expandable>q</blockquote>", "q"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("<b >x</b >", "x"),
        ("&#0; &nbsp-ish", "&#0; &nbsp-ish"),  # TDLib shows what is not a valid entity
    ],
)
def test_accepted_html(html: str, plain: str) -> None:
    assert parse_html(html).plain == plain


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b =1>x</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        # the fake's one rule beyond TDLib: unescaped named entities are refused
        ("&apos;", 'Unsupported HTML entity "&apos;" at byte offset 0'),
        ('<a href="&nbsp;">x</a>', 'Unsupported HTML entity "&nbsp;" at byte offset 9'),
        ("Ø<i>", 'Can\'t find end tag corresponding to start tag "i"'),
    ],
)
def test_rejected_html(html: str, error: str) -> None:
    with pytest.raises(TextRejected) as caught:
        parse_html(html)
    assert caught.value.description == "Bad Request: can't parse entities: " + error


def test_entities_are_measured_in_utf16_units() -> None:
    parsed = parse_html('😀 <b>bold</b> <a href="https://icesco.org/">رابط</a>')
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://icesco.org/"},
    ]


def test_entities_come_back_as_the_bot_api_names_them() -> None:
    parsed = parse_html(
        '<s>a</s><code>b</code><pre>c</pre><a href="tg://user?id=42">d</a>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert parsed.plain == "abcd👍"
    assert [e["type"] for e in parsed.entities] == [
        "strikethrough",
        "code",
        "pre",
        "text_mention",
        "custom_emoji",
    ]
    assert parsed.entities[3]["user"]["id"] == 42
    assert parsed.entities[4] == {
        "type": "custom_emoji",
        "offset": 4,
        "length": 2,
        "custom_emoji_id": "5368324170671202286",
    }


def test_check_text_limits() -> None:
    assert utf16_len("😀a") == 3
    assert check_text("😀" * 2048, None).plain == "😀" * 2048
    for text, mode, error in [
        ("😀" * 2048 + ".", None, "Bad Request: message is too long"),
        ("<i>" + "&gt;" * 4097 + "</i>", "HTML", "Bad Request: message is too long"),
        ("", None, "Bad Request: message text is empty"),
        ("<b>\n</b>", "HTML", "Bad Request: message text is empty"),
        ("x", "BBCode", "Bad Request: unsupported parse_mode"),
    ]:
        with pytest.raises(TextRejected) as caught:
            check_text(text, mode)
        assert caught.value.description == error


def _refusals(interval: float, jitter: float, chat: int, count: int = 200) -> int:
    """Sends to one chat every `interval` seconds, arriving up to `jitter` seconds late."""
    flood = FloodControl(global_per_second=30, chat_per_second=1, group_per_minute=20)
    shuffle = random.Random(7)
    refused = 0
    for n in range(count):
        now = n * interval + shuffle.uniform(0, jitter)
        if flood.retry_after(chat, now):
            refused += 1
        else:
            flood.record(chat, now)
    return refused


def test_a_sender_at_the_documented_rates_is_never_refused() -> None:
    jitter = TOLERANCE / 2  # loopback scheduling noise well inside the tolerance
    assert _refusals(1.0, jitter, chat=5) == 0
    assert _refusals(3.0, jitter * 3, chat=-100200) == 0  # 20 a minute


def test_a_sender_over_the_rates_is_refused() -> None:
    assert _refusals(0.8, 0.0, chat=5) > 0
    assert _refusals(2.5, 0.0, chat=-100200) > 0
    flood = FloodControl(global_per_second=30, chat_per_second=1, group_per_minute=20)
    for chat in range(30):
        assert flood.retry_after(chat, 0.5) == 0
        flood.record(chat, 0.5)
    assert flood.retry_after(99, 0.6) == 1  # the 31st message within a second
    assert flood.retry_after(99, 1.5) == 0
