"""What every command handler shares: the chat's language, paced replies within Telegram's
limits, and permission checks whose refusals are replies in the chat's language.

Handlers (in `commands.py`, and new command modules) subclass `Conversation` and answer with
`await self._reply(update, context, t.gettext("..."))`, where `t = self._t(update)`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import Engine
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.choices import Choices
from icesco_watch.notifiers.telegram.forum import forum_thread
from icesco_watch.notifiers.telegram.i18n import Translator
from icesco_watch.notifiers.telegram.language import chat_translator
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.outcomes import Message, judge, reply_retry_in
from icesco_watch.notifiers.telegram.permissions import Permissions
from icesco_watch.notifiers.telegram.redact import Redactor
from icesco_watch.notifiers.telegram.replies import bound

Context = ContextTypes.DEFAULT_TYPE
log = logging.getLogger(__name__)
# Why a reply was given up, by `outcomes.Verdict.kind`, for the log line.
GIVEN_UP = {
    "flood": "Telegram kept asking to wait, longer than a waiting user is held",
    "transient": "Telegram or the connection kept failing",
    "unconfirmed": "no answer; it may have arrived, so it is not sent again",
    "refused": "Telegram refused it",
    "blocked": "the chat blocked the bot or moved",
    "topic_gone": "the forum topic is closed or deleted",
}


class Conversation:
    """The config, the store, the service's callbacks, and the means to answer a chat."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        request_crawl: Callable[[], Awaitable[str | None]] | None = None,
        status_text: Callable[[], Awaitable[str]] | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.request_crawl = request_crawl
        self.status_text = status_text
        self.pacer = pacer or Pacer(settings.telegram.rate_per_second)
        self.choices = Choices(settings)
        self.permissions = Permissions(settings.telegram.admin_chats)
        token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
        self.redact = Redactor(token)  # errors in the log lines of given-up replies

    def _t(self, update: Update) -> Translator:
        """The language the bot speaks in this chat (decided once, on first contact)."""
        return chat_translator(self.engine, update)

    async def _reply(
        self,
        update: Update,
        context: Context | None,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        parts = bound(text)  # the one place a reply is held to Telegram's length limit
        for n, part in enumerate(parts, start=1):
            keyboard = markup if n == len(parts) else None
            if not await self._deliver(update, chat.id, part, keyboard):
                return  # the parts after a lost one would read as the whole answer

    async def _deliver(
        self, update: Update, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> bool:
        """Send one message of a reply (paced, retried); False when given up."""
        return await self._retrying(
            chat_id, "reply", lambda: self._send(update, chat_id, text, markup)
        )

    async def _retrying(
        self, chat_id: int, what: str, call: Callable[[], Awaitable[object]], paced: bool = True
    ) -> bool:
        """Make one request the user waits for (a reply, a button's answer, its redrawn
        keyboard), retrying as `outcomes.reply_retry_in` decides (a 429's retry_after, a brief
        backoff after a 5xx, bounded); False, with one log line, when given up. `paced`: a
        message to the chat, which waits its turn in the pacer first."""
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            if paced:
                await self._pace(str(chat_id))
            try:
                await call()
                return True
            except TelegramError as exc:
                verdict = judge(Message(str(chat_id), "", ()), exc, self.redact)
            wait = reply_retry_in(verdict, attempt, waited)
            if wait is None:
                log.warning(
                    "%s to chat %s given up after %d attempt(s) in %.0f s of waiting: %s (%s)",
                    what,
                    chat_id,
                    attempt,
                    waited,
                    verdict.error,
                    GIVEN_UP[verdict.kind],
                )
                return False
            if verdict.kind == "flood":  # every send waits, the sender's too (shared pacer)
                self.pacer.pause(time.monotonic() + wait)
            if not paced or verdict.kind != "flood":  # (a paced retry waits in `_pace`)
                await asyncio.sleep(wait)
            waited += wait

    async def _send(
        self, update: Update, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        await update.get_bot().send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            message_thread_id=forum_thread(update),  # a command typed in a topic: answer there
        )

    async def _pace(self, chat: str) -> None:
        """Wait for the chat's turn. Replies share the sender's pacer, so together they keep
        Telegram's 1 message/s per chat (a chat's commands run one at a time, see
        `fairness`); the send is recorded when it really leaves, after the sleep."""
        now = time.monotonic()
        await asyncio.sleep(max(0.0, self.pacer.ready_at(chat, now) - now))
        self.pacer.record(chat, time.monotonic())

    async def _admin(self, update: Update, context: Context) -> bool:
        """Whether /status and /crawl may run here; replies with the reason when not."""
        refusal = await self.permissions.operations_refusal(update)
        if refusal is not None:
            await self._reply(update, context, self._t(update).gettext(refusal))
        return refusal is None

    async def _may_change(self, update: Update, context: Context) -> bool:
        """Whether the sender may change this chat's subscriptions and settings (in a group:
        its administrators); replies with the reason when not."""
        refusal = await self.permissions.settings_refusal(update)
        if refusal is not None:
            await self._reply(update, context, self._t(update).gettext(refusal))
        return refusal is None
