"""Local stand-ins for the outside services icesco-watch talks to (the Telegram Bot API)."""

from .bot_api import FAULT_KINDS, FakeBotApi
from .bot_objects import Call, CallbackAnswer, Edit, SentMessage
from .rate_limits import TOLERANCE
from .telegram_html import (
    MAX_MESSAGE_UTF16,
    ParsedText,
    TextRejected,
    check_text,
    parse_html,
    utf16_len,
)

__all__ = [
    "FAULT_KINDS",
    "MAX_MESSAGE_UTF16",
    "TOLERANCE",
    "Call",
    "CallbackAnswer",
    "Edit",
    "FakeBotApi",
    "ParsedText",
    "SentMessage",
    "TextRejected",
    "check_text",
    "parse_html",
    "utf16_len",
]
