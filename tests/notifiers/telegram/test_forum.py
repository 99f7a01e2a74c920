"""Alerts into forum topics: a route's `thread`, and a topic Telegram closed or deleted (one
failed call, one admin notice, the other topics still served). Real PTB, the fake Bot API."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from telegram.error import BadRequest

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.i18n import FSI, PDI
from icesco_watch.notifiers.telegram.outcomes import Backoff, DrainReport, Message, judge
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.notifiers.telegram.status import store_status
from icesco_watch.store.chat_language import set_ui_lang
from icesco_watch.store.schema import open_store
from icesco_watch.store.topics import get_closed_topic
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import (
    NOW,
    bot_for,
    deliveries,
    make_settings,
    news,
    store_new,
)

GROUP, ADMIN = -100777, -100999
QUICK = Backoff(base=0.1, cap=0.5, max_attempts=6)


def drain(settings: Settings, engine: Engine) -> DrainReport:
    """Deliver until nothing is pending (retries included), within a minute."""

    async def run() -> DrainReport:
        async with bot_for(settings) as bot:
            return await Sender(settings, engine, bot, QUICK).drain(time.monotonic() + 60)

    return asyncio.run(run())


def headlines(api: FakeBotApi, thread: int | None) -> list[str]:
    return [m.plain.split("\n", 1)[0] for m in api.messages_in(GROUP, thread)]


def posts_into(api: FakeBotApi, thread: int) -> list[int]:
    """The HTTP status of every sendMessage aimed at `thread` of the group."""
    return [
        call.status
        for call in api.calls
        if call.method == "sendMessage"
        and call.params.get("chat_id") == GROUP
        and call.params.get("message_thread_id") == thread
    ]


def test_a_route_with_a_thread_posts_into_that_topic(tmp_path: Path, api: FakeBotApi) -> None:
    culture, education = api.open_topic(GROUP), api.open_topic(GROUP)
    routes = [
        {"chat": str(GROUP), "thread": culture, "sectors": ["culture"]},
        {"chat": str(GROUP), "thread": education, "sectors": ["education"]},
        {"chat": str(GROUP), "sectors": ["culture"]},  # the group itself: its General topic
    ]
    settings = make_settings(tmp_path, api, routes=routes)
    engine = open_store(settings.storage.url)
    found = [
        news("museum", minutes_ago=30, sectors=("culture",)),
        news("schools", minutes_ago=20, sectors=("education",)),
        news("both", minutes_ago=10, sectors=("culture", "education")),
    ]
    # Once to each (chat, thread): museum twice, schools once, both three times.
    assert store_new(engine, settings, found) == 6
    assert store_new(engine, settings, found) == 0  # the same items again add nothing
    report = drain(settings, engine)
    assert (report.sent, report.pending, report.failed) == (6, 0, 0)
    assert headlines(api, culture) == ["Headline museum", "Headline both"]
    assert headlines(api, education) == ["Headline schools", "Headline both"]
    assert headlines(api, None) == ["Headline museum", "Headline both"]
    threads = sorted((d.item_key.rsplit("/", 1)[1], d.thread or 0) for d in deliveries(engine))
    assert threads == sorted(
        [
            ("museum", culture),
            ("museum", 0),
            ("schools", education),
            ("both", culture),
            ("both", education),
            ("both", 0),
        ]
    )


def test_a_backlog_for_a_topic_is_digested_into_that_topic(tmp_path: Path, api: FakeBotApi) -> None:
    culture = api.open_topic(GROUP)
    routes = [
        {"chat": str(GROUP), "thread": culture, "sectors": ["culture"]},
        {"chat": str(GROUP), "sectors": ["education"]},
    ]
    settings = make_settings(tmp_path, api, routes=routes, digest_after=2)
    engine = open_store(settings.storage.url)
    found = [news(f"art-{n}", minutes_ago=60 - n, sectors=("culture",)) for n in range(4)]
    found.append(news("lessons", minutes_ago=5, sectors=("education",)))
    assert store_new(engine, settings, found) == 5
    report = drain(settings, engine)
    assert (report.sent, report.digests) == (5, 1)
    [digest] = api.messages_in(GROUP, culture)  # the topic's 4 items, one message, in the topic
    assert all(f"Headline art-{n}" in digest.plain for n in range(4))
    assert "lessons" not in digest.plain  # a digest never mixes two topics
    assert headlines(api, None) == ["Headline lessons"]


@pytest.mark.parametrize("gone", ["closed", "deleted"])
def test_a_closed_topic_costs_one_call_and_one_notice(
    tmp_path: Path, api: FakeBotApi, gone: str
) -> None:
    culture, education = api.open_topic(GROUP), api.open_topic(GROUP)
    routes = [
        {"chat": str(GROUP), "thread": culture, "sectors": ["culture"]},
        {"chat": str(GROUP), "thread": education, "sectors": ["education"]},
    ]
    settings = make_settings(tmp_path, api, routes=routes, admin_chats=[str(ADMIN)])
    engine = open_store(settings.storage.url)
    (api.close_topic if gone == "closed" else api.delete_topic)(GROUP, culture)
    found = [news(f"art-{n}", minutes_ago=50 - n, sectors=("culture",)) for n in range(3)]
    found.append(news("lessons", minutes_ago=5, sectors=("education",)))
    assert store_new(engine, settings, found) == 4

    report = drain(settings, engine)
    assert posts_into(api, culture) == [400]  # one call, not one per queued alert
    assert (report.failed, report.skipped, report.pending) == (1, 2, 0)
    assert report.closed_topics == [(str(GROUP), culture)]
    assert headlines(api, education) == ["Headline lessons"]  # the other topic is served
    [notice] = api.messages_in(GROUP, None)  # into the group's General topic, once
    assert f"Alerts to forum topic {culture} of chat {GROUP}" in notice.plain
    assert "/here" in notice.plain
    assert "telegram.routes[0]" in notice.plain
    assert "thread" in notice.plain
    assert api.messages_to(ADMIN) == []  # the group took the notice: no fallback needed
    for delivery in deliveries(engine):
        if delivery.thread == culture:
            assert delivery.status in ("failed", "skipped"), delivery
            assert f"forum topic {culture}" in (delivery.last_error or ""), delivery
            assert "/here" in (delivery.last_error or ""), delivery

    # Later cycles: nothing is queued for the suspended topic, so nothing is tried or told.
    later = [news("gallery", sectors=("culture",)), news("exams", sectors=("education",))]
    assert store_new(engine, settings, later) == 1
    drain(settings, engine)
    assert posts_into(api, culture) == [400]
    assert len(api.messages_in(GROUP, None)) == 1
    assert headlines(api, education) == ["Headline lessons", "Headline exams"]
    with engine.connect() as conn:
        closed = get_closed_topic(conn, str(GROUP), culture)
    assert closed is not None
    expected = "TOPIC_CLOSED" if gone == "closed" else "thread not found"
    assert expected.casefold() in closed.reason.casefold()
    assert f"forum topic {culture} of {GROUP} suspended since" in store_status(
        engine, settings
    )  # /status


def test_the_notice_goes_to_the_admin_chats_when_the_group_refuses_it(
    tmp_path: Path, api: FakeBotApi
) -> None:
    culture = api.open_topic(GROUP)
    routes = [{"chat": str(GROUP), "thread": culture, "sectors": ["culture"]}]
    settings = make_settings(tmp_path, api, routes=routes, admin_chats=[str(ADMIN)])
    engine = open_store(settings.storage.url)
    api.close_topic(GROUP, culture)
    api.close_general(GROUP)  # admins closed General too: the group takes nothing
    store_new(engine, settings, [news("art", sectors=("culture",))])
    drain(settings, engine)
    assert posts_into(api, culture) == [400]
    assert api.messages_to(GROUP) == []
    [notice] = api.messages_to(ADMIN)
    assert f"Alerts to forum topic {culture} of chat {GROUP} have stopped" in notice.plain


@pytest.mark.parametrize(
    ("lang", "refused", "argument"),
    [
        ("fr", "Telegram a refusé d'y publier : le sujet est fermé ou a été supprimé.", "secteur…"),
        ("ar", "رفض تيليغرام النشر فيه: الموضوع مغلق أو محذوف.", "قطاع…"),
    ],
    ids=["fr", "ar"],
)
def test_the_notice_speaks_the_groups_language_not_telegrams(
    tmp_path: Path, api: FakeBotApi, lang: str, refused: str, argument: str
) -> None:
    # The notice showed "BadRequest: Topic_closed" and the English "/here <sectors…>".
    culture = api.open_topic(GROUP)
    routes = [{"chat": str(GROUP), "thread": culture, "sectors": ["culture"]}]
    settings = make_settings(tmp_path, api, routes=routes)
    engine = open_store(settings.storage.url)
    with engine.begin() as conn:
        set_ui_lang(conn, str(GROUP), lang, NOW)
    api.close_topic(GROUP, culture)
    store_new(engine, settings, [news("art", sectors=("culture",))])
    drain(settings, engine)
    [notice] = api.messages_in(GROUP, None)
    shown = notice.plain.replace(FSI, "").replace(PDI, "")  # Arabic isolates "/here"
    assert refused in shown
    assert f"/here <{argument}>" in shown
    assert "topic_closed" not in shown.casefold()
    assert "sector" not in shown
    with engine.connect() as conn:
        closed = get_closed_topic(conn, str(GROUP), culture)
    assert closed is not None
    assert "topic_closed" in closed.reason.casefold()  # Telegram's words stay for the admins


@pytest.mark.parametrize(
    ("thread", "description", "kind"),
    [
        (7, "Bad Request: TOPIC_CLOSED", "topic_gone"),
        (7, "Bad Request: TOPIC_DELETED", "topic_gone"),
        (7, "Bad Request: message thread not found", "topic_gone"),
        (7, "Bad Request: can't parse entities", "refused"),  # the HTML, not the topic
        (None, "Bad Request: TOPIC_CLOSED", "refused"),  # General closed: no topic to suspend
    ],
)
def test_which_refusals_mean_the_topic_is_gone(
    thread: int | None, description: str, kind: str
) -> None:
    message = Message(str(GROUP), "<b>x</b>", (1,), thread=thread)
    assert judge(message, BadRequest(description), str).kind == kind
