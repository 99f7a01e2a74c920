"""Telegram's message-text rules (HTML parse mode, emptiness, 4096 UTF-16 units) for the fake.

The HTML is parsed by TDLib itself, the library behind the Bot API server: its static request
`parseTextEntities`, run offline through the prebuilt `tdjson` wheel (no network, no login, no
client instance). Errors therefore carry Telegram's own texts and offsets (`Bad Request: can't
parse entities: Unsupported start tag "x" at byte offset N`, ...), and entities come back in
UTF-16 units, translated here into the Bot API's entity objects.

One deliberate addition on top of TDLib: a named entity other than the four Telegram knows
(`&lt;`, `&gt;`, `&amp;`, `&quot;`) is refused, where TDLib would show it literally (`&nbsp;`
reaches the chat as the six characters). Telegram's documentation asks for every `&` outside an
entity to be escaped, and scraped text that reaches a chat unescaped is exactly the bug the tests
must catch. A bare `&` that does not look like an entity passes, as in Telegram.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import tdjson

MAX_MESSAGE_UTF16 = 4096
PARSE_PREFIX = "Bad Request: can't parse entities: "
TOO_LONG = "Bad Request: message is too long"
EMPTY = "Bad Request: message text is empty"

KNOWN_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
_NAMED_ENTITY = re.compile(r"&([a-zA-Z][a-zA-Z0-9]*);")
# TDLib's entity types -> the Bot API's (`url` etc. are recognised by the server, not by parsing)
_ENTITY_TYPES = {
    "textEntityTypeBold": "bold",
    "textEntityTypeItalic": "italic",
    "textEntityTypeUnderline": "underline",
    "textEntityTypeStrikethrough": "strikethrough",
    "textEntityTypeSpoiler": "spoiler",
    "textEntityTypeCode": "code",
    "textEntityTypePre": "pre",
    "textEntityTypePreCode": "pre",
    "textEntityTypeTextUrl": "text_link",
    "textEntityTypeMentionName": "text_mention",
    "textEntityTypeCustomEmoji": "custom_emoji",
    "textEntityTypeBlockQuote": "blockquote",
    "textEntityTypeExpandableBlockQuote": "expandable_blockquote",
}


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


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


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
    answer = _td_execute(
        {
            "@type": "parseTextEntities",
            "text": text,
            "parse_mode": {"@type": "textParseModeHTML"},
        }
    )
    if answer.get("@type") == "error":
        message = str(answer.get("message", ""))
        # TDLib says "Can't parse entities: ..."; the Bot API server lower-cases the first word.
        raise TextRejected("Bad Request: " + message[:1].lower() + message[1:])
    _refuse_unknown_named_entities(text)
    entities = [_bot_api_entity(e) for e in answer.get("entities", [])]
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(str(answer["text"]), entities)


def _refuse_unknown_named_entities(text: str) -> None:
    """The fake's one rule beyond TDLib (see the module docstring)."""
    for match in _NAMED_ENTITY.finditer(text):
        if match.group(1) not in KNOWN_ENTITIES:
            offset = len(text[: match.start()].encode("utf-8", "surrogatepass"))
            raise TextRejected(
                f'{PARSE_PREFIX}Unsupported HTML entity "{match.group(0)}" at byte offset {offset}'
            )


def _bot_api_entity(td: dict[str, Any]) -> dict[str, Any]:
    kind = td["type"]
    entity: dict[str, Any] = {
        "type": _ENTITY_TYPES.get(kind["@type"], kind["@type"]),
        "offset": td["offset"],
        "length": td["length"],
    }
    if kind["@type"] == "textEntityTypeTextUrl":
        entity["url"] = kind["url"]
    elif kind["@type"] == "textEntityTypePreCode":
        entity["language"] = kind["language"]
    elif kind["@type"] == "textEntityTypeCustomEmoji":
        entity["custom_emoji_id"] = kind["custom_emoji_id"]
    elif kind["@type"] == "textEntityTypeMentionName":
        entity["user"] = {"id": kind["user_id"], "is_bot": False, "first_name": "User"}
    return entity


def _td_execute(request: dict[str, Any]) -> dict[str, Any]:
    raw = tdjson.td_execute(json.dumps(request).encode())
    if raw is None:
        raise RuntimeError(f"TDLib gave no answer to {request['@type']}")
    answer: dict[str, Any] = json.loads(raw)
    return answer


# TDLib logs every static request to stderr at its default verbosity; errors are enough here.
_td_execute({"@type": "setLogVerbosityLevel", "new_verbosity_level": 1})
