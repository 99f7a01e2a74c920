"""The fake Bot API, driven by real python-telegram-bot over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import httpx
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.conftest import clean_env
from tests.fakes import FakeBotApi

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def with_bot(api: FakeBotApi, body: Callable[[Bot], Awaitable[T]], read_timeout: float = 5) -> T:
    async def main() -> T:
        request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=2)
        async with Bot(api.token, base_url=api.base_url, request=request) as bot:
            return await body(bot)

    return run(main())


def raw(api: FakeBotApi, method: str, token: str | None = None, **params: Any) -> httpx.Response:
    """A request as any client would send it (JSON body), to see Telegram's exact texts."""
    url = f"{api.base_url}{token or api.token}/{method}"
    return httpx.post(url, json=params, timeout=5)


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def test_send_message_is_recorded_with_its_parsed_text(api: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Education", callback_data="s:edu")]])

    async def body(bot: Bot) -> tuple[int, int, str]:
        first = await bot.send_message(
            42, "<b>Title</b> &amp; more", parse_mode="HTML", reply_markup=markup
        )
        # message ids count per chat, as in Telegram
        second = await bot.send_message(43, "plain")
        assert first.entities[0].type == "bold"
        return first.message_id, second.message_id, first.text or ""

    first_id, second_id, text = with_bot(api, body)
    assert (first_id, second_id, text) == (1, 1, "Title & more")
    sent = api.messages_to(42)
    assert [m.text for m in sent] == ["<b>Title</b> &amp; more"]
    assert sent[0].plain == "Title & more"
    assert sent[0].parse_mode == "HTML"
    assert sent[0].reply_markup == {
        "inline_keyboard": [[{"text": "Education", "callback_data": "s:edu"}]]
    }
    assert [m.text for m in api.messages_to("43")] == ["plain"]
    assert api.messages_to(44) == []


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("AT&amp;T &nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 9'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("é</b>", "Unexpected end tag at byte offset 2"),
    ],
)
def test_html_errors_carry_telegrams_wording(api: FakeBotApi, text: str, description: str) -> None:
    answer = raw(api, "sendMessage", chat_id=1, text=text, parse_mode="HTML")
    assert answer.status_code == 400
    assert answer.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: can't parse entities: " + description,
    }
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        with_bot(api, lambda bot: bot.send_message(1, text, parse_mode="HTML"))
    assert api.sent == []


