"""A fake Telegram Bot API server on 127.0.0.1 that real python-telegram-bot talks to over HTTP.

It runs aiohttp on its own event loop in a background thread, so in-process async tests and a
service started as a subprocess can both use it (`base_url` goes into `telegram.api_base_url`).
All state sits behind one lock; tests observe it (`sent`, `calls`, ...) and block on it with
`wait_for` (or `await wait_for_async` from a test that shares its loop with the client).
The token is checked but never recorded or logged (aiohttp's access log is off: it shows paths).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from . import bot_objects as obj
from .bot_methods import GENERAL, MethodsMixin
from .bot_objects import Call, CallbackAnswer, Edit, Fault, SentMessage
from .rate_limits import FloodControl

FAULT_KINDS = ("500", "502", "429", "timeout", "drop", "lost-reply", "late", "garbled")
_ERRORS = {
    500: "Internal Server Error",
    401: "Unauthorized",
    404: "Not Found",
}
_NGINX_502 = b"<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"


class FakeBotApi(MethodsMixin):
    """The fake server: `with FakeBotApi() as api: Bot(api.token, base_url=api.base_url)`."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        global_per_second: float = 30,
        chat_per_second: float = 1,
        group_per_minute: int = 20,
    ) -> None:
        self._token = token
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._flood = FloodControl(global_per_second, chat_per_second, group_per_minute)
        self._sent: list[SentMessage] = []
        self._calls: list[Call] = []
        self._edits: list[Edit] = []
        self._answers: list[CallbackAnswer] = []
        self._commands: dict[str, list[dict[str, Any]]] = {}  # scope+language -> commands
        self._last_commands: list[dict[str, Any]] = []
        self._blocked: set[int | str] = set()
        self._members: dict[tuple[int | str, int], str] = {}  # (chat, user) -> status
        self._faults: list[Fault] = []
        self._rate_limited = 0
        self._refusals: list[tuple[int | str, tuple[str, ...]]] = []  # (chat, limits broken)
        self._conflicts = 0
        self._superseded: set[asyncio.Future[None]] = set()
        self._message_ids: dict[int | str, itertools.count[int]] = {}
        self._forums: dict[int | str, dict[int, str]] = {}  # chat -> thread -> open|closed|...
        self._messages: dict[tuple[int | str, int], dict[str, Any]] = {}  # current content
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._waiters: set[asyncio.Future[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._port = 0

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FakeBotApi:
        if self._loop is not None:
            raise RuntimeError("already started")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="fake-bot-api", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(sock), loop).result(timeout=10)
        return self

    async def _serve(self, sock: socket.socket) -> None:
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        # access_log=None: the access log would print request paths, and paths hold the token
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        self._runner = runner

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=15)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        loop.close()

    async def _shutdown(self) -> None:
        assert self._stopping is not None
        self._stopping.set()  # releases held requests and long polls at once
        with self._lock:
            waiters = list(self._waiters)
        _wake(waiters)
        if self._runner is not None:
            await self._runner.cleanup()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("server not started")
        return self._port

    @property
    def base_url(self) -> str:
        """What `telegram.api_base_url` should be: PTB calls `{base_url}{token}/{method}`."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def token(self) -> str:
        return self._token

    # ------------------------------------------------------------ control

    def block(self, chat_id: int | str) -> None:
        """Messages to `chat_id` now fail with 403 "Forbidden: bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(obj.chat_key(chat_id))

    def unblock(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.discard(obj.chat_key(chat_id))

    def set_member(self, chat_id: int | str, user_id: int, status: str) -> None:
        """What getChatMember answers for `user_id` in `chat_id` (default: "member")."""
        if status not in obj.MEMBER_STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {obj.MEMBER_STATUSES}")
        with self._lock:
            self._members[(obj.chat_key(chat_id), user_id)] = status

    def open_topic(self, chat_id: int) -> int:
        """Make `chat_id` a forum supergroup (if it is not yet) and create a topic in it; its
        thread id, which is (as in Telegram) the id of the topic's creation message."""
        with self._lock:
            thread = self._next_message_id(chat_id)
            self._forums.setdefault(chat_id, {})[thread] = "open"
            return thread

    def close_topic(self, chat_id: int, thread: int) -> None:
        """Posts into the topic now fail: 400 "Bad Request: TOPIC_CLOSED"."""
        self._set_topic(chat_id, thread, "closed")

    def close_general(self, chat_id: int) -> None:
        """Close a forum's General topic: posts without a thread now fail with TOPIC_CLOSED."""
        with self._lock:
            self._forums.setdefault(chat_id, {})[GENERAL] = "closed"
        self._changed_state()

    def reopen_topic(self, chat_id: int, thread: int) -> None:
        self._set_topic(chat_id, thread, "open")

    def delete_topic(self, chat_id: int, thread: int) -> None:
        """Posts into the topic now fail: 400 "Bad Request: message thread not found"."""
        self._set_topic(chat_id, thread, "deleted")

    def _set_topic(self, chat_id: int, thread: int, state: str) -> None:
        with self._lock:
            topics = self._forums.get(chat_id, {})
            if thread not in topics:
                raise ValueError(f"chat {chat_id} has no topic {thread}; open_topic() first")
            topics[thread] = state

    def inject(
        self,
        method: str,
        kind: str,
        count: int = 1,
        retry_after: int = 1,
        seconds: float = 30.0,
    ) -> None:
        """Fail the next `count` calls of `method` ("*": any method but getUpdates).

        kind: "500" / "502" (nginx's HTML page, as Telegram's front end sends it) / "429"
        (with `retry_after`); "timeout": hold the request `seconds` (or until stop), then close
        the connection unprocessed; "drop": close the connection at once, unprocessed;
        "lost-reply": process the call (a message IS sent), then close the connection unanswered;
        "late": hold the request `seconds` (or until stop), then process it (a message IS sent)
        whether or not the client is still waiting: Telegram accepting after the client gave up;
        "garbled": answer 200 `{"ok": true}` with a result that is no Telegram object (a proxy
        or a look-alike server), unprocessed.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        with self._lock:
            self._faults.append(Fault(method.lower(), kind, count, retry_after, seconds))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                wildcard = fault.method == "*" and method != "getupdates"
                if fault.method == method or wildcard:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # ------------------------------------------------------------ observation

    @property
    def sent(self) -> list[SentMessage]:
        with self._lock:
            return list(self._sent)

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    @property
    def edits(self) -> list[Edit]:
        with self._lock:
            return list(self._edits)

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._lock:
            return list(self._answers)

    @property
    def commands(self) -> list[dict[str, Any]]:
        """The commands of the last setMyCommands (any scope), as [{"command", "description"}]."""
        with self._lock:
            return [dict(c) for c in self._last_commands]

    @property
    def rate_limited(self) -> int:
        """How many 429s the flood limits caused (injected 429s are not counted)."""
        with self._lock:
            return self._rate_limited

    @property
    def refusals(self) -> list[tuple[int | str, tuple[str, ...]]]:
        """The flood limits' 429s in order: the chat and which limits it broke ("global",
        "chat", "group"), so a failing pacing test says which limit its sender overran."""
        with self._lock:
            return list(self._refusals)

    @property
    def conflicts(self) -> int:
        """How many parked getUpdates a newer one ended with 409 (Telegram's one-poller rule)."""
        with self._lock:
            return self._conflicts

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a later getUpdates offset (not yet fetched, or fetched
        in the last batch)."""
        with self._lock:
            return len(self._updates)

    @property
    def polling(self) -> int:
        """How many getUpdates long polls are parked, waiting for an update."""
        with self._lock:
            return len(self._waiters)

    def messages_to(self, chat_id: int | str) -> list[SentMessage]:
        key = obj.chat_key(chat_id)
        with self._lock:
            return [m for m in self._sent if m.chat_id == key]

    def messages_in(self, chat_id: int | str, thread: int | None) -> list[SentMessage]:
        """Messages accepted for topic `thread` of `chat_id` (None: outside any topic, which
        in a forum is its General topic)."""
        return [m for m in self.messages_to(chat_id) if m.message_thread_id == thread]

    def wait_for(self, predicate: Callable[[FakeBotApi], bool], timeout: float = 10) -> None:
        """Block until `predicate(api)` holds; AssertionError (with what was seen) on timeout.

        Blocks the calling thread: from a test whose event loop also runs the client, use
        `await wait_for_async(...)` instead.
        """
        with self._changed:
            if self._changed.wait_for(lambda: predicate(self), timeout):
                return
            raise AssertionError(
                f"fake Bot API: {getattr(predicate, '__name__', predicate)!s} still false after "
                f"{timeout}s; {self._describe()}"
            )

    async def wait_for_async(
        self, predicate: Callable[[FakeBotApi], bool], timeout: float = 10
    ) -> None:
        """`wait_for` without blocking the caller's event loop."""
        await asyncio.to_thread(self.wait_for, predicate, timeout)

    def _describe(self) -> str:
        recent = ", ".join(f"{c.method}->{c.status}" for c in self._calls[-8:])
        return (
            f"{len(self._sent)} messages sent, "
            f"{len(self._calls)} calls (last: {recent or 'none'}), "
            f"{self._rate_limited} rate-limited, {len(self._faults)} faults pending"
        )

    def _changed_state(self) -> None:
        with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------ updates

    def user_sends(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        chat_type: str | None = None,
        anonymous: bool = False,
        thread: int | None = None,
        language_code: str | None = "en",
    ) -> int:
        """Queue a message from a user (a /command gets its bot_command entity); the update id.
        `anonymous`: a group admin writing on behalf of the group (`sender_chat` is the group);
        `thread`: written in that topic of a forum (`open_topic`); `language_code`: the
        language of the user's Telegram app; `chat_type`: as Telegram's ids say by default
        (a negative id is a group: "supergroup"; a positive one a private chat)."""
        if chat_type is None:
            chat_type = "private" if chat_id > 0 else "supergroup"
        sender_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1001)
        sender = obj.user(sender_id, language_code)
        with self._lock:
            forum = chat_id in self._forums
        group = obj.chat(chat_id, chat_type, forum=forum)
        if anonymous:
            sender = obj.ANONYMOUS_ADMIN
        with self._lock:
            message_id = self._next_message_id(chat_id)
            entities = obj.command_entities(text)
            body = obj.message(message_id, group, sender, text, entities, thread=thread)
            if anonymous:
                body["sender_chat"] = group
            return self._push_update({"message": body})

    def user_presses(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        user_id: int | None = None,
        language_code: str | None = "en",
    ) -> str:
        """Queue a press on an inline button of message `message_id`; the callback query id."""
        sender_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1001)
        sender = obj.user(sender_id, language_code)
        with self._lock:
            query_id = f"cq{next(self._query_ids)}"
            self._open_queries.add(query_id)
            shown = self._messages.get((chat_id, message_id)) or obj.message(
                message_id, obj.chat(chat_id), obj.bot_user(self._token), "(message)", []
            )
            self._push_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": sender,
                        "message": shown,
                        "chat_instance": str(chat_id),
                        "data": data,
                    }
                }
            )
            return query_id

    def _push_update(self, content: dict[str, Any]) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **content})
            waiters = list(self._waiters)
        if waiters and self._loop is not None:
            self._loop.call_soon_threadsafe(_wake, waiters)
        self._changed_state()
        return update_id

    # ------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        token, _, method = path.removeprefix("bot").partition("/")
        if not path.startswith("bot") or not method or "/" in method:
            return _error(404)
        params = await _read_params(request)
        key = method.lower()
        at = time.monotonic()
        if token != self._token:
            return self._answer(method, params, at, *_failure(401))
        fault = self._take_fault(key)
        if fault is not None and fault.kind == "late":
            assert self._stopping is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), fault.seconds)
            status, payload = await self._dispatch(key, params)
            return self._drop(request, method, params, at, status)
        if fault is not None and fault.kind in ("timeout", "drop"):
            if fault.kind == "timeout":
                assert self._stopping is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), fault.seconds)
            return self._drop(request, method, params, at, 0)
        if fault is not None and fault.kind != "lost-reply":
            return self._answer(method, params, at, *_injected(fault))
        status, payload = await self._dispatch(key, params)
        if fault is not None:  # lost-reply: done, but the answer never reaches the client
            return self._drop(request, method, params, at, status)
        return self._answer(method, params, at, status, payload)

    def _answer(
        self, method: str, params: dict[str, Any], at: float, status: int, payload: Any
    ) -> web.StreamResponse:
        with self._lock:
            self._calls.append(obj.Call(method, params, status, True, at))
        self._changed_state()
        if isinstance(payload, bytes):
            return web.Response(status=status, body=payload, content_type="text/html")
        return web.json_response(payload, status=status)

    def _drop(
        self, request: web.Request, method: str, params: dict[str, Any], at: float, status: int
    ) -> web.StreamResponse:
        with self._lock:
            self._calls.append(obj.Call(method, params, status, False, at))
        self._changed_state()
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError  # aiohttp ends the handler quietly, nothing is written


def _wake(waiters: list[asyncio.Future[None]]) -> None:
    for waiter in waiters:
        if not waiter.done():
            waiter.set_result(None)


async def _read_params(request: web.Request) -> dict[str, Any]:
    raw: dict[str, Any] = dict(request.query)
    from_json = False
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            raw.update(body)
            from_json = True
    elif request.can_read_body:
        form = await request.post()
        raw.update({k: v for k, v in form.items() if isinstance(v, str)})
    return obj.decode_params(raw, from_json)


def _failure(status: int) -> tuple[int, dict[str, Any]]:
    return status, {"ok": False, "error_code": status, "description": _ERRORS[status]}


def _error(status: int) -> web.Response:
    return web.json_response(_failure(status)[1], status=status)


def _injected(fault: Fault) -> tuple[int, Any]:
    if fault.kind == "garbled":
        return 200, {"ok": True, "result": {"message_id": 1}}  # no date, no chat
    if fault.kind == "502":
        return 502, _NGINX_502
    if fault.kind == "429":
        return 429, obj.too_many_requests(fault.retry_after)
    return _failure(500)
