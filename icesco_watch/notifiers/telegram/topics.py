"""`/here`: the sectors a forum topic receives, set by typing the command inside that topic.

`/here culture education` in a topic of a forum supergroup routes those sectors' alerts to that
topic (replacing what it received, and reopening it if Telegram had closed it); `/here` alone
says what the topic receives (anyone may ask); `/here off` stops it. Changing is for the group's
administrators (`permissions.py`, Telegram's getChatMember). Typed anywhere else (a private chat,
a group without topics, a forum's General topic), it explains where to type it. Replies go into
the topic the command came from.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from telegram import Update

from icesco_watch.notifiers.telegram.choices import Choice
from icesco_watch.notifiers.telegram.commands import Commands, Context
from icesco_watch.notifiers.telegram.forum import forum_thread
from icesco_watch.notifiers.telegram.i18n import N_, Translator
from icesco_watch.notifiers.telegram.menu import HERE_ARGUMENTS
from icesco_watch.notifiers.telegram.replies import ECHO, echo
from icesco_watch.store.subscriptions import upsert_chat
from icesco_watch.store.topics import (
    clear_topic,
    get_closed_topic,
    sectors_of_topic,
    set_topic_sectors,
)

LIST_SEPARATOR = re.compile("[,\u060c]")  # "," and the Arabic comma "،"
USAGE = N_("{command}, for example {example}; {off} to stop.")
NOT_IN_TOPIC = N_(
    "/here works inside a topic of a forum group: open the topic that should receive alerts "
    "and type, for example, {example} there. Here, use /subscribe instead."
)


class TopicCommands:
    """`/here`, using the store, sector names, permissions and replies of `commands` (its
    replies go into the topic the command came from, paced with every other message)."""

    def __init__(self, commands: Commands) -> None:
        self.commands = commands

    async def here(self, update: Update, context: Context) -> None:
        """/here [sector…|off]: route sectors to this forum topic, show them, or stop them."""
        chat = update.effective_chat
        if chat is None:
            return
        t = self.commands._t(update)
        thread = forum_thread(update)
        if thread is None:
            example = "/here culture education"
            await self._reply(update, t.gettext(NOT_IN_TOPIC, example=example))
            return
        # Names separated by commas, Latin or Arabic ("،"); each may be several words.
        groups = [g.split() for g in LIST_SEPARATOR.split(" ".join(context.args or []))]
        groups = [g for g in groups if g]
        args = [word for group in groups for word in group]
        if not args:
            await self._reply(update, self._describe(t, str(chat.id), thread))
            return
        refusal = await self.commands.permissions.settings_refusal(update)
        if refusal is not None:
            await self._reply(update, t.gettext(refusal))
            return
        if [a.casefold() for a in args] == ["off"]:
            with self.commands.engine.begin() as conn:
                removed = clear_topic(conn, str(chat.id), thread)
            text = (
                t.gettext("This topic no longer receives alerts.")
                if removed
                else t.gettext("Nothing was sent here.")
            )
            again = t.gettext("{command} to start again.", command=t.gettext(HERE_ARGUMENTS))
            await self._reply(update, f"{text} {again}")
            return
        sectors = await self._sectors(update, t, groups)
        if sectors is None:
            return
        with self.commands.engine.begin() as conn:
            upsert_chat(conn, str(chat.id), datetime.now(UTC))  # its /lang and /pause apply
            set_topic_sectors(conn, str(chat.id), thread, sectors)
        labels = ", ".join(self._label(t, s) for s in sectors)
        await self._reply(
            update, t.gettext("This topic now receives alerts for {labels}.", labels=labels)
        )

    async def _sectors(
        self, update: Update, t: Translator, groups: list[list[str]]
    ) -> list[str] | None:
        """The sector keys `groups` name (the words between commas: one name, or each word a
        key, hashtag or one-word name); replies with what went wrong when one is not a sector."""
        choices = self.commands.choices
        names: list[str] = []
        for group in groups:
            joined = " ".join(group)
            names.extend([joined] if choices.resolve(joined) is not None else group)
        found = [choices.resolve(n) for n in names]
        wrong = next((n for n, c in zip(names, found, strict=True) if c is None), None)
        if wrong is None and all(c is not None and c.kind == "sector" for c in found):
            return sorted({c.value for c in found if c is not None})
        if wrong is None:
            reply = t.gettext("{command} takes sectors (not topics or “all”).", command="/here")
        else:
            reply = t.gettext("I don't know the sector “{name}”.", name=echo(wrong))
            suggestion = choices.suggest(wrong[:ECHO])
            if suggestion:
                reply += " " + t.gettext("Did you mean {name}?", name=html.escape(suggestion))
        sectors = ", ".join(s.key for s in self.commands.settings.sectors)
        usage = t.gettext("Usage: {usage}", usage=self._usage(t))
        listed = t.gettext("Sectors: {sectors}.", sectors=sectors)
        await self._reply(update, f"{reply}\n{usage}\n{listed}")
        return None

    def _describe(self, t: Translator, chat: str, thread: int) -> str:
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
        if sectors:
            labels = ", ".join(self._label(t, s) for s in sectors)
            lines = [t.gettext("This topic receives alerts for {labels}.", labels=labels)]
        else:
            lines = [
                t.gettext(
                    "This topic receives nothing from /here. Usage: {usage}", usage=self._usage(t)
                )
            ]
        if routes:
            entries = ", ".join(f"telegram.routes[{n}]" for n in routes)
            lines.append(t.gettext("The config also sends {entries} here.", entries=entries))
        if closed is not None:
            lines.append(
                t.gettext(
                    "Alerts here are suspended: Telegram refused to post into this topic. "
                    "Type {command} here to restart them.",
                    command=t.gettext(HERE_ARGUMENTS),
                )
            )
        return "\n".join(lines)

    @staticmethod
    def _usage(t: Translator) -> str:
        return t.gettext(
            USAGE,
            command=t.gettext(HERE_ARGUMENTS),
            example="/here culture education",
            off="/here off",
        )

    def _label(self, t: Translator, sector: str) -> str:
        return self.commands.choices.label(Choice("sector", sector), t)

    async def _reply(self, update: Update, text: str) -> None:
        """Answer in the chat's language, into the topic the command came from."""
        await self.commands._reply(update, None, text)
