"""The bot's command handlers: registration, subscriptions, language, pause, latest, admin."""

from __future__ import annotations

import asyncio
import difflib
import html
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter
from telegram.ext import ContextTypes

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.choices import Choice, Choices
from icesco_watch.notifiers.telegram.format import format_digest
from icesco_watch.notifiers.telegram.forum import forum_thread
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.menu import ADMIN_COMMANDS, HELP, PUBLIC_COMMANDS
from icesco_watch.notifiers.telegram.outcomes import retry_after_seconds
from icesco_watch.notifiers.telegram.permissions import Permissions
from icesco_watch.notifiers.telegram.replies import ECHO, bound, echo
from icesco_watch.notifiers.telegram.status import store_status
from icesco_watch.store.items import latest_items
from icesco_watch.store.subscriptions import (
    SubscriptionError,
    add_subscription,
    get_chat,
    list_subscriptions,
    remove_all_subscriptions,
    remove_subscription,
    set_lang,
    set_paused,
    upsert_chat,
)

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
LATEST = 5
SLOW_DOWN = (
    "That is a lot of commands at once: I will ignore this chat for a little while. "
    "Please send them more slowly."
)
WELCOME_LATEST = 3


def utcnow() -> datetime:
    return datetime.now(UTC)


class Commands:
    """Handlers bound to the config, the store and the service's callbacks."""

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
            await self._pace(str(chat.id))
            try:
                await self._send(update, chat.id, part, keyboard)
            except RetryAfter as exc:  # Telegram's clock disagreed with ours: wait, once
                await asyncio.sleep(retry_after_seconds(exc))
                await self._send(update, chat.id, part, keyboard)

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

    async def slow_down(self, update: Update) -> None:
        """A chat went over its command budget: say so once (`fairness` then ignores it)."""
        await self._reply(update, None, SLOW_DOWN)

    async def start(self, update: Update, context: Context) -> None:
        """Register the chat; a new chat gets the latest few items once, not the backlog."""
        chat = _chat(update)
        with self.engine.begin() as conn:
            _, created = upsert_chat(conn, chat, utcnow())
            latest = latest_items(conn, WELCOME_LATEST) if created else []
        await self._reply(
            update,
            context,
            "Welcome! You will get alerts for ICESCO news you follow. "
            "Start with /sectors, or /subscribe all for everything.\n\n" + HELP,
        )
        if latest:
            digest = format_digest([s.item for s in latest], self.settings.sectors)
            await self._reply(update, context, digest[0])

    async def help(self, update: Update, context: Context) -> None:
        """List the commands."""
        await self._reply(update, context, HELP + "\n\n" + html.escape(self.choices.keys_help()))

    async def sectors(self, update: Update, context: Context) -> None:
        """Show the sector buttons; pressing one toggles the subscription."""
        chat = _chat(update)
        with self.engine.begin() as conn:
            upsert_chat(conn, chat, utcnow())
            subscribed = list_subscriptions(conn, chat)
            lang = _lang(conn, chat)
        markup = self.choices.keyboard(subscribed, lang)
        await self._reply(update, context, "Tap a sector to follow or unfollow it:", markup)

    async def toggle(self, update: Update, context: Context) -> None:
        """A /sectors button was pressed: toggle that subscription and redraw the buttons."""
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        refusal = await self.permissions.settings_refusal(update)
        if refusal is not None:
            await query.answer(refusal)
            return
        choice = self.choices.from_callback(query.data or "")
        if choice is None:
            await query.answer("This button is out of date; send /sectors again.")
            return
        chat = _chat(update)
        with self.engine.begin() as conn:
            upsert_chat(conn, chat, utcnow())
            added = add_subscription(conn, chat, choice.kind, choice.value)
            if not added:
                remove_subscription(conn, chat, choice.kind, choice.value)
            subscribed = list_subscriptions(conn, chat)
            lang = _lang(conn, chat)
        label = html.unescape(self.choices.label(choice, lang))
        await query.answer(("Following " if added else "No longer following ") + label)
        await query.edit_message_reply_markup(self.choices.keyboard(subscribed, lang))

    async def subscribe(self, update: Update, context: Context) -> None:
        """/subscribe <sector|topic|all>."""
        if not await self._may_change(update, context):
            return
        choice = await self._choice(update, context, "subscribe")
        if choice is None:
            return
        chat = _chat(update)
        with self.engine.begin() as conn:
            upsert_chat(conn, chat, utcnow())
            added = add_subscription(conn, chat, choice.kind, choice.value)
        label = self.choices.label(choice)
        await self._reply(
            update, context, f"Following {label}." if added else f"Already following {label}."
        )

    async def unsubscribe(self, update: Update, context: Context) -> None:
        """/unsubscribe <sector|topic|all>; "all" removes every subscription and keyword."""
        if not await self._may_change(update, context):
            return
        chat = _chat(update)
        if [a.casefold() for a in context.args or []] == ["all"]:
            with self.engine.begin() as conn:
                removed = remove_all_subscriptions(conn, chat)
            await self._reply(update, context, f"Removed {removed} subscription(s).")
            return
        choice = await self._choice(update, context, "unsubscribe")
        if choice is None:
            return
        with self.engine.begin() as conn:
            removed_one = remove_subscription(conn, chat, choice.kind, choice.value)
        label = self.choices.label(choice)
        text = (
            f"No longer following {label}." if removed_one else f"You were not following {label}."
        )
        await self._reply(update, context, text)

    async def _choice(self, update: Update, context: Context, command: str) -> Choice | None:
        """The argument as a sector, topic or "all"; replies with help when it is not one."""
        text = " ".join(context.args or [])
        choice = self.choices.resolve(text) if text else None
        if choice is not None:
            return choice
        if not text:
            reply = f"Usage: /{command} &lt;sector|topic|all&gt;, for example /{command} education."
        else:
            reply = f"I don't know “{echo(text)}”."
            suggestion = self.choices.suggest(text[:ECHO])
            if suggestion:
                reply += f" Did you mean /{command} {html.escape(suggestion)}?"
        await self._reply(update, context, reply + "\n" + html.escape(self.choices.keys_help()))
        return None

    async def watch(self, update: Update, context: Context) -> None:
        """/watch <keyword>: alerts for news mentioning it (whole words, any case or accent)."""
        await self._keyword(update, context, add=True)

    async def unwatch(self, update: Update, context: Context) -> None:
        """/unwatch <keyword>."""
        await self._keyword(update, context, add=False)

    async def _keyword(self, update: Update, context: Context, add: bool) -> None:
        if not await self._may_change(update, context):
            return
        command = "watch" if add else "unwatch"
        keyword = " ".join(context.args or [])
        if not keyword:
            example = "artificial intelligence"
            await self._reply(
                update, context, f"Usage: /{command} &lt;keyword&gt;, e.g. /{command} {example}"
            )
            return
        chat = _chat(update)
        try:
            with self.engine.begin() as conn:
                upsert_chat(conn, chat, utcnow())
                changed = (add_subscription if add else remove_subscription)(
                    conn, chat, "keyword", keyword
                )
        except SubscriptionError as exc:
            await self._reply(update, context, f"Sorry: {echo(str(exc), 200)}.")
            return
        shown = echo(keyword.casefold(), 100)  # a watched keyword is at most 100 characters
        if add:
            text = f"Watching “{shown}”." if changed else f"Already watching “{shown}”."
        else:
            text = (
                f"Stopped watching “{shown}”." if changed else f"You were not watching “{shown}”."
            )
        await self._reply(update, context, text)

    async def list(self, update: Update, context: Context) -> None:
        """What this chat follows, its language and whether it is paused."""
        chat = _chat(update)
        with self.engine.connect() as conn:
            found = list_subscriptions(conn, chat)
            state = get_chat(conn, chat)
        lines = [
            f"• watching “{html.escape(s.value)}”"
            if s.kind == "keyword"
            else "• " + self.choices.label(Choice(s.kind, s.value))
            for s in found
        ]
        text = "\n".join(lines) if lines else "Nothing yet: try /sectors or /subscribe all."
        lang = state.lang if state and state.lang else "all languages"
        text += f"\nLanguage: {lang}."
        if state and state.paused:
            text += "\nAlerts are paused: /resume to restart them."
        await self._reply(update, context, text)

    async def latest(self, update: Update, context: Context) -> None:
        """/latest [sector]: the newest items, in the chat's language if it chose one."""
        sector = None
        if context.args:
            choice = await self._choice(update, context, "latest")
            if choice is None:
                return
            if choice.kind != "sector":
                await self._reply(update, context, "/latest takes a sector, e.g. /latest culture.")
                return
            sector = choice.value
        chat = _chat(update)
        with self.engine.connect() as conn:
            lang = _lang(conn, chat)
            found = latest_items(conn, LATEST, lang, sector)
        if not found:
            await self._reply(update, context, "Nothing stored yet for that.")
            return
        for part in format_digest([s.item for s in found], self.settings.sectors, lang):
            await self._reply(update, context, part)

    async def lang(self, update: Update, context: Context) -> None:
        """/lang en|ar|fr|all."""
        if not await self._may_change(update, context):
            return
        wanted = (context.args or [""])[0].casefold()
        if wanted not in ("en", "ar", "fr", "all"):
            await self._reply(update, context, "Usage: /lang en, /lang ar, /lang fr or /lang all.")
            return
        with self.engine.begin() as conn:
            set_lang(conn, _chat(update), None if wanted == "all" else wanted, utcnow())
        shown = "every language" if wanted == "all" else wanted
        await self._reply(update, context, f"From now on: news in {shown}.")

    async def pause(self, update: Update, context: Context) -> None:
        """Stop alerts (nothing is queued while paused)."""
        if not await self._may_change(update, context):
            return
        with self.engine.begin() as conn:
            set_paused(conn, _chat(update), True, utcnow())
        await self._reply(update, context, "Alerts paused. /resume to restart them.")

    async def resume(self, update: Update, context: Context) -> None:
        """Restart alerts from now on."""
        if not await self._may_change(update, context):
            return
        with self.engine.begin() as conn:
            set_paused(conn, _chat(update), False, utcnow())
        await self._reply(update, context, "Alerts resumed.")

    async def status(self, update: Update, context: Context) -> None:
        """Admin: health of the sources and the delivery queue."""
        if not await self._admin(update, context):
            return
        text = await self.status_text() if self.status_text else store_status(self.engine)
        await self._reply(update, context, f"<pre>{html.escape(text)}</pre>")

    async def crawl(self, update: Update, context: Context) -> None:
        """Admin: ask the service for a crawl cycle now."""
        if not await self._admin(update, context):
            return
        if self.request_crawl is None:
            await self._reply(update, context, "Crawling on demand is not available here.")
            return
        answer = await self.request_crawl()
        await self._reply(update, context, html.escape(answer or "Crawl requested."))

    async def _admin(self, update: Update, context: Context) -> bool:
        """Whether /status and /crawl may run here; replies with the reason when not."""
        refusal = await self.permissions.operations_refusal(update)
        if refusal is not None:
            await self._reply(update, context, refusal)
        return refusal is None

    async def _may_change(self, update: Update, context: Context) -> bool:
        """Whether the sender may change this chat's subscriptions and settings (in a group:
        its administrators); replies with the reason when not."""
        refusal = await self.permissions.settings_refusal(update)
        if refusal is not None:
            await self._reply(update, context, refusal)
        return refusal is None

    async def unknown(self, update: Update, context: Context) -> None:
        """Any other command: say so and suggest the closest one."""
        text = (update.effective_message.text or "") if update.effective_message else ""
        name = text.split()[0].lstrip("/").split("@")[0] if text.split() else ""
        known = [c for c, _ in PUBLIC_COMMANDS + ADMIN_COMMANDS]
        close = difflib.get_close_matches(name[:ECHO].casefold(), known, n=1, cutoff=0.5)
        hint = f" Did you mean /{close[0]}?" if close else ""
        await self._reply(update, context, f"Unknown command /{echo(name)}.{hint} Send /help.")


def _chat(update: Update) -> str:
    assert update.effective_chat is not None
    return str(update.effective_chat.id)


def _lang(conn: Connection, chat: str) -> str | None:
    state = get_chat(conn, chat)
    return state.lang if state else None
