"""`/here`: the sectors a forum topic receives, set by typing the command inside that topic.

`/here culture education` in a topic of a forum supergroup routes those sectors' alerts to that
topic (replacing what it received, and reopening it if Telegram had closed it); `/here` alone
says what the topic receives (anyone may ask); `/here off` stops it. Changing is for the group's
administrators (`permissions.py`, Telegram's getChatMember). Typed anywhere else (a private chat,
a group without topics, a forum's General topic), it explains where to type it. Replies go into
the topic the command came from.
"""

from __future__ import annotations

import asyncio
import html
import time
from datetime import UTC, datetime

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from icesco_watch.notifiers.telegram.choices import Choice
from icesco_watch.notifiers.telegram.commands import Commands, Context
from icesco_watch.notifiers.telegram.forum import forum_thread
from icesco_watch.notifiers.telegram.outcomes import retry_after_seconds
from icesco_watch.notifiers.telegram.replies import ECHO, bound, echo
from icesco_watch.store.subscriptions import upsert_chat
from icesco_watch.store.topics import (
    clear_topic,
    get_closed_topic,
    sectors_of_topic,
    set_topic_sectors,
)

USAGE = "/here &lt;sector…&gt;, for example /here culture education; /here off to stop."
NOT_IN_TOPIC = (
    "/here works inside a topic of a forum group: open the topic that should receive alerts "
    "and type, for example, /here culture education there. Here, use /subscribe instead."
)


class TopicCommands:
    """`/here`, using the store, sector names, permissions and pacer of `commands`."""

    def __init__(self, commands: Commands) -> None:
        self.commands = commands

    async def here(self, update: Update, context: Context) -> None:
        """/here [sector…|off]: route sectors to this forum topic, show them, or stop them."""
        chat = update.effective_chat
        if chat is None:
            return
        thread = forum_thread(update)
        if thread is None:
            await self._reply(update, None, NOT_IN_TOPIC)
            return
        args = [a for a in " ".join(context.args or []).replace(",", " ").split() if a]
        if not args:
            await self._reply(update, thread, self._describe(str(chat.id), thread))
            return
        refusal = await self.commands.permissions.settings_refusal(update)
        if refusal is not None:
            await self._reply(update, thread, refusal)
            return
        if [a.casefold() for a in args] == ["off"]:
            with self.commands.engine.begin() as conn:
                removed = clear_topic(conn, str(chat.id), thread)
            text = "This topic no longer receives alerts." if removed else "Nothing was sent here."
            await self._reply(update, thread, text + " /here &lt;sector…&gt; to start again.")
            return
        sectors = await self._sectors(update, thread, args)
        if sectors is None:
            return
        with self.commands.engine.begin() as conn:
            upsert_chat(conn, str(chat.id), datetime.now(UTC))  # its /lang and /pause apply
            set_topic_sectors(conn, str(chat.id), thread, sectors)
        labels = ", ".join(self._label(s) for s in sectors)
        await self._reply(update, thread, f"This topic now receives alerts for {labels}.")

    async def _sectors(self, update: Update, thread: int, args: list[str]) -> list[str] | None:
        """The sector keys `args` name (each a key, hashtag or one-word name, or all of them
        one name); replies with what went wrong when one is not a sector."""
        choices = self.commands.choices
        whole = choices.resolve(" ".join(args))
        found = [whole] if whole is not None else [choices.resolve(a) for a in args]
        wrong = next((a for a, c in zip(args, found, strict=False) if c is None), None)
        if wrong is None and all(c is not None and c.kind == "sector" for c in found):
            return sorted({c.value for c in found if c is not None})
        if wrong is None:
            reply = "/here takes sectors (not topics or “all”)."
        else:
            reply = f"I don't know the sector “{echo(wrong)}”."
            suggestion = choices.suggest(wrong[:ECHO])
            if suggestion:
                reply += f" Did you mean {html.escape(suggestion)}?"
        sectors = ", ".join(s.key for s in self.commands.settings.sectors)
        await self._reply(update, thread, f"{reply}\nUsage: {USAGE}\nSectors: {sectors}.")
        return None

    def _describe(self, chat: str, thread: int) -> str:
        """What the topic receives: its /here sectors, config routes naming it, and whether
        Telegram closed it."""
        with self.commands.engine.connect() as conn:
            sectors = sectors_of_topic(conn, chat, thread)
            closed = get_closed_topic(conn, chat, thread)
        routes = [
            n
            for n, r in enumerate(self.commands.settings.telegram.routes)
            if r.chat == chat and r.thread == thread
        ]
        lines = [
            f"This topic receives alerts for {', '.join(self._label(s) for s in sectors)}."
            if sectors
            else f"This topic receives nothing from /here. Usage: {USAGE}"
        ]
        if routes:
            entries = ", ".join(f"telegram.routes[{n}]" for n in routes)
            lines.append(f"The config also sends {entries} here.")
        if closed is not None:
            lines.append(
                "Alerts here are suspended: Telegram refused to post into this topic. "
                "Type /here &lt;sector…&gt; here to restart them."
            )
        return "\n".join(lines)

    def _label(self, sector: str) -> str:
        return self.commands.choices.label(Choice("sector", sector))

    async def _reply(self, update: Update, thread: int | None, text: str) -> None:
        """Answer into the topic (`thread`), paced with every other message to the chat."""
        chat = update.effective_chat
        if chat is None:
            return
        pacer = self.commands.pacer
        for part in bound(text):
            now = time.monotonic()
            await asyncio.sleep(max(0.0, pacer.ready_at(str(chat.id), now) - now))
            pacer.record(str(chat.id), time.monotonic())
            try:
                await self._send(update, chat.id, thread, part)
            except RetryAfter as exc:  # Telegram's clock disagreed with ours: wait, once
                await asyncio.sleep(retry_after_seconds(exc))
                await self._send(update, chat.id, thread, part)

    async def _send(self, update: Update, chat_id: int, thread: int | None, text: str) -> None:
        await update.get_bot().send_message(
            chat_id, text, parse_mode=ParseMode.HTML, message_thread_id=thread
        )
