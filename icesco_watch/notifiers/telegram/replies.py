"""Bot replies within Telegram's limits: user text echoed short, long replies split or trimmed.

Every command reply goes through `bound` (in `Commands._reply`), so no command can produce a
message Telegram refuses for its length (a refused reply means the user gets nothing and a
traceback is logged). A reply longer than 4096 UTF-16 units (counted on the text after entity
parsing, as Telegram counts) is split, preferably at a line break, with its open tags closed at
the end of a part and reopened at the start of the next; past `MAX_PARTS` the rest is dropped
and the last part ends with an ellipsis. Text a user typed is shown back through `echo`, which
escapes it and keeps it short, so a 5,000-character argument costs one line of the answer.
"""

from __future__ import annotations

import html
import re

from icesco_watch.models import strip_format_controls
from icesco_watch.notifiers.telegram.format import LIMIT, clean

ECHO = 64
MAX_PARTS = 3
MORE = "…"
# A tag, an entity, or one character: the units a split may fall between.
_TOKEN = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def echo(text: str, limit: int = ECHO) -> str:
    """User text, escaped for HTML, on one line, at most `limit` characters (then "…"), without
    bidi and other invisible controls: a typed U+202E would reverse how the rest of the bot's
    line reads, a U+2069 would close the isolate an Arabic reply puts around the insert."""
    flat = " ".join(strip_format_controls(clean(text)).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + MORE
    return html.escape(flat, quote=False)


def bound(message: str, limit: int = LIMIT, max_parts: int = MAX_PARTS) -> list[str]:
    """`message` (Telegram HTML) as at most `max_parts` messages of at most `limit` units."""
    parts = _split(message, limit - len(MORE))
    if len(parts) > max_parts:
        parts = parts[:max_parts]
        parts[-1] = _append_inside(parts[-1], MORE)
    return parts


def _units(token: str) -> int:
    if token.startswith("<"):
        return 0
    text = html.unescape(token) if token.startswith("&") else token
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _Part:
    """The part being filled: its tokens, its size, and where it may best be cut."""

    def __init__(self, opened: list[tuple[str, str]]) -> None:
        self.opened = list(opened)  # tags open when the part starts (name, opening tag)
        self.tokens = [tag for _, tag in opened]
        self.size = 0
        self.cut: tuple[int, list[tuple[str, str]]] | None = None  # after the last "\n"


def _split(message: str, limit: int) -> list[str]:
    parts: list[str] = []
    stack: list[tuple[str, str]] = []
    part = _Part(stack)
    for token in _TOKEN.findall(message):
        units = _units(token)
        while part.size + units > limit and part.size:
            part = _close(part, stack, parts)
        part.tokens.append(token)
        part.size += units
        if token.startswith("<"):
            _track(token, stack)
        elif token == "\n":
            part.cut = (len(part.tokens), list(stack))
    parts.append("".join(part.tokens))
    return [p for p in parts if p.strip()]


def _close(part: _Part, stack: list[tuple[str, str]], parts: list[str]) -> _Part:
    """End `part` at its last line break (else here) and return the part that continues it."""
    if part.cut is not None:
        at, open_at_cut = part.cut
    else:
        at, open_at_cut = len(part.tokens), list(stack)
    head, tail = part.tokens[:at], part.tokens[at:]
    parts.append("".join(head) + _closing(open_at_cut))
    following = _Part(open_at_cut)
    following.tokens.extend(tail)
    following.size = sum(_units(t) for t in tail)
    return following


def _track(tag: str, stack: list[tuple[str, str]]) -> None:
    match = _TAG_NAME.match(tag)
    if match is None:
        return
    name = match.group(1).lower()
    if tag.startswith("</"):
        if stack and stack[-1][0] == name:
            stack.pop()
    else:
        stack.append((name, tag))


def _closing(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _append_inside(part: str, text: str) -> str:
    """`part` + `text`, before the closing tags a split added (so the text stays inside)."""
    trailing = re.search(r"(?:</[a-zA-Z][a-zA-Z0-9-]*>)*$", part)
    at = trailing.start() if trailing else len(part)
    return part[:at] + text + part[at:]
