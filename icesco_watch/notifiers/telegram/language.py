"""A chat's languages: the one the bot speaks (taken from Telegram on first contact, set by
/language), and the news languages it receives (`/lang`, `chats.lang`).

The two are apart: a French speaker may read the Arabic and English news with the bot's replies,
buttons and alert labels in French.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from telegram import Update

from icesco_watch.notifiers.telegram.i18n import (
    LANGUAGE_NAMES,
    UI_LANGS,
    Translator,
    translator,
    ui_lang_for,
)
from icesco_watch.notifiers.telegram.replies import echo
from icesco_watch.store.chat_language import set_ui_lang, ui_lang_on_contact
from icesco_watch.store.subscriptions import LANGS, get_chat, set_lang


def chat_translator(engine: Engine, update: Update) -> Translator:
    """The translator of the update's chat: its stored language, else the sender's Telegram
    language (stored from now on if the chat is registered; a first contact such as /help
    does not register a chat by itself)."""
    user = update.effective_user
    guessed = ui_lang_for(user.language_code if user else None)
    chat = update.effective_chat
    if chat is None:
        return translator(guessed)
    with engine.begin() as conn:
        return translator(ui_lang_on_contact(conn, str(chat.id), guessed))


def language_reply(engine: Engine, update: Update, args: Sequence[str], now: datetime) -> str:
    """/language: the current language and the choices; /language xx: switch (the reply is in
    the new language); anything else: what went wrong and the choices."""
    t = chat_translator(engine, update)
    if not args:
        current = t.gettext("The bot speaks {language} here.", language=LANGUAGE_NAMES[t.locale])
        return current + "\n" + choices(t)
    wanted = args[0].casefold()
    if len(args) > 1 or wanted not in UI_LANGS:
        typed = echo(" ".join(args))
        return t.gettext("I don't know the language “{text}”.", text=typed) + "\n" + choices(t)
    assert update.effective_chat is not None
    with engine.begin() as conn:
        set_ui_lang(conn, str(update.effective_chat.id), wanted, now)
    chosen = translator(wanted)
    # Translators: said in the language just chosen; name your own language.
    return chosen.gettext("The bot now speaks English in this chat.")


def choices(t: Translator) -> str:
    """One line per language: the command that picks it and its own name."""
    lines = [t.gettext("Choose the bot's language:")]
    for lang in UI_LANGS:
        command = f"/language {lang}"
        lines.append(
            t.gettext("{command}: {language}", command=command, language=LANGUAGE_NAMES[lang])
        )
    return "\n".join(lines)


def news_language_reply(engine: Engine, update: Update, args: Sequence[str], now: datetime) -> str:
    """/lang: the news language and the usage; /lang xx (or all): switch; anything else
    (another word, several languages: a chat takes one, or all) what went wrong and the usage."""
    t = chat_translator(engine, update)
    assert update.effective_chat is not None
    chat = str(update.effective_chat.id)
    usage = t.gettext("Usage: /lang en, /lang ar, /lang fr or /lang all.")
    usage += " " + t.gettext("The bot's own language is /language.")
    if not args:
        with engine.connect() as conn:
            state = get_chat(conn, chat)
        current = news_languages(t, state.lang if state else None)
        return t.gettext("News in: {languages}.", languages=current) + "\n" + usage
    wanted = args[0].casefold()
    if len(args) > 1 or wanted not in (*LANGS, "all"):
        typed = echo(" ".join(args))
        return t.gettext("I don't know the language “{text}”.", text=typed) + "\n" + usage
    with engine.begin() as conn:
        set_lang(conn, chat, None if wanted == "all" else wanted, now)
    shown = t.gettext("every language") if wanted == "all" else LANGUAGE_NAMES[wanted]
    return t.gettext("From now on, news in: {languages}.", languages=shown)


def news_languages(t: Translator, lang: str | None) -> str:
    """The news language a chat chose (`chats.lang`; None: all), as /list and /lang show it."""
    return LANGUAGE_NAMES[lang] if lang else t.gettext("all languages")
