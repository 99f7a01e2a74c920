"""Replies bounded to Telegram's limits, each part checked by TDLib's own parser (the fake's)."""

from __future__ import annotations

import html

import pytest

from icesco_watch.notifiers.telegram.replies import MORE, bound, echo
from tests.fakes import MAX_MESSAGE_UTF16, check_text, parse_html, utf16_len


def plain_parts(parts: list[str]) -> list[str]:
    """Each part as the chat shows it; TextRejected if Telegram would refuse one."""
    return [check_text(part, "HTML").plain for part in parts]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("short", "<b>Hello</b> &amp; welcome"),
        ("one long line", "x" * 9000),
        ("emoji count double", "😀" * 3000),
        ("escaped user text", "&lt;b&gt;" * 2000),
        ("many lines", "\n".join(f"line {n}: <i>{'é' * 50}</i>" for n in range(300))),
        ("a long pre block", "<pre>" + "\n".join("source: ok" * 5 for _ in range(200)) + "</pre>"),
        ("nested tags", "<b>head <i>" + "word " * 2500 + "</i> tail</b>"),
        (
            "a link across the cut",
            'A <a href="https://icesco.org/?a=1&amp;b=2">' + "l" * 5000 + "</a>",
        ),
    ],
)
def test_every_part_is_valid_and_within_the_limit(name: str, message: str) -> None:
    whole = parse_html(message).plain
    parts = bound(message, max_parts=100)
    shown = plain_parts(parts)
    assert all(utf16_len(text) <= MAX_MESSAGE_UTF16 for text in shown), name
    assert "".join(shown) == whole, name  # nothing lost, nothing added
    if utf16_len(whole) <= MAX_MESSAGE_UTF16:
        assert parts == [message], name


def test_a_split_prefers_line_breaks() -> None:
    lines = [f"{n:04d} " + "x" * 95 for n in range(100)]  # 100 units a line
    parts = bound("\n".join(lines), max_parts=100)
    assert len(parts) == 3
    assert all(part.endswith("\n") for part in parts[:-1])
    assert parts[1].startswith(lines[40])


def test_too_many_parts_are_cut_with_an_ellipsis_inside_the_markup() -> None:
    parts = bound("<pre>" + "y" * 20_000 + "</pre>")
    assert len(parts) == 3
    last = parse_html(parts[-1])
    assert last.plain.endswith(MORE)
    assert last.entities[0]["type"] == "pre"
    assert last.entities[0]["length"] == utf16_len(last.plain)
    plain_parts(parts)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("education", "education"),
        ("<b>x</b> & co", "&lt;b&gt;x&lt;/b&gt; &amp; co"),
        ("spread\n\tout   words", "spread out words"),
        ("a" * 5000, "a" * 63 + MORE),
        ("\x00\x1b[31mred", "[31mred"),
    ],
)
def test_echoed_text_is_escaped_flat_and_short(typed: str, shown: str) -> None:
    assert echo(typed) == shown
    assert parse_html(echo(typed)).plain == html.unescape(shown)  # valid markup
