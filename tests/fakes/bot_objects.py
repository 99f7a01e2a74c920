"""Bot API objects for the fake server: request parameters, records of calls, updates as JSON."""

from __future__ import annotations

import contextlib
import json
import re
import time
import zlib
from dataclasses import dataclass
from typing import Any

from .telegram_html import utf16_len

BOT_FIRST_NAME = "ICESCO Watch (test)"
BOT_USERNAME = "icesco_watch_test_bot"
# Form-encoded bodies carry every value as a string: PTB JSON-encodes everything but strings.
_INT_PARAMS = {
    "message_id",
    "offset",
    "limit",
    "timeout",
    "cache_time",
    "message_thread_id",
    "reply_to_message_id",
    "user_id",
}
_BOOL_PARAMS = {
    "disable_web_page_preview",
    "disable_notification",
    "protect_content",
    "show_alert",
    "drop_pending_updates",
    "allow_sending_without_reply",
}
_JSON_PARAMS = {
    "reply_markup",
    "link_preview_options",
    "entities",
    "commands",
    "scope",
    "allowed_updates",
    "reply_parameters",
}
# Telegram's stand-in sender for an admin who writes on behalf of the group
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
_NUMERIC_ID = re.compile(r"-?\d+")


@dataclass(frozen=True)
class SentMessage:
    """A message the fake accepted (sendMessage)."""

    chat_id: int | str
    message_id: int
    text: str  # as sent: the HTML source when parse_mode is HTML
    plain: str  # what the chat shows, after entity parsing
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    disable_web_page_preview: bool | None
    link_preview_options: dict[str, Any] | None
    at: float  # time.monotonic() when accepted
    message_thread_id: int | None = None  # the forum topic it was posted into


@dataclass(frozen=True)
class Edit:
    """An accepted editMessageText or editMessageReplyMarkup."""

    method: str
    chat_id: int | str
    message_id: int
    text: str | None  # None for editMessageReplyMarkup
    reply_markup: dict[str, Any] | None
    at: float


@dataclass(frozen=True)
class CallbackAnswer:
    """An answerCallbackQuery."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    at: float


@dataclass(frozen=True)
class Call:
    """One request, as the fake saw it (never the token)."""

    method: str
    params: dict[str, Any]
    status: int  # HTTP status of the answer; 0 when the connection was dropped unanswered
    answered: bool  # False for "lost-reply": processed, then the connection dropped
    at: float


@dataclass
class Fault:
    """An injected failure for the next `count` calls of `method` ("*": any method)."""

    method: str
    kind: str
    count: int
    retry_after: int
    seconds: float


def decode_params(raw: dict[str, Any], from_json: bool) -> dict[str, Any]:
    """Typed parameters from a JSON body (already typed) or a form / query string (strings)."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if not from_json and isinstance(value, str):
            if key in _INT_PARAMS and _NUMERIC_ID.fullmatch(value):
                value = int(value)
            elif key in _BOOL_PARAMS:
                value = value.lower() in ("true", "1")
            elif key in _JSON_PARAMS:
                # left as a string when it is not JSON; the method reports it
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
        params[key] = value
    if "chat_id" in params:
        params["chat_id"] = chat_key(params["chat_id"])
    return params


def chat_key(chat_id: object) -> int | str:
    """123 and "123" are the same chat; "@name" stays a string."""
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id).strip()
    return int(text) if _NUMERIC_ID.fullmatch(text) else text


def bot_user(token: str) -> dict[str, Any]:
    bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def user(user_id: int, language_code: str | None = "en") -> dict[str, Any]:
    """A User; `language_code` is the IETF tag of the user's Telegram app (None: not given)."""
    body: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": f"User {user_id}",
        "username": f"user{user_id}",
    }
    if language_code is not None:
        body["language_code"] = language_code
    return body


def chat(chat_id: int | str, chat_type: str | None = None, forum: bool = False) -> dict[str, Any]:
    """A Chat object; @names get a stable channel-style numeric id; `forum`: a supergroup
    with topics (`is_forum`)."""
    if isinstance(chat_id, str):
        numeric = -1_000_000_000_000 - zlib.crc32(chat_id.encode())
        return {"id": numeric, "type": "channel", "title": chat_id, "username": chat_id[1:]}
    kind = chat_type or ("private" if chat_id > 0 else "supergroup")
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    body: dict[str, Any] = {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}
    if forum:
        body["is_forum"] = True
    return body


def message(
    message_id: int,
    chat_obj: dict[str, Any],
    sender: dict[str, Any],
    text: str,
    entities: list[dict[str, Any]],
    reply_markup: dict[str, Any] | None = None,
    thread: int | None = None,
) -> dict[str, Any]:
    """A Message object; `thread`: posted in that topic of a forum (as Telegram marks it)."""
    body: dict[str, Any] = {
        "message_id": message_id,
        "from": sender,
        "chat": chat_obj,
        "date": int(time.time()),
        "text": text,
    }
    if entities:
        body["entities"] = entities
    if reply_markup:
        body["reply_markup"] = reply_markup
    if thread is not None:
        body["message_thread_id"] = thread
        body["is_topic_message"] = True
    return body


def command_entities(text: str) -> list[dict[str, Any]]:
    """A bot_command entity for text such as "/subscribe education"."""
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


def too_many_requests(retry_after: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


def bad_request(description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": 400, "description": description}


def chat_member(status: str, member: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember object of `status` with the fields the Bot API always sends for it."""
    body: dict[str, Any] = {"status": status, "user": member}
    if status == "creator":
        body["is_anonymous"] = False
    elif status == "administrator":
        body.update(
            {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(_ADMIN_RIGHTS, True)
        )
    elif status == "restricted":
        body.update({"is_member": True, "until_date": 0} | dict.fromkeys(_MEMBER_RIGHTS, False))
    elif status == "kicked":
        body["until_date"] = 0
    return body


_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
_MEMBER_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
