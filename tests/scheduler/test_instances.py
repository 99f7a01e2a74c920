"""The `cycle` lease between instances on one store: renewed while a cycle runs, and free soon
after its holder dies mid-cycle."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from icesco_watch.scheduler.instances import CYCLE, CycleBusy, holder, one_cycle, take
from icesco_watch.store.schema import open_store
from tests.stores import store_url

TTL = timedelta(seconds=3)


def test_a_running_cycle_keeps_its_lease_past_the_time_to_live(tmp_path: Path) -> None:
    engine = open_store(store_url(tmp_path))

    async def scenario() -> None:
        async with one_cycle(engine, "alive", ttl=TTL):
            await asyncio.sleep(2 * TTL.total_seconds())  # renewed meanwhile
            assert not take(engine, CYCLE, "other", TTL)
            with pytest.raises(CycleBusy, match="alive"):
                async with one_cycle(engine, "other", ttl=TTL):
                    pass
        assert holder(engine, CYCLE) is None  # released at the end

    asyncio.run(scenario())


def test_a_holder_killed_mid_cycle_blocks_the_others_for_one_time_to_live(
    tmp_path: Path,
) -> None:
    # A SIGKILLed holder's lease lasted 30 minutes, renewed by nobody: every other instance
    # skipped its cycles, and an admin's /crawl, for that long (a multi-instance probe).
    engine = open_store(store_url(tmp_path))
    assert take(engine, CYCLE, "killed", TTL)  # taken, then never renewed nor released

    async def scenario() -> None:
        with pytest.raises(CycleBusy):
            async with one_cycle(engine, "survivor", ttl=TTL):
                pass
        async with one_cycle(engine, "survivor", wait=3 * TTL.total_seconds(), ttl=TTL):
            assert holder(engine, CYCLE) == "survivor"

    asyncio.run(scenario())
