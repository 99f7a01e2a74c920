"""The notices queue: queued with the transaction that records the event (both or neither),
claimed by one sender at a time, free again when a claim's lease runs out, counted by status."""

from __future__ import annotations

import html
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from icesco_watch.store.notices import (
    claim_notices,
    enqueue_notices,
    get_notices,
    health_text,
    notice_counts,
)
from icesco_watch.store.outbox import claim_deliveries, mark_failed, mark_sent, release_claims
from icesco_watch.store.schema import notices, open_store
from tests.store.test_outbox import make_settings, news, store_and_enqueue, subscribe
from tests.stores import POSTGRES, store_url

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def test_notices_are_queued_with_their_transaction_or_not_at_all(tmp_path: Path) -> None:
    engine = open_store(store_url(tmp_path))
    with engine.connect() as conn, conn.begin() as transaction:
        enqueue_notices(conn, ["-1", "-2"], "icesco-ar", "failing", ["HTTP 500"], NOW)
        transaction.rollback()  # the cycle's transaction failed: the event is not recorded
    with engine.begin() as conn:
        assert get_notices(conn) == []
        added = enqueue_notices(conn, ["-1", "-2", "-1"], "icesco-ar", "failing", ["x<"], NOW)
    assert added == 2  # a chat named twice gets one
    with engine.connect() as conn:
        found = get_notices(conn)
    assert [(n.chat, n.status, n.attempts) for n in found] == [
        ("-1", "pending", 0),
        ("-2", "pending", 0),
    ]
    assert found[0].text == "<b>icesco-watch: source icesco-ar is failing</b>: x&lt;"
    assert health_text("s", "recovered", []) == "<b>icesco-watch: source s is recovered</b>"


def test_a_huge_hostile_error_gives_a_short_notice_with_whole_entities() -> None:
    """An error line is scraped text: cut before it is escaped, so the notice stays under
    Telegram's 4096 characters and never ends inside "&amp;" (Telegram refuses broken HTML)."""
    text = health_text("icesco-fr", "failing", ["<&>" * 3000])
    assert len(text) < 4096
    body = text.removeprefix("<b>icesco-watch: source icesco-fr is failing</b>: ")
    assert body == html.escape("<&>" * 3000)[: len(body)]
    assert body.endswith(("&lt;", "&amp;", "&gt;"))


def test_one_sender_holds_a_notice_until_its_lease_runs_out(tmp_path: Path) -> None:
    engine = open_store(store_url(tmp_path))
    with engine.begin() as conn:
        enqueue_notices(conn, ["-1"], "icesco-ar", "failing", [], NOW)
    with engine.begin() as conn:
        [held] = claim_notices(conn, "a", NOW, lease=LEASE)
    with engine.begin() as conn:
        assert claim_notices(conn, "b", NOW + LEASE / 2, lease=LEASE) == []
    with engine.begin() as conn:  # "a" died: its claim ran out
        [taken] = claim_notices(conn, "b", NOW + LEASE, lease=LEASE)
    assert taken.id == held.id
    with engine.begin() as conn:
        assert release_claims(conn, "a", table=notices) == 0  # no longer a's to give back
        mark_sent(conn, [taken.id], 77, NOW + LEASE, table=notices)
        mark_failed(conn, [taken.id], "late answer", table=notices)  # a final state stays
        assert claim_notices(conn, "c", NOW + LEASE * 3, lease=LEASE) == []
        counts = notice_counts(conn)
        [sent] = get_notices(conn)
    assert counts == {"pending": 0, "sent": 1, "failed": 0, "skipped": 0}
    assert (sent.status, sent.message_id, sent.last_error) == ("sent", 77, None)


def test_a_chat_waiting_for_a_retry_gets_no_newer_notice_meanwhile(tmp_path: Path) -> None:
    engine = open_store(store_url(tmp_path))
    with engine.begin() as conn:
        enqueue_notices(conn, ["-1"], "icesco-ar", "failing", [], NOW)
        enqueue_notices(
            conn, ["-1", "-2"], "icesco-ar", "recovered", [], NOW + timedelta(seconds=1)
        )
        conn.execute(notices.update().where(notices.c.id == 1).values(next_attempt_at=NOW + LEASE))
    with engine.begin() as conn:
        claimed = claim_notices(conn, "a", NOW + timedelta(minutes=1), lease=LEASE)
    # "recovered" never overtakes "failing" in chat -1; chat -2 is not held back.
    assert [(n.chat, n.event) for n in claimed] == [("-2", "recovered")]


@pytest.mark.skipif(not POSTGRES, reason="concurrent claimers need PostgreSQL's row locks")
def test_concurrent_instances_never_claim_one_notice_twice(tmp_path: Path) -> None:
    engine = open_store(store_url(tmp_path))
    with engine.begin() as conn:
        enqueue_notices(conn, [str(-n) for n in range(1, 41)], "icesco-ar", "failing", [], NOW)
    claimed: dict[str, list[int]] = {}
    start = threading.Barrier(4)

    def claim(owner: str) -> None:
        start.wait()
        with engine.begin() as conn:
            claimed[owner] = [n.id for n in claim_notices(conn, owner, NOW, 15, LEASE)]

    threads = [threading.Thread(target=claim, args=(f"S{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == len(set(every)) > 0


def test_a_chat_one_sender_holds_in_either_queue_is_left_to_it(tmp_path: Path) -> None:
    """An admin chat that also receives alerts: while one sender holds its notice, another
    sender claims none of its alerts (and the other way round), or both would write to the chat
    at once; other chats are not held back."""
    engine = open_store(store_url(tmp_path))
    for chat in ("-1", "2"):
        subscribe(engine, chat, "all")
    store_and_enqueue(engine, [news("a")], make_settings())
    with engine.begin() as conn:
        enqueue_notices(conn, ["-1"], "icesco-ar", "failing", ["HTTP 500"], NOW)
    with engine.begin() as conn:
        assert [n.chat for n in claim_notices(conn, "theirs", NOW, lease=LEASE)] == ["-1"]
    with engine.begin() as conn:
        mine = claim_deliveries(conn, "mine", NOW, lease=LEASE)
    assert [d.delivery.chat for d in mine] == ["2"]
    with engine.begin() as conn:
        release_claims(conn, "theirs", table=notices)
        release_claims(conn, "mine")
        assert len(claim_deliveries(conn, "mine", NOW, lease=LEASE)) == 2  # -1's now, and 2's
    with engine.begin() as conn:
        assert claim_notices(conn, "theirs", NOW, lease=LEASE) == []  # "mine" holds -1's alert
