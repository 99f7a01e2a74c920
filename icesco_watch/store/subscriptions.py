"""Telegram chats and what they subscribe to: registration, language, pause, and subscriptions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import Connection, delete, insert, select, update

from icesco_watch.store.schema import chats, subscriptions
from icesco_watch.tagging.text import phrase_key
from icesco_watch.tagging.topics import clean_keyword, keyword_problem

Kind = Literal["all", "sector", "topic", "keyword"]
KINDS: tuple[str, ...] = get_args(Kind)
LANGS = ("en", "ar", "fr")
KEYWORDS_PER_CHAT = 50
# Quotes typed around a keyword (`/watch "cultural heritage"`): not part of it.
KEYWORD_QUOTES = "\"'\u201c\u201d\u00ab\u00bb\u2018\u2019\u201e"


@dataclass(frozen=True, slots=True)
class Chat:
    """A chat the bot talks to (a person, a group, or a channel of the config's routes)."""

    chat: str
    lang: str | None
    paused: bool
    active: bool
    mode: str
    created: datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    chat: str
    kind: str
    value: str


class SubscriptionError(ValueError):
    """A subscription the user asked for cannot exist; the message says why, for the user, and
    `reason` names the rule (the bot translates by it: notifiers/telegram/reasons.py)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def normalize_value(kind: str, value: str) -> str:
    """The stored form of a subscription value; raises SubscriptionError when it is invalid."""
    if kind not in KINDS:
        message = f"unknown kind {kind!r}; use one of {', '.join(KINDS)}"
        raise SubscriptionError(message, "unknown-kind")
    flat = " ".join(value.split())
    if kind == "all":
        return ""
    if kind == "keyword":
        flat = clean_keyword(value).strip(KEYWORD_QUOTES + " ")
        if not flat:
            raise SubscriptionError("a keyword cannot be empty", "empty-keyword")
        problem = keyword_problem(flat)
        if problem:
            raise SubscriptionError(problem.text, problem.code)
        return flat
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", flat):
        raise SubscriptionError(f"{value!r} is not a {kind} key", "not-a-key")
    return flat


def upsert_chat(conn: Connection, chat: str, now: datetime) -> tuple[Chat, bool]:
    """Register `chat` (on /start), or reactivate it; returns the chat and whether it is new."""
    existing = get_chat(conn, chat)
    if existing is None:
        conn.execute(insert(chats).values(chat=chat, paused=False, active=True, created=now))
    elif not existing.active:
        conn.execute(update(chats).where(chats.c.chat == chat).values(active=True))
    found = get_chat(conn, chat)
    assert found is not None
    return found, existing is None


def get_chat(conn: Connection, chat: str) -> Chat | None:
    row = conn.execute(select(chats).where(chats.c.chat == chat)).first()
    return None if row is None else _chat(row._mapping)


def _ensure(conn: Connection, chat: str, now: datetime) -> None:
    if get_chat(conn, chat) is None:
        conn.execute(insert(chats).values(chat=chat, paused=False, active=True, created=now))


def set_lang(conn: Connection, chat: str, lang: str | None, now: datetime) -> None:
    """Only items in `lang` from now on (None: every language)."""
    if lang is not None and lang not in LANGS:
        message = f"unknown language {lang!r}; use one of {', '.join(LANGS)}"
        raise SubscriptionError(message, "unknown-language")
    _ensure(conn, chat, now)
    conn.execute(update(chats).where(chats.c.chat == chat).values(lang=lang))


def set_paused(conn: Connection, chat: str, paused: bool, now: datetime) -> None:
    """A paused chat gets no new deliveries (nothing is queued for it while paused)."""
    _ensure(conn, chat, now)
    conn.execute(update(chats).where(chats.c.chat == chat).values(paused=paused))


def set_active(conn: Connection, chat: str, active: bool, now: datetime) -> None:
    """Inactive: Telegram refused us (blocked, kicked); a route's channel gets a row here too."""
    _ensure(conn, chat, now)
    conn.execute(update(chats).where(chats.c.chat == chat).values(active=active))


def add_subscription(conn: Connection, chat: str, kind: str, value: str = "") -> bool:
    """Subscribe; returns False when the chat already had it. Raises SubscriptionError."""
    if kind == "keyword":
        return add_keyword(conn, chat, value)[1]
    stored = normalize_value(kind, value)
    if _has(conn, chat, kind, stored):
        return False
    conn.execute(insert(subscriptions).values(chat=chat, kind=kind, value=stored))
    return True


def remove_subscription(conn: Connection, chat: str, kind: str, value: str = "") -> bool:
    """Unsubscribe; returns False when there was nothing to remove."""
    if kind == "keyword":
        return bool(remove_keyword(conn, chat, value))
    stored = normalize_value(kind, value)
    result = conn.execute(
        delete(subscriptions).where(
            subscriptions.c.chat == chat,
            subscriptions.c.kind == kind,
            subscriptions.c.value == stored,
        )
    )
    return bool(result.rowcount)


def add_keyword(conn: Connection, chat: str, typed: str) -> tuple[str, bool]:
    """Watch `typed`; returns the keyword as the chat watches it (the spelling already stored
    when it watched the same keyword, `watched_as`) and whether it was added."""
    stored = normalize_value("keyword", typed)
    same = watched_as(conn, chat, stored)
    if same:
        return same[0], False
    count = len([s for s in list_subscriptions(conn, chat) if s.kind == "keyword"])
    if count >= KEYWORDS_PER_CHAT:
        message = f"at most {KEYWORDS_PER_CHAT} keywords per chat"
        raise SubscriptionError(message, "too-many-keywords")
    conn.execute(insert(subscriptions).values(chat=chat, kind="keyword", value=stored))
    return stored, True


def remove_keyword(conn: Connection, chat: str, typed: str) -> list[str]:
    """Stop watching `typed`: every stored keyword that is the same keyword goes (a store may
    hold several from before keywords were compared this way); returns their spellings."""
    same = watched_as(conn, chat, normalize_value("keyword", typed))
    if same:
        conn.execute(
            delete(subscriptions).where(
                subscriptions.c.chat == chat,
                subscriptions.c.kind == "keyword",
                subscriptions.c.value.in_(same),
            )
        )
    return same


def watched_as(conn: Connection, chat: str, keyword: str) -> list[str]:
    """The chat's stored keywords that are `keyword`: the same whatever their case, accents,
    Arabic spelling variants and clitics or regular singular and plural (`phrase_key`)."""
    key = phrase_key(keyword)
    found = list_subscriptions(conn, chat)
    return [s.value for s in found if s.kind == "keyword" and phrase_key(s.value) == key]


def remove_all_subscriptions(conn: Connection, chat: str) -> int:
    return conn.execute(delete(subscriptions).where(subscriptions.c.chat == chat)).rowcount


def list_subscriptions(conn: Connection, chat: str) -> list[Subscription]:
    """The chat's subscriptions, in a stable order (kind, then value)."""
    query = (
        select(subscriptions.c.chat, subscriptions.c.kind, subscriptions.c.value)
        .where(subscriptions.c.chat == chat)
        .order_by(subscriptions.c.kind, subscriptions.c.value)
    )
    return [Subscription(r.chat, r.kind, r.value) for r in conn.execute(query)]


def _has(conn: Connection, chat: str, kind: str, value: str) -> bool:
    query = select(subscriptions.c.id).where(
        subscriptions.c.chat == chat, subscriptions.c.kind == kind, subscriptions.c.value == value
    )
    return conn.execute(query).first() is not None


def _chat(row: Any) -> Chat:
    return Chat(
        chat=row["chat"],
        lang=row["lang"],
        paused=bool(row["paused"]),
        active=bool(row["active"]),
        mode=row["mode"],
        created=row["created"],
    )
