"""Several senders on one outbox: claims keep each delivery with one sender, a dead sender's
claims come back after the lease, and leases give one instance at a time a job to itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.store.chat_schedules import set_schedule
from icesco_watch.store.leases import (
    acquire,
    holder_of,
    is_dead_here,
    release,
    release_dead_here,
)
from icesco_watch.store.outbox import (
    DueDelivery,
    claim_deliveries,
    mark_sent,
    next_due_at,
    release_claims,
    release_dead_claims,
    renew_claims,
)
from icesco_watch.store.schema import open_store
from tests.store.test_outbox import NOW, make_settings, news, store_and_enqueue, subscribe
from tests.stores import POSTGRES, store_url

LEASE = timedelta(minutes=2)


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def _keys(claimed: list[DueDelivery]) -> list[str]:
    return [entry.item.key.rsplit("/", 1)[1] for entry in claimed]


def test_a_claimed_delivery_is_nobody_elses_until_its_lease_ends(store: Engine) -> None:
    subscribe(store, "1", "all")
    subscribe(store, "2", "all")
    store_and_enqueue(store, [news("a"), news("b")], make_settings())
    with store.begin() as conn:
        first = claim_deliveries(conn, "A", NOW, limit=10, lease=LEASE)
    assert len(first) == 4  # two items for two chats
    with store.begin() as conn:
        assert claim_deliveries(conn, "B", NOW, lease=LEASE) == []
        # A's claims are due again when they run out: B sleeps until then, not in a busy loop.
        assert next_due_at(conn) == NOW + LEASE
    with store.begin() as conn:
        taken = claim_deliveries(conn, "B", NOW + LEASE, lease=LEASE)
    assert sorted(entry.delivery.id for entry in taken) == sorted(e.delivery.id for e in first)


def test_renewing_keeps_a_claim_and_a_lost_claim_cannot_be_renewed(store: Engine) -> None:
    subscribe(store, "1", "all")
    store_and_enqueue(store, [news("a"), news("b")], make_settings())
    with store.begin() as conn:
        ids = {entry.delivery.id for entry in claim_deliveries(conn, "A", NOW, lease=LEASE)}
        assert len(ids) == 2
        assert renew_claims(conn, "A", NOW + 2 * LEASE, ids) == ids
    with store.begin() as conn:
        # Renewed: when the first lease would have ended, the deliveries are still A's.
        assert claim_deliveries(conn, "B", NOW + LEASE, lease=LEASE) == []
        taken = claim_deliveries(conn, "B", NOW + 2 * LEASE, lease=LEASE)
        assert {entry.delivery.id for entry in taken} == ids
        # A, slower than its lease, asks before sending: nothing is its own any more.
        assert renew_claims(conn, "A", NOW + 3 * LEASE, ids) == set()
        assert renew_claims(conn, "B", NOW + 3 * LEASE) == ids


def test_a_chat_held_by_one_sender_gets_nothing_newer_from_another(store: Engine) -> None:
    subscribe(store, "1", "all")
    store_and_enqueue(store, [news("a")], make_settings())
    with store.begin() as conn:
        assert _keys(claim_deliveries(conn, "A", NOW, lease=LEASE)) == ["a"]
    store_and_enqueue(store, [news("b")], make_settings())
    with store.begin() as conn:
        assert claim_deliveries(conn, "B", NOW, lease=LEASE) == []
        assert _keys(claim_deliveries(conn, "A", NOW, lease=LEASE)) == ["b"]


def test_released_claims_are_taken_at_once_and_settled_ones_never(store: Engine) -> None:
    subscribe(store, "1", "all")
    subscribe(store, "2", "all")
    store_and_enqueue(store, [news("a")], make_settings())
    with store.begin() as conn:
        held = claim_deliveries(conn, "A", NOW, lease=LEASE)
        mark_sent(conn, [held[0].delivery.id], 7, NOW)
        assert release_claims(conn, "A") == 1
    with store.begin() as conn:
        again = claim_deliveries(conn, "B", NOW, lease=LEASE)
    assert [e.delivery.id for e in again] == [held[1].delivery.id]


@pytest.mark.skipif(not POSTGRES, reason="concurrent claimers need PostgreSQL's row locks")
def test_concurrent_claimers_share_the_queue_without_overlap(store: Engine) -> None:
    for chat in range(40):
        subscribe(store, str(chat), "all")
    store_and_enqueue(store, [news("a"), news("b")], make_settings())
    claimed: dict[str, list[int]] = {}
    start = threading.Barrier(4)

    def claim(owner: str) -> None:
        start.wait()
        with store.begin() as conn:
            claimed[owner] = [e.delivery.id for e in claim_deliveries(conn, owner, NOW, 15, LEASE)]

    threads = [threading.Thread(target=claim, args=(f"S{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == len(set(every)) > 0


def test_a_lease_has_one_holder_until_it_expires_or_is_released(store: Engine) -> None:
    with store.begin() as conn:
        assert acquire(conn, "crawl", "A", NOW, LEASE)
        assert not acquire(conn, "crawl", "B", NOW + LEASE / 2, LEASE)
        assert acquire(conn, "crawl", "A", NOW + LEASE / 2, LEASE)  # renewal
        assert holder_of(conn, "crawl", NOW + LEASE) == "A"
        assert not acquire(conn, "crawl", "B", NOW + LEASE, LEASE)
        assert acquire(conn, "crawl", "B", NOW + LEASE * 2, LEASE)  # A died: taken over
        release(conn, "crawl", "A")  # a stale holder's release changes nothing
        assert holder_of(conn, "crawl", NOW + LEASE * 2) == "B"
        release(conn, "crawl", "B")
        assert holder_of(conn, "crawl", NOW + LEASE * 2) is None
        assert acquire(conn, "crawl", "C", NOW + LEASE * 2, LEASE)


def test_a_crashed_process_of_this_machine_frees_its_claims_and_leases_at_once(
    store: Engine,
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    crashed = f"{socket.gethostname()}:{dead.pid}:0badf00d"
    alive = f"{socket.gethostname()}:{os.getpid()}:00c0ffee"
    elsewhere = f"other-host:{dead.pid}:0badf00d"
    assert is_dead_here(crashed)
    assert not is_dead_here(alive)
    assert not is_dead_here(elsewhere)  # another machine's process: only its lease can tell
    subscribe(store, "1", "all")
    subscribe(store, "2", "all")
    subscribe(store, "3", "all")
    store_and_enqueue(store, [news("a")], make_settings())
    with store.begin() as conn:
        claim_deliveries(conn, crashed, NOW, limit=1, lease=LEASE)
        claim_deliveries(conn, alive, NOW, limit=1, lease=LEASE)
        claim_deliveries(conn, elsewhere, NOW, limit=1, lease=LEASE)
        acquire(conn, "crawler", crashed, NOW, LEASE)
        acquire(conn, "cycle", alive, NOW, LEASE)
        assert release_dead_claims(conn, is_dead_here) == 1
        assert release_dead_here(conn) == ["crawler"]
        assert [e.delivery.chat for e in claim_deliveries(conn, "new", NOW, lease=LEASE)] == ["1"]
        assert holder_of(conn, "cycle", NOW) == alive


def test_a_due_digest_is_claimed_whole_past_the_batch_limit(store: Engine) -> None:
    """After a long outage a chat's digest may hold more deliveries than one claim batch: it is
    claimed whole (one digest, not one per batch), while instant chats keep to the limit."""
    subscribe(store, "1", "all")
    subscribe(store, "2", "all")
    with store.begin() as conn:
        set_schedule(conn, "2", "daily 08:00", NOW)
    store_and_enqueue(store, [news(f"n{k}") for k in range(5)], make_settings())
    later = NOW + timedelta(days=3)  # the digest came due while nothing ran
    with store.begin() as conn:
        first = claim_deliveries(conn, "A", later, limit=3, lease=LEASE)
    chats = [entry.delivery.chat for entry in first]
    # Oldest first: the batch of 3 starts both chats; chat 2's digest comes with all 5 items.
    assert chats.count("2") == 5
    assert 1 <= chats.count("1") < 5
    assert all(entry.delivery.digest for entry in first if entry.delivery.chat == "2")
    with store.begin() as conn:
        rest = claim_deliveries(conn, "A", later, limit=3, lease=LEASE)
    assert {entry.delivery.chat for entry in rest} == {"1"}
    assert len(first) + len(rest) == 10
