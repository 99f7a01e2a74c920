"""Source health: failure counters, threshold events, validators saved only after clean runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from icesco_watch.models import CrawlResult, SourceReport
from icesco_watch.store.health import (
    FAILING,
    RECOVERED,
    newest_change,
    record_run,
    source_state,
)
from icesco_watch.store.schema import open_store, runs
from tests.stores import store_url

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(store_url(tmp_path))


def _run(
    engine: Engine, error: str | None = None, etag: str | None = None, not_modified: bool = False
) -> str | None:
    result = CrawlResult("src", etag=etag, not_modified=not_modified)
    if error:
        result.fail(error, fatal=True)
    report = SourceReport(
        "src", T0, T0, errors=list(result.errors), fatal=result.fatal, not_modified=not_modified
    )
    with engine.begin() as conn:
        return record_run(
            conn, report, result, failure_threshold=3, baseline_complete=not report.failed
        )


def test_failures_count_up_alert_once_and_recover(engine: Engine) -> None:
    events = [_run(engine, error=f"listing answered HTTP 500 ({n})") for n in range(5)]
    assert events == [None, None, FAILING, None, None]
    with engine.connect() as conn:
        state = source_state(conn, "src")
    assert state.consecutive_failures == 5
    assert state.last_error == "listing answered HTTP 500 (4)"
    assert not state.baseline_done
    assert _run(engine, etag='"v1"') == RECOVERED
    assert _run(engine, etag='"v1"') is None
    with engine.connect() as conn:
        state = source_state(conn, "src")
        assert conn.scalar(select(func.count()).select_from(runs)) == 7  # one row per cycle
    assert (state.consecutive_failures, state.last_error, state.baseline_done) == (0, None, True)


def test_validators_are_kept_on_failure_and_on_304(engine: Engine) -> None:
    _run(engine, etag='"v1"')
    _run(engine, error="article x failed", etag='"v2"')
    _run(engine, not_modified=True)
    with engine.connect() as conn:
        assert source_state(conn, "src").etag == '"v1"'
    _run(engine, etag='"v3"')
    with engine.connect() as conn:
        assert source_state(conn, "src").etag == '"v3"'


def test_the_runs_log_keeps_each_sources_newest_runs_only(engine: Engine) -> None:
    def record(source: str, n: int) -> None:
        result = CrawlResult(source)
        report = SourceReport(source, T0, T0.replace(minute=n))
        with engine.begin() as conn:
            record_run(conn, report, result, 3, baseline_complete=True, runs_kept=3)

    for n in range(5):
        record("src", n)
    record("other", 0)
    with engine.connect() as conn:
        kept = conn.execute(select(runs.c.source, runs.c.finished_at).order_by(runs.c.id)).all()
    minutes = [finished.minute for source, finished in kept if source == "src"]
    assert minutes == [2, 3, 4]  # the newest three, in order
    assert [source for source, _ in kept].count("other") == 1  # another source's log untouched


def test_newest_change_is_the_last_run_that_stored_something(engine: Engine) -> None:
    """What an instance that does not crawl watches: runs that stored nothing (a 304, a failure)
    do not count; `after` leaves out what it has already shown."""
    assert newest_change_of(engine) is None
    _run(engine, not_modified=True)
    _run(engine, error="listing answered HTTP 500")
    assert newest_change_of(engine) is None
    report = SourceReport("src", T0, T0, new=["icesco.org/en/2026/11/22/a"])
    with engine.begin() as conn:
        record_run(conn, report, CrawlResult("src"), 3, baseline_complete=True)
        changed = conn.scalar(select(func.max(runs.c.id)))
    _run(engine, not_modified=True)
    assert newest_change_of(engine) == changed
    assert newest_change_of(engine, after=changed) is None


def newest_change_of(engine: Engine, after: int = 0) -> int | None:
    with engine.connect() as conn:
        return newest_change(conn, after)
