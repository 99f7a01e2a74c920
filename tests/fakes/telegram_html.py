"""Telegram's message-text rules (HTML parse mode, emptiness, 4096 UTF-16 units) as pure code.

Modelled on the HTML parser of TDLib, the library behind the Bot API server: the same tags, the
same error texts (`Bad Request: can't parse entities: Unsupported start tag "x" at byte offset
N`, ...), offsets counted in UTF-8 bytes of the sent text. One deliberate difference: an unknown
named entity such as `&nbsp;` is an error here (TDLib shows it literally), because Telegram's
documentation asks for every `&` outside an entity to be escaped, and scraped text that reaches a
chat unescaped is exactly the bug the tests must catch. A bare `&` that does not look like an
entity is shown literally, as Telegram does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE_UTF16 = 4096
PARSE_PREFIX = "Bad Request: can't parse entities: "
TOO_LONG = "Bad Request: message is too long"
EMPTY = "Bad Request: message text is empty"

NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# tag -> entity type of the Bot API (`a`, `pre`, `blockquote`, `tg-emoji` are refined below)
TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_NAME_CHARS = re.compile(r"[a-zA-Z0-9-]*")


class TextRejected(Exception):
    """Telegram would answer 400 with `description`."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass
class ParsedText:
    """The text a chat shows, and the entities (offsets and lengths in UTF-16 units)."""

    plain: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset in the plain text where the entity starts


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def check_text(text: str | None, parse_mode: str | None) -> ParsedText:
    """What sendMessage/editMessageText do with `text` before accepting it; raises TextRejected."""
    if not text:
        raise TextRejected(EMPTY)
    mode = (parse_mode or "").lower()
    if mode == "html":
        parsed = parse_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        parsed = ParsedText(text)  # only HTML is validated by the fake
    else:
        raise TextRejected("Bad Request: unsupported parse_mode")
    if not parsed.plain.strip():
        raise TextRejected(EMPTY)
    if utf16_len(parsed.plain) > MAX_MESSAGE_UTF16:
        raise TextRejected(TOO_LONG)
    return parsed


def parse_html(text: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities; raises TextRejected like Telegram."""
    return _Parser(text).run()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.out: list[str] = []
        self.out_len = 0  # UTF-16 length of the plain text so far
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, message: str) -> TextRejected:
        return TextRejected(PARSE_PREFIX + message)

    def at(self, index: int) -> int:
        """Byte offset of a character index, as Telegram reports positions."""
        return len(self.text[:index].encode("utf-8", "surrogatepass"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.out_len += utf16_len(chunk)

    def run(self) -> ParsedText:
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char == "&":
                self.emit(self.entity())
            elif char == "<":
                if text.startswith("</", self.i):
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                self.emit(char)
                self.i += 1
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def entity(self) -> str:
        match = _ENTITY.match(self.text, self.i)
        if match is None:
            self.i += 1
            return "&"  # not entity-shaped: shown literally, as Telegram does
        name = match.group(1)
        if name.startswith("#"):
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f"Invalid character entity at byte offset {self.at(self.i)}")
            value = chr(code)
        elif name in NAMED_ENTITIES:
            value = NAMED_ENTITIES[name]
        else:
            raise self.fail(f'Unsupported HTML entity "&{name};" at byte offset {self.at(self.i)}')
        self.i = match.end()
        return value

    def name(self) -> str:
        match = _NAME_CHARS.match(self.text, self.i)
        assert match is not None  # the pattern matches the empty string
        self.i = match.end()
        return match.group(0).lower()

    def skip_spaces(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1

    def start_tag(self) -> None:
        begin = self.i
        self.i += 1
        tag = self.name()
        if tag not in TAG_TYPES:
            raise self.fail(f'Unsupported start tag "{tag}" at byte offset {self.at(begin)}')
        attrs: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.i >= len(self.text):
                raise self.fail(f"Unclosed start tag at byte offset {self.at(begin)}")
            if self.text[self.i] == ">":
                self.i += 1
                break
            attr_at = self.i
            attr = self.name()
            if not attr:
                raise self.fail(
                    f'Empty attribute name in the tag "{tag}" at byte offset {self.at(attr_at)}'
                )
            self.skip_spaces()
            attrs[attr] = self.attribute_value(tag, begin) if self.peek("=") else ""
        self.open(tag, attrs, begin)

    def peek(self, char: str) -> bool:
        if self.i < len(self.text) and self.text[self.i] == char:
            self.i += 1
            self.skip_spaces()
            return True
        return False

    def attribute_value(self, tag: str, begin: int) -> str:
        text = self.text
        if self.i >= len(text):
            raise self.fail(f"Unclosed start tag at byte offset {self.at(begin)}")
        quote = text[self.i]
        if quote in "\"'":
            end = text.find(quote, self.i + 1)
            if end < 0:
                raise self.fail(f"Unclosed start tag at byte offset {self.at(begin)}")
            raw, self.i = text[self.i + 1 : end], end + 1
        else:
            match = re.compile(r"[^\s>]*").match(text, self.i)
            assert match is not None
            raw, self.i = match.group(0), match.end()
        return _Parser(raw).attribute_text(self.at(begin))

    def attribute_text(self, base: int) -> str:
        """Decode entities inside an attribute value (errors report the tag's offset)."""
        parts: list[str] = []
        while self.i < len(self.text):
            if self.text[self.i] == "&":
                try:
                    parts.append(self.entity())
                except TextRejected as exc:
                    raise self.fail(
                        f"Invalid HTML entity in an attribute at byte offset {base}"
                    ) from exc
            else:
                parts.append(self.text[self.i])
                self.i += 1
        return "".join(parts)

    def open(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.at(begin)}'
            )
        if tag == "tg-emoji" and not attrs.get("emoji-id"):
            raise self.fail(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {self.at(begin)}'
            )
        self.stack.append(_Open(tag, attrs, self.out_len))

    def end_tag(self) -> None:
        begin = self.i
        self.i += 2
        tag = self.name()
        self.skip_spaces()
        if self.i >= len(self.text) or self.text[self.i] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.at(begin)}")
        self.i += 1
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.at(begin)}")
        top = self.stack.pop()
        if top.tag != tag:
            raise self.fail(
                f'Unmatched end tag at byte offset {self.at(begin)}, expected "</{top.tag}>", '
                f'found "</{tag}>"'
            )
        self.close(top)

    def close(self, top: _Open) -> None:
        length = self.out_len - top.offset
        if length == 0:
            return  # Telegram drops empty entities
        entity: dict[str, Any] = {
            "type": TAG_TYPES[top.tag],
            "offset": top.offset,
            "length": length,
        }
        if top.tag == "a":
            if not top.attrs.get("href"):
                return  # a link without a target is plain text
            entity["url"] = top.attrs["href"]
        elif top.tag == "pre" and top.attrs.get("class", "").startswith("language-"):
            entity["language"] = top.attrs["class"].removeprefix("language-")
        elif top.tag == "blockquote" and "expandable" in top.attrs:
            entity["type"] = "expandable_blockquote"
        elif top.tag == "tg-emoji":
            entity["custom_emoji_id"] = top.attrs["emoji-id"]
        self.entities.append(entity)