def test_length_is_counted_in_utf16_units_after_entity_parsing(api: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        await bot.send_message(1, "😀" * 2048)  # 4096 units
        await bot.send_message(2, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(3, "😀" * 2048 + "a")
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(3, "<b> </b>", parse_mode="HTML")

    with_bot(api, body)
    assert [len(api.messages_to(chat)) for chat in (1, 2, 3)] == [1, 1, 0]


def test_a_second_message_to_a_chat_within_a_second_is_refused(api: FakeBotApi) -> None:
    async def body(bot: Bot) -> RetryAfter:
        await bot.send_message(7, "one")
        await bot.send_message(8, "other chat, fine")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(7, "two")
        return caught.value

    exc = with_bot(api, body)
    assert retry_seconds(exc) >= 1
    assert api.rate_limited == 1
    assert api.refusals == [(7, ("chat",))]
    assert [m.text for m in api.messages_to(7)] == ["one"]
    answer = raw(api, "sendMessage", chat_id=7, text="three")
    assert answer.status_code == 429
    assert answer.json()["description"] == "Too Many Requests: retry after 1"
    assert answer.json()["parameters"] == {"retry_after": 1}


def test_group_and_global_limits() -> None:
    with FakeBotApi(global_per_second=5, group_per_minute=3) as api:

        async def body(bot: Bot) -> None:
            for n in range(3):
                await bot.send_message(-100123, f"group {n}")
            with pytest.raises(RetryAfter):
                await bot.send_message(-100123, "group 4")
            await bot.send_message(1, "private 1")
            await bot.send_message(2, "private 2")
            with pytest.raises(RetryAfter):
                await bot.send_message(3, "sixth message this second")

        with_bot(api, body)
        assert api.rate_limited == 2
        assert api.refusals == [(-100123, ("group",)), (3, ("global",))]
        assert len(api.sent) == 5


def test_blocked_chat_is_forbidden(api: FakeBotApi) -> None:
    api.block(99)

    async def body(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(99, "hello")
        await bot.send_message(123456789, "any other id is a chat")

    with_bot(api, body)
    assert api.messages_to(99) == []
    assert len(api.messages_to(123456789)) == 1


@pytest.mark.parametrize(
    ("kind", "error", "delivered"),
    [
        ("500", NetworkError, False),
        ("502", NetworkError, False),
        ("drop", NetworkError, False),
        ("lost-reply", NetworkError, True),
        ("timeout", TimedOut, False),
    ],
)
def test_injected_faults_raise_what_ptb_raises_for_telegram(
    api: FakeBotApi, kind: str, error: type[Exception], delivered: bool
) -> None:
    api.inject("sendMessage", kind, seconds=1)

    async def body(bot: Bot) -> None:
        with pytest.raises(error) as caught:
            await bot.send_message(5, "first try")
        assert not isinstance(caught.value, BadRequest | Forbidden | RetryAfter)
        await bot.send_message(6, "the fault is used up")

    with_bot(api, body, read_timeout=0.5)
    # a held request is logged when the fake lets go of it
    api.wait_for(lambda a: any(c.params.get("chat_id") == 5 for c in a.calls))
    assert [m.text for m in api.messages_to(5)] == (["first try"] if delivered else [])
    assert len(api.messages_to(6)) == 1
    (first,) = [c for c in api.calls if c.params.get("chat_id") == 5]
    assert first.answered == (kind in ("500", "502"))


def test_injected_429s_count_apart_from_flood_control(api: FakeBotApi) -> None:
    api.inject("sendMessage", "429", count=2, retry_after=3)

    async def body(bot: Bot) -> list[float]:
        waits = []
        for _ in range(2):
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(5, "x")
            waits.append(retry_seconds(caught.value))
        await bot.send_message(5, "x")
        return waits

    assert with_bot(api, body) == [3, 3]
    assert api.rate_limited == 0
    assert len(api.sent) == 1


def test_unknown_method_and_wrong_token(api: FakeBotApi) -> None:
    answer = raw(api, "sendTelepathy", chat_id=1)
    assert answer.status_code == 404
    assert answer.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    wrong = raw(api, "getMe", token="999:WRONG")
    assert wrong.status_code == 401
    assert wrong.json()["description"] == "Unauthorized"

    async def wrong_token() -> None:
        async with Bot("999:WRONG", base_url=api.base_url):  # initialize() calls getMe
            pass

    with pytest.raises(InvalidToken):
        run(wrong_token())
    assert api.token not in repr(api.calls)


def test_form_and_json_bodies_are_both_understood(api: FakeBotApi) -> None:
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    url = f"{api.base_url}{api.token}/sendMessage"
    form = httpx.post(url, data={"chat_id": "-5", "text": "123", "reply_markup": markup})
    assert form.status_code == 200
    as_json = raw(api, "sendMessage", chat_id="@news_channel", text="<i>x</i>", parse_mode="HTML")
    assert as_json.status_code == 200
    assert [(m.chat_id, m.text) for m in api.sent] == [(-5, "123"), ("@news_channel", "<i>x</i>")]
    assert api.sent[0].reply_markup == {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}


def test_updates_commands_buttons_and_edits(api: FakeBotApi) -> None:
    async def body(bot: Bot) -> None:
        start_id = api.user_sends(10, "/start")
        (update,) = await bot.get_updates(timeout=0)
        assert update.update_id == start_id
        assert update.message is not None
        assert update.message.text == "/start"
        assert update.message.entities[0].type == "bot_command"
        assert await bot.get_updates(offset=start_id + 1, timeout=0) == ()

        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Culture", callback_data="c")]])
        shown = await bot.send_message(10, "Pick one", reply_markup=keyboard)
        query_id = api.user_presses(10, shown.message_id, "c")
        (press,) = await bot.get_updates(offset=start_id + 1, timeout=0)
        assert press.callback_query is not None
        assert (press.callback_query.id, press.callback_query.data) == (query_id, "c")
        assert await bot.answer_callback_query(query_id, text="Subscribed")
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(query_id)

        await bot.edit_message_text("Picked", chat_id=10, message_id=shown.message_id)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("Picked", chat_id=10, message_id=shown.message_id)
        await bot.edit_message_reply_markup(
            chat_id=10, message_id=shown.message_id, reply_markup=keyboard
        )
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", chat_id=10, message_id=999)

        await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("latest", "News")])
        assert [c.command for c in await bot.get_my_commands()] == ["start", "latest"]
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""

    with_bot(api, body)
    assert [(a.text, a.show_alert) for a in api.callback_answers] == [("Subscribed", False)]
    assert [(e.method, e.text) for e in api.edits] == [
        ("editMessageText", "Picked"),
        ("editMessageReplyMarkup", None),  # the text of a markup-only edit is None
    ]
    assert api.commands == [
        {"command": "start", "description": "Start"},
        {"command": "latest", "description": "News"},
    ]


def test_forum_topics_threads_and_their_refusals(api: FakeBotApi) -> None:
    forum, plain_group = -100300, -100301
    first, second = api.open_topic(forum), api.open_topic(forum)
    assert second > first > 0  # a topic's id is its creation message's: distinct, positive

    async def body(bot: Bot) -> None:
        api.user_sends(forum, "/here culture", 7, "supergroup", thread=first)
        api.user_sends(forum, "in General", 7, "supergroup")
        in_topic, in_general = await bot.get_updates(timeout=0)
        assert in_topic.message is not None
        assert in_general.message is not None
        assert in_topic.message.chat.is_forum
        assert (in_topic.message.message_thread_id, in_topic.message.is_topic_message) == (
            first,
            True,
        )
        assert in_general.message.message_thread_id is None
        assert not in_general.message.is_topic_message

        posted = await bot.send_message(forum, "into the topic", message_thread_id=first)
        assert (posted.message_thread_id, posted.is_topic_message) == (first, True)
        await bot.send_message(forum, "into General")
        api.close_topic(forum, first)
        with pytest.raises(BadRequest, match=r"^Topic_closed$"):
            await bot.send_message(forum, "closed", message_thread_id=first)
        api.delete_topic(forum, second)
        with pytest.raises(BadRequest, match=r"^Message thread not found$"):
            await bot.send_message(forum, "deleted", message_thread_id=second)
        with pytest.raises(BadRequest, match=r"^Message thread not found$"):
            await bot.send_message(plain_group, "no topics here", message_thread_id=first)
        api.reopen_topic(forum, first)
        await bot.send_message(forum, "reopened", message_thread_id=first)
        api.close_general(forum)
        with pytest.raises(BadRequest, match=r"^Topic_closed$"):
            await bot.send_message(forum, "General is closed")

    with_bot(api, body)
    assert [m.plain for m in api.messages_in(forum, first)] == ["into the topic", "reopened"]
    assert [m.plain for m in api.messages_in(forum, None)] == ["into General"]
    # Telegram's exact texts, as any client sees them
    api.close_topic(forum, first)
    closed = raw(api, "sendMessage", chat_id=forum, text="x", message_thread_id=first).json()
    assert closed == {"ok": False, "error_code": 400, "description": "Bad Request: TOPIC_CLOSED"}
    deleted = raw(api, "sendMessage", chat_id=forum, text="x", message_thread_id=second).json()
    assert deleted["description"] == "Bad Request: message thread not found"


def test_long_poll_wakes_on_a_new_update_and_ends_on_stop() -> None:
    api = FakeBotApi().start()
    try:

        async def body(bot: Bot) -> tuple[Update, ...]:
            poll = asyncio.create_task(bot.get_updates(timeout=30))
            await api.wait_for_async(_polling)
            threading.Thread(target=api.user_sends, args=(3, "hello")).start()
            return await asyncio.wait_for(poll, 10)

        (update,) = with_bot(api, body, read_timeout=5)
        assert update.message is not None
        assert update.message.text == "hello"

        async def hanging(bot: Bot) -> tuple[Update, ...]:
            poll = asyncio.create_task(bot.get_updates(offset=update.update_id + 1, timeout=30))
            await api.wait_for_async(_polling)
            await asyncio.to_thread(api.stop)
            return await asyncio.wait_for(poll, 10)

        assert with_bot(api, hanging, read_timeout=5) == ()
    finally:
        api.stop()


def _polling(api: FakeBotApi) -> bool:
    return api.polling > 0


def test_a_ptb_application_answers_a_command_through_polling(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply to /start."""
        assert update.effective_message is not None
        await update.effective_message.reply_text("Welcome")

    async def main() -> None:
        app = Application.builder().token(api.token).base_url(api.base_url).build()
        app.add_handler(CommandHandler("start", start))
        async with app:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            await app.start()
            api.user_sends(77, "/start")
            await api.wait_for_async(lambda a: len(a.messages_to(77)) == 1)
            await app.updater.stop()
            await app.stop()

    run(main())
    assert [m.text for m in api.messages_to(77)] == ["Welcome"]


def test_a_subprocess_can_use_it(api: FakeBotApi) -> None:
    script = (
        "import asyncio, sys\n"
        "from telegram import Bot\n"
        "async def main():\n"
        "    async with Bot(sys.argv[1], base_url=sys.argv[2]) as bot:\n"
        "        await bot.send_message(31, 'from a child process')\n"
        "asyncio.run(main())\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, api.token, api.base_url],
        check=True,
        env=clean_env(),
        timeout=60,
    )
    assert [m.text for m in api.messages_to(31)] == ["from a child process"]


def test_wait_for_explains_what_it_saw(api: FakeBotApi) -> None:
    def two_messages(a: FakeBotApi) -> bool:
        return len(a.sent) >= 2

    with pytest.raises(AssertionError, match=r"two_messages still false .* 0 messages sent"):
        api.wait_for(two_messages, timeout=0.2)
