"""Command replies when Telegram answers 429, 5xx or nothing: real PTB polling the fake Bot API.

A reply is not in the outbox (the user is waiting for it), so `Conversation._reply` retries it
in place: Telegram's retry_after, a brief backoff after a 5xx, within a bounded number of tries
and of seconds; never a second copy of a reply that may have arrived; a plain log line when it
gives up.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from icesco_watch.notifiers.telegram.fairness import CommandBudget
from icesco_watch.notifiers.telegram.outcomes import REPLY_WAIT
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.schema import open_store
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import Chat, make_settings, with_bot

ROOMY = CommandBudget(per_minute=600, burst=100)
LOGGER = "icesco_watch.notifiers.telegram.conversation"


def _sends(api: FakeBotApi, chat: int) -> int:
    return sum(1 for c in api.calls if c.method == "sendMessage" and c.params["chat_id"] == chat)


@pytest.mark.parametrize("kind", ["429", "500", "502"])
def test_a_reply_refused_twice_for_a_moment_still_arrives_once(
    tmp_path: Path, api: FakeBotApi, kind: str
) -> None:
    # One retry after a 429 used to be all: a second 429 (or any 5xx) and the user who typed
    # /digest got no answer at all.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 3100)

    async def scenario(sender: Sender) -> None:
        api.inject("sendMessage", kind, count=2, retry_after=1)
        reply = await user.ask("/digest", timeout=20)
        assert "as soon as news is published" in reply

    with_bot(settings, engine, scenario, budget=ROOMY)
    assert len(api.messages_to(3100)) == 1
    assert _sends(api, 3100) == 3  # two refused, one accepted


def test_a_reply_telegram_holds_back_too_long_is_given_up_plainly_and_the_chat_goes_on(
    tmp_path: Path, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    # A retry_after beyond what a waiting user is held: no wait at all (waiting less than asked
    # would be refused again), one log line, and the chat's next command is answered at once.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 3110)

    async def scenario(sender: Sender) -> None:
        api.inject("sendMessage", "429", count=1, retry_after=int(REPLY_WAIT) + 30)
        user.send("/digest")
        await api.wait_for_async(lambda fake: _sends(fake, 3110) == 1)
        assert "/digest" in await user.ask("/help", timeout=10)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        with_bot(settings, engine, scenario, budget=ROOMY)
    [given_up] = [r for r in caplog.records if r.name == LOGGER]
    assert "reply to chat 3110 given up after 1 attempt(s)" in given_up.getMessage()
    assert "RetryAfter" in given_up.getMessage()
    assert "longer than a waiting user is held" in given_up.getMessage()
    assert api.token not in caplog.text
    assert len(api.messages_to(3110)) == 1  # the /help reply only


def test_a_reply_that_may_have_arrived_is_not_sent_again(
    tmp_path: Path, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    # Telegram took the message but its answer was lost: resending would show it twice.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 3120)

    async def scenario(sender: Sender) -> None:
        api.inject("sendMessage", "lost-reply", count=1)
        user.send("/digest")
        await api.wait_for_async(lambda fake: len(fake.messages_to(3120)) == 1)
        assert "/digest" in await user.ask("/help", timeout=10)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        with_bot(settings, engine, scenario, budget=ROOMY)
    assert len(api.messages_to(3120)) == 2  # the /digest reply once, then /help's
    assert _sends(api, 3120) == 2
    [given_up] = [r for r in caplog.records if r.name == LOGGER]
    assert "it may have arrived, so it is not sent again" in given_up.getMessage()


def test_a_button_press_is_answered_and_redrawn_through_429s_and_5xx(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # A press's answer and redrawn keyboard were sent once: a 429 or a 5xx left the user's
    # button spinning and the keyboard showing the old state.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 3130)

    async def scenario(sender: Sender) -> None:
        assert "Tap a sector" in await user.ask("/sectors")
        keyboard = api.messages_to(3130)[-1]
        assert keyboard.reply_markup is not None
        buttons = [b for row in keyboard.reply_markup["inline_keyboard"] for b in row]
        education = next(b for b in buttons if b["text"] == "Education")
        api.inject("answerCallbackQuery", "429", count=2, retry_after=1)
        api.inject("editMessageReplyMarkup", "502", count=1)
        api.user_presses(3130, keyboard.message_id, education["callback_data"])
        await api.wait_for_async(lambda fake: bool(fake.callback_answers and fake.edits), 20)

    with_bot(settings, engine, scenario, budget=ROOMY)
    [answer] = api.callback_answers
    assert answer.text == "Following Education (#education)"
    [edit] = api.edits
    labels = [b["text"] for row in (edit.reply_markup or {})["inline_keyboard"] for b in row]
    assert "✅ Education" in labels
