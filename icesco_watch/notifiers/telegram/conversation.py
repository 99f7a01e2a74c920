"""What every command handler shares: the chat's language, paced replies within Telegram's
limits, and permission checks whose refusals are replies in the chat's language.

Handlers (in `commands.py`, and new command modules) subclass `Conversation` and answer with
`await self._reply(update, context, t.gettext("..."))`, where `t = self._t(update)`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import Engine
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.choices import Choices
from icesco_watch.notifiers.telegram.forum import forum_thread
from icesco_watch.notifiers.telegram.i18n import Translator
from icesco_watch.notifiers.telegram.language import chat_translator
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.permissions import Permissions
from icesco_watch.notifiers.telegram.redact import Redactor
from icesco_watch.notifiers.telegram.replies import bound
from icesco_watch.notifiers.telegram.retrying import Retrying

Context = ContextTypes.DEFAULT_TYPE
log = logging.getLogger(__name__)


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
        # Replies are paced with the sender and retried in place (`retrying`); a given-up
        # reply's log line is on this module's logger, its error redacted of the token.
        self.retrying = Retrying(self.pacer, Redactor(token), log)

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
        return await self.retrying.send(
            chat_id, "reply", lambda: self._send(update, chat_id, text, markup)
        )

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
