"""Forum topics in the store: the outbox keyed by (item, chat, thread), /here sectors, closed
topics muting their routes, and migration 0008 carrying an existing outbox over."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from icesco_watch.store.engine import create_store_engine
from icesco_watch.store.items import record_items
from icesco_watch.store.migrate import head_revision, upgrade
from icesco_watch.store.outbox import enqueue_deliveries, get_deliveries
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import set_lang, set_paused, upsert_chat
from icesco_watch.store.topics import (
    clear_topic,
    close_topic,
    list_closed_topics,
    reopen_topic,
    sectors_of_topic,
    set_topic_sectors,
)
from tests.store.test_outbox import NOW, make_settings, news
from tests.stores import store_url

GROUP = "-100200"


def test_one_item_reaches_each_topic_of_a_group_once(tmp_path: Path) -> None:
    settings = make_settings(
        routes=[
            {"chat": GROUP, "thread": 5, "sectors": ["culture"]},
            {"chat": GROUP, "thread": 5, "langs": ["en"]},  # the same topic again: still once
            {"chat": GROUP, "sectors": ["culture"]},
        ]
    )
    engine = open_store(store_url(tmp_path))
    item = news("museum", sectors=("culture",))
    with engine.begin() as conn:
        record_items(conn, [item], [], NOW, settings.alerts, baseline=False)
        set_topic_sectors(conn, GROUP, 9, ["culture", "science"])
        assert enqueue_deliveries(conn, [item], settings, NOW) == 3
        assert enqueue_deliveries(conn, [item], settings, NOW) == 0
        found = sorted((d.chat, d.thread or 0) for d in get_deliveries(conn))
    assert found == [(GROUP, 0), (GROUP, 5), (GROUP, 9)]


def test_here_sectors_follow_the_groups_language_and_pause(tmp_path: Path) -> None:
    settings = make_settings()
    engine = open_store(store_url(tmp_path))
    english, french = (
        news("en-art", sectors=("culture",)),
        news("fr-art", "fr", sectors=("culture",)),
    )
    with engine.begin() as conn:
        record_items(conn, [english, french], [], NOW, settings.alerts, baseline=False)
        set_topic_sectors(conn, GROUP, 3, ["culture", "culture"])
        set_topic_sectors(conn, GROUP, 4, ["education"])
        assert sectors_of_topic(conn, GROUP, 3) == ["culture"]
        upsert_chat(conn, GROUP, NOW)
        set_lang(conn, GROUP, "fr", NOW)
        assert enqueue_deliveries(conn, [english, french], settings, NOW) == 1
        [delivery] = get_deliveries(conn)
        assert (delivery.item_key, delivery.thread) == (french.key, 3)
        set_paused(conn, GROUP, True, NOW)
        later = news("fr-later", "fr", sectors=("culture",))
        record_items(conn, [later], [], NOW, settings.alerts, baseline=False)
        assert enqueue_deliveries(conn, [later], settings, NOW) == 0
        assert clear_topic(conn, GROUP, 3) == 1
        assert sectors_of_topic(conn, GROUP, 3) == []


def test_a_closed_topic_is_recorded_once_and_mutes_its_routes(tmp_path: Path) -> None:
    settings = make_settings(routes=[{"chat": GROUP, "thread": 5, "sectors": ["culture"]}])
    engine = open_store(store_url(tmp_path))
    first, second = news("a", sectors=("culture",)), news("b", sectors=("culture",))
    with engine.begin() as conn:
        record_items(conn, [first, second], [], NOW, settings.alerts, baseline=False)
        assert enqueue_deliveries(conn, [first, second], settings, NOW) == 2
        ids = [d.id for d in get_deliveries(conn)]
        assert close_topic(conn, GROUP, 5, ids[:1], "TOPIC_CLOSED", NOW) == (True, 1)
        assert close_topic(conn, GROUP, 5, [], "TOPIC_CLOSED", NOW) == (False, 0)
        assert [(d.status, d.last_error) for d in get_deliveries(conn)] == [
            ("failed", "TOPIC_CLOSED"),
            ("skipped", "TOPIC_CLOSED"),
        ]
        assert [(t.chat, t.thread) for t in list_closed_topics(conn)] == [(GROUP, 5)]
        third = news("c", sectors=("culture",))
        record_items(conn, [third], [], NOW, settings.alerts, baseline=False)
        assert enqueue_deliveries(conn, [third], settings, NOW) == 0
        assert reopen_topic(conn, GROUP, 5)
        assert enqueue_deliveries(conn, [third], settings, NOW) == 1


def test_migration_0008_keeps_the_outbox_and_widens_its_key(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    engine = create_store_engine(url)
    upgrade(engine, "0006")
    settings = make_settings(routes=[{"chat": GROUP, "thread": 5}, {"chat": GROUP}])
    item = news("kept")
    with engine.begin() as conn:
        record_items(conn, [item], [], NOW, settings.alerts, baseline=False)
        # As revision 0006 wrote it: no thread column yet.
        conn.execute(
            text(
                "INSERT INTO deliveries (item_key, chat, status, attempts, unconfirmed, "
                "next_attempt_at, created_at) VALUES (:key, :chat, 'pending', 0, 0, :now, :now)"
            ),
            {"key": item.key, "chat": GROUP, "now": NOW.replace(tzinfo=None)},
        )
    assert upgrade(engine) == ("0006", head_revision())
    with engine.begin() as conn:
        [kept] = get_deliveries(conn)
        assert (kept.chat, kept.thread, kept.status) == (GROUP, None, "pending")
        # The old row holds (item, group); the same item can now go to a topic of the group.
        assert enqueue_deliveries(conn, [item], settings, NOW) == 1
        assert sorted(d.thread or 0 for d in get_deliveries(conn)) == [0, 5]
    engine.dispose()
    open_store(url).dispose()  # the store is current: the service accepts it
