"""Which language the bot speaks to each chat (`chats.ui_lang`): read, set, and first contact.

Apart from `chats.lang`, the news languages a chat receives (`/lang`). NULL means not known
yet: the first command of a registered chat stores the language its sender's Telegram uses.
Which languages exist and how a Telegram language maps to one is `notifiers/telegram/i18n.py`'s
decision; this module only keeps it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from icesco_watch.store.schema import chats


def get_ui_lang(conn: Connection, chat: str) -> str | None:
    """The chat's interface language, or None (not registered, or not known yet)."""
    return conn.execute(select(chats.c.ui_lang).where(chats.c.chat == chat)).scalar()


def set_ui_lang(conn: Connection, chat: str, lang: str, now: datetime) -> None:
    """Speak `lang` (a language i18n knows) to `chat` from now on (registering a new chat)."""
    found = conn.execute(update(chats).where(chats.c.chat == chat).values(ui_lang=lang))
    if not found.rowcount:
        conn.execute(
            insert(chats).values(chat=chat, paused=False, active=True, created=now, ui_lang=lang)
        )


def ui_lang_on_contact(conn: Connection, chat: str, guessed: str) -> str:
    """The chat's interface language: the stored one, else `guessed` (from the sender's
    Telegram language), stored when the chat is registered so it sticks from then on."""
    row = conn.execute(select(chats.c.chat, chats.c.ui_lang).where(chats.c.chat == chat)).first()
    if row is not None and row.ui_lang is not None:
        return str(row.ui_lang)
    if row is not None:
        conn.execute(update(chats).where(chats.c.chat == chat).values(ui_lang=guessed))
    return guessed
