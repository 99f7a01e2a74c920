"""Forum topics on the bot's side: the topic a command came from, and the admins' notice when a
topic stops receiving alerts (Telegram closed or deleted it).

One notice per closed topic: `close_topic` records the topic once, and only that first record
makes the sender queue a notice. It goes to the group itself, without a thread (its General
topic, which admins see), and if the group refuses it too, to each of `telegram.admin_chats`.
It says which topic, that Telegram refused it (Telegram's own words go to the log line), and
the two ways back: `/here` in a topic, or a route's `thread` in the config. A notice carries
no delivery; a crash before it leaves loses it, and the log line (a warning) and
`closed_topics` in the store remain.
"""

from __future__ import annotations

import html
import logging
from collections import deque
from collections.abc import Sequence

from telegram import Update

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.i18n import Translator, translator
from icesco_watch.notifiers.telegram.menu import HERE_ARGUMENTS
from icesco_watch.notifiers.telegram.outcomes import Message, Verdict

log = logging.getLogger(__name__)


def forum_thread(update: Update) -> int | None:
    """The forum topic the update's message was written in; None outside a topic. A message in
    the General topic, or a reply thread of an ordinary group, has no topic of its own."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or not chat.is_forum or not message.is_topic_message:
        return None
    return message.message_thread_id


def topic_notice(t: Translator, chat: str, thread: int, routes: Sequence[int]) -> str:
    """The notice's text (Telegram HTML) in the group's language (Telegram's own words stay in
    the log). `routes`: the config routes' indexes that name the topic, so the admin knows which
    `[[telegram.routes]]` entry to edit."""
    heading = t.gettext(
        "Alerts to forum topic {thread} of chat {chat} have stopped.",
        thread=thread,
        chat=html.escape(chat),
    )
    here = "<code>" + t.gettext(HERE_ARGUMENTS) + "</code>"
    lines = [
        f"⚠️ <b>{heading}</b>",
        t.gettext("Telegram refused to post there: the topic is closed or was deleted."),
        t.gettext(
            "The alerts queued for it were not sent, and none will be queued for it any more."
        ),
        t.gettext(
            "To receive them again: type {command} in the topic that should get them (reopen "
            "this one, or create a new one).",
            command=here,
        ),
    ]
    if routes:
        entries = ", ".join(f"telegram.routes[{n}]" for n in routes)
        lines.append(
            t.gettext(
                "For the config's {entries}: set its {key} to the new topic.",
                entries=entries,
                key="<code>thread</code>",
            )
        )
    return "\n".join(lines)


def notice_message(
    settings: Settings, chat: str, thread: int, error: str, t: Translator | None = None
) -> Message:
    """The notice as a message to the group (no thread), with the admin chats as fallback."""
    routes = [
        n
        for n, route in enumerate(settings.telegram.routes)
        if route.chat == chat and route.thread == thread
    ]
    log.warning(
        "forum topic closed, its alerts are suspended",
        extra={"fields": {"chat": chat, "thread": thread, "error": error}},
    )
    fallback = tuple(c for c in settings.telegram.admin_chats if c != chat)
    text = topic_notice(t or translator(None), chat, thread, routes)
    return Message(chat, text, (), fallback=fallback)


def drop_closed_topic(
    settings: Settings,
    verdict: Verdict,
    queue: deque[Message],
    newly_closed: bool,
    t: Translator | None = None,
) -> None:
    """A forum topic is closed (`verdict`): what the sender's pass still held for it leaves its
    chat's `queue` (the store has settled it), and the first time, the admins' notice goes
    first in the queue."""
    thread = verdict.message.thread
    kept = [m for m in queue if m.thread != thread]
    queue.clear()
    queue.extend(kept)
    if newly_closed and thread is not None:
        chat = verdict.message.chat
        queue.appendleft(notice_message(settings, chat, thread, verdict.error, t))
