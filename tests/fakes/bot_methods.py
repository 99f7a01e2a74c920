"""The Bot API methods the fake server implements, with Telegram's answers and error texts."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from typing import Any

from . import bot_objects as obj
from .bot_objects import CallbackAnswer, Edit, SentMessage
from .rate_limits import FloodControl
from .telegram_html import TextRejected, check_text

Answer = tuple[int, dict[str, Any]]
BLOCKED = "Forbidden: bot was blocked by the user"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
# Telegram's answers for a topic that cannot be posted into (see FakeBotApi.close_topic).
TOPIC_CLOSED = "Bad Request: TOPIC_CLOSED"
THREAD_NOT_FOUND = "Bad Request: message thread not found"
GENERAL = 0  # the key of a forum's General topic in FakeBotApi._forums (it has no thread id)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


class _Refused(Exception):
    def __init__(self, answer: Answer) -> None:
        super().__init__(answer[1].get("description"))
        self.answer = answer


def _ok(result: Any) -> Answer:
    return 200, {"ok": True, "result": result}


def _bad(description: str) -> Answer:
    return 400, obj.bad_request(description)


class MethodsMixin:
    """sendMessage and friends; state and locking come from FakeBotApi."""

    _token: str
    _lock: threading.RLock
    _changed: threading.Condition
    _flood: FloodControl
    _refusals: list[tuple[int | str, tuple[str, ...]]]
    _sent: list[SentMessage]
    _edits: list[Edit]
    _answers: list[CallbackAnswer]
    _commands: dict[str, list[dict[str, Any]]]
    _last_commands: list[dict[str, Any]]
    _blocked: set[int | str]
    _members: dict[tuple[int | str, int], str]
    _rate_limited: int
    _conflicts: int
    _superseded: set[asyncio.Future[None]]
    _messages: dict[tuple[int | str, int], dict[str, Any]]
    _updates: list[dict[str, Any]]
    _open_queries: set[str]
    _waiters: set[asyncio.Future[None]]
    _stopping: asyncio.Event | None
    _message_ids: dict[int | str, itertools.count[int]]
    _forums: dict[int | str, dict[int, str]]  # chat -> topic (thread id) -> open|closed|deleted

    def _next_message_id(self, chat_id: int | str) -> int:
        with self._lock:
            return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Answer:
        if method == "getupdates":
            return await self._get_updates(params)
        handler = {
            "getme": self._get_me,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "deletewebhook": lambda _: _ok(True),
            "getwebhookinfo": self._get_webhook_info,
            "getchatmember": self._get_chat_member,
        }.get(method)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return handler(params)

    def _get_me(self, params: dict[str, Any]) -> Answer:
        return _ok(obj.bot_user(self._token))

    def _get_chat_member(self, params: dict[str, Any]) -> Answer:
        """A member's status in a chat: what `set_member` said, else "member"."""
        chat_id, user_id = params.get("chat_id"), params.get("user_id")
        if chat_id in (None, ""):
            return _bad("Bad Request: chat_id is empty")
        if not isinstance(user_id, int):
            return _bad("Bad Request: invalid user_id specified")
        assert isinstance(chat_id, int | str)
        with self._lock:
            status = self._members.get((chat_id, user_id), "member")
        return _ok(obj.chat_member(status, obj.user(user_id)))

    def _get_webhook_info(self, params: dict[str, Any]) -> Answer:
        with self._lock:
            pending = len(self._updates)
        return _ok({"url": "", "has_custom_certificate": False, "pending_update_count": pending})

    async def _get_updates(self, params: dict[str, Any]) -> Answer:
        """Long polling: answer as soon as an update at or past `offset` exists, or at timeout."""
        offset = params.get("offset")
        limit = max(1, min(100, int(params.get("limit") or 100)))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout") or 0)
        with self._lock:
            # As Telegram: a new getUpdates ends any parked one with 409 Conflict (one poller per
            # bot). Two live pollers then refuse each other on every poll: a 409 storm.
            for parked in list(self._waiters):
                if not parked.done():
                    self._conflicts += 1
                    self._superseded.add(parked)
                    parked.set_result(None)
        while True:
            waiter: asyncio.Future[None] = loop.create_future()
            with self._lock:
                if isinstance(offset, int) and offset > 0:
                    # as in Telegram, asking for `offset` confirms every update before it
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._updates[:limit]
                remaining = deadline - loop.time()
                stopping = self._stopping is None or self._stopping.is_set()
                if ready or remaining <= 0 or stopping:
                    return _ok(ready)
                self._waiters.add(waiter)
                self._changed.notify_all()  # tests may wait for a parked long poll
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass
            finally:
                with self._lock:
                    self._waiters.discard(waiter)
            with self._lock:
                if waiter in self._superseded:
                    self._superseded.discard(waiter)
                    return 409, {"ok": False, "error_code": 409, "description": CONFLICT}

    def _send_message(self, params: dict[str, Any]) -> Answer:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            return _bad("Bad Request: chat_id is empty")
        assert isinstance(chat_id, int | str)
        markup = params.get("reply_markup")
        with self._lock:
            if chat_id in self._blocked:
                return 403, {"ok": False, "error_code": 403, "description": BLOCKED}
            thread = params.get("message_thread_id")
            refusal = self._topic_refusal(chat_id, thread)
            if refusal:
                return _bad(refusal)
            try:
                parsed = check_text(params.get("text"), params.get("parse_mode"))
                _check_markup(markup)
            except TextRejected as exc:
                return _bad(exc.description)
            now = time.monotonic()
            retry_after = self._flood.retry_after(chat_id, now)
            if retry_after:
                self._rate_limited += 1
                self._refusals.append((chat_id, tuple(self._flood.exceeded(chat_id, now))))
                return 429, obj.too_many_requests(retry_after)
            self._flood.record(chat_id, now)
            message_id = self._next_message_id(chat_id)
            preview = params.get("link_preview_options")
            self._sent.append(
                SentMessage(
                    chat_id=chat_id,
                    message_id=message_id,
                    text=str(params["text"]),
                    plain=parsed.plain,
                    parse_mode=params.get("parse_mode"),
                    reply_markup=markup,
                    disable_web_page_preview=params.get("disable_web_page_preview"),
                    link_preview_options=preview if isinstance(preview, dict) else None,
                    at=now,
                    message_thread_id=thread if isinstance(thread, int) else None,
                )
            )
            body = obj.message(
                message_id,
                obj.chat(chat_id, forum=chat_id in self._forums),
                obj.bot_user(self._token),
                parsed.plain,
                parsed.entities,
                markup,
                thread if isinstance(thread, int) else None,
            )
            self._messages[(chat_id, message_id)] = body
            return _ok(body)

    def _topic_refusal(self, chat_id: int | str, thread: object) -> str | None:
        """Telegram's refusal of a post into topic `thread` (None: the chat itself, fine)."""
        if thread is None:
            general = self._forums.get(chat_id, {}).get(GENERAL)
            return TOPIC_CLOSED if general == "closed" else None
        topics = self._forums.get(chat_id, {})
        state = topics.get(thread) if isinstance(thread, int) and thread != GENERAL else None
        if state == "closed":
            return TOPIC_CLOSED
        if state in (None, "deleted"):
            return THREAD_NOT_FOUND
        return None

    def _find_message(self, params: dict[str, Any]) -> tuple[int | str, int]:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if chat_id in self._blocked:
            raise _Refused((403, {"ok": False, "error_code": 403, "description": BLOCKED}))
        if not isinstance(chat_id, int | str) or not isinstance(message_id, int):
            raise _Refused(_bad("Bad Request: message to edit not found"))
        if (chat_id, message_id) not in self._messages:
            raise _Refused(_bad("Bad Request: message to edit not found"))
        return chat_id, message_id

    def _edit_message_text(self, params: dict[str, Any]) -> Answer:
        return self._edit(params, with_text=True)

    def _edit_reply_markup(self, params: dict[str, Any]) -> Answer:
        return self._edit(params, with_text=False)

    def _edit(self, params: dict[str, Any], with_text: bool) -> Answer:
        markup = params.get("reply_markup")
        with self._lock:
            try:
                chat_id, message_id = self._find_message(params)
            except _Refused as refused:
                return refused.answer
            current = self._messages[(chat_id, message_id)]
            try:
                _check_markup(markup)
                parsed = (
                    check_text(params.get("text"), params.get("parse_mode")) if with_text else None
                )
            except TextRejected as exc:
                return _bad(exc.description)
            text = parsed.plain if parsed is not None else current["text"]
            entities = parsed.entities if parsed is not None else current.get("entities", [])
            same_text = text == current["text"] and entities == current.get("entities", [])
            if same_text and markup == current.get("reply_markup"):
                return _bad(NOT_MODIFIED)
            updated = {**current, "text": text, "edit_date": int(time.time())}
            updated.pop("reply_markup", None)
            updated.pop("entities", None)
            if entities:
                updated["entities"] = entities
            if markup:
                updated["reply_markup"] = markup
            self._messages[(chat_id, message_id)] = updated
            method = "editMessageText" if with_text else "editMessageReplyMarkup"
            edit_text = str(params["text"]) if with_text else None
            self._edits.append(
                Edit(method, chat_id, message_id, edit_text, markup, time.monotonic())
            )
            return _ok(updated)

    def _answer_callback_query(self, params: dict[str, Any]) -> Answer:
        query_id = str(params.get("callback_query_id", ""))
        with self._lock:
            if query_id not in self._open_queries:
                return _bad(
                    "Bad Request: query is too old and response timeout expired or query ID is "
                    "invalid"
                )
            self._open_queries.discard(query_id)
            text = params.get("text")
            self._answers.append(
                CallbackAnswer(
                    query_id,
                    str(text) if text is not None else None,
                    bool(params.get("show_alert")),
                    time.monotonic(),
                )
            )
        return _ok(True)

    def _set_my_commands(self, params: dict[str, Any]) -> Answer:
        commands = params.get("commands")
        if not isinstance(commands, list):
            return _bad("Bad Request: can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command"))):
                return _bad("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                return _bad("Bad Request: command description must be 1-256 characters long")
        with self._lock:
            self._commands[_scope_key(params)] = commands
            self._last_commands = commands
        return _ok(True)

    def _get_my_commands(self, params: dict[str, Any]) -> Answer:
        with self._lock:
            return _ok(self._commands.get(_scope_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> Answer:
        with self._lock:
            self._commands.pop(_scope_key(params), None)
        return _ok(True)


def _scope_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + str(params.get("language_code") or "")


def _check_markup(markup: object) -> None:
    """Inline keyboards as Telegram checks them: callback_data of 1-64 bytes."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise TextRejected("Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise TextRejected("Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise TextRejected("Bad Request: text buttons are unallowed in the inline keyboard")
