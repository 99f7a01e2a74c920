"""Per-source health and the `runs` log: failure counters, validators, channel, baseline state,
and the robots.txt cache the crawls share.

The `runs` log keeps each source's newest `RUNS_KEPT` runs (about two weeks at a poll every ten
minutes): it answers "what happened lately", and a service polling for years must not grow its
store by a row a poll for ever."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from icesco_watch.models import CrawlResult, RobotsEntry, SourceReport
from icesco_watch.store.schema import robots, runs, sources

RUNS_KEPT = 2000
FAILING = "failing"
RECOVERED = "recovered"


@dataclass(frozen=True, slots=True)
class SourceState:
    key: str
    baseline_done: bool = False
    last_run: datetime | None = None
    last_ok: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    channel: str | None = None
    category_id: int | None = None
    validated_url: str | None = None
    last_read: datetime | None = None
    rest_total: int | None = None
    rest_newest_id: int | None = None


def is_failing(state: SourceState, failure_threshold: int, enabled: bool = True) -> bool:
    """Whether `state`'s source is failing: enabled (a disabled or removed source never is) and
    failed `failure_threshold` times in a row. /healthz, `status` and the recovery notice ask
    this one rule; a source under the threshold has failed, but is not failing yet."""
    return enabled and state.consecutive_failures >= failure_threshold


def source_state(conn: Connection, key: str) -> SourceState:
    row = conn.execute(select(sources).where(sources.c.key == key)).first()
    return SourceState(**row._mapping) if row else SourceState(key)


def all_source_states(conn: Connection) -> dict[str, SourceState]:
    return {row.key: SourceState(**row._mapping) for row in conn.execute(select(sources))}


def record_run(
    conn: Connection,
    report: SourceReport,
    result: CrawlResult,
    failure_threshold: int,
    baseline_complete: bool,
    runs_kept: int = RUNS_KEPT,
) -> str | None:
    """Update the source's state from this cycle and log the run. Returns FAILING when the
    failure threshold is reached (once), RECOVERED on the first success after that, else None.

    Listing validators (and the REST census) are saved only after a clean cycle: an article that
    failed to download must be retried next time, which a 304 on the listing would prevent. The
    channel that read the source is kept after a success and forgotten after a listing failure,
    so the next cycle discovers again.
    """
    assert report.finished is not None
    previous = source_state(conn, report.source)
    values: dict[str, Any] = {"last_run": report.finished}
    event = None
    if report.failed:
        failures = previous.consecutive_failures + 1
        values.update(consecutive_failures=failures, last_error=_error_line(report.errors))
        event = FAILING if failures == failure_threshold else None
        if report.fatal:
            values.update(channel=None, category_id=None)
    else:
        values.update(consecutive_failures=0, last_error=None, last_ok=report.finished)
        values.update(channel=result.channel, category_id=result.category_id)
        if not result.not_modified:
            values.update(
                etag=result.etag,
                last_modified=result.last_modified,
                validated_url=result.validated_url,
                last_read=report.finished,
                rest_total=result.rest_total,
                rest_newest_id=result.rest_newest_id,
            )
        event = RECOVERED if is_failing(previous, failure_threshold) else None
    values["baseline_done"] = previous.baseline_done or baseline_complete
    if not _exists(conn, report.source):
        conn.execute(insert(sources).values(key=report.source, **values))
    else:
        conn.execute(update(sources).where(sources.c.key == report.source).values(**values))
    conn.execute(
        insert(runs).values(
            source=report.source,
            started_at=report.started,
            finished_at=report.finished,
            ok=not report.failed,
            not_modified=report.not_modified,
            requests=report.requests,
            pages=report.pages,
            new=len(report.new),
            updated=len(report.updated),
            baseline=len(report.baseline),
            stale=len(report.stale),
            errors=report.errors,
        )
    )
    _prune_runs(conn, report.source, runs_kept)
    return event


def newest_change(conn: Connection, after: int = 0) -> int | None:
    """The id of the newest run after run `after` that stored something (new, edited, baseline
    or stale items), or None: what every instance watches, between and before its own cycles,
    to know that another instance's cycle changed the feeds (scheduler/service.py)."""
    stored = runs.c.new + runs.c.updated + runs.c.baseline + runs.c.stale > 0
    found: int | None = conn.execute(
        select(func.max(runs.c.id)).where(runs.c.id > after, stored)
    ).scalar()
    return found


def _prune_runs(conn: Connection, source: str, kept: int) -> None:
    """Drop `source`'s runs older than its newest `kept`."""
    oldest_kept = conn.execute(
        select(runs.c.id)
        .where(runs.c.source == source)
        .order_by(runs.c.id.desc())
        .offset(kept - 1)
        .limit(1)
    ).scalar()
    if oldest_kept is not None:
        conn.execute(delete(runs).where(runs.c.source == source, runs.c.id < oldest_kept))


def robots_entries(conn: Connection) -> dict[str, RobotsEntry]:
    """Every cached robots.txt, by host[:port]."""
    return {row.netloc: RobotsEntry(**row._mapping) for row in conn.execute(select(robots))}


def save_robots(conn: Connection, entry: RobotsEntry) -> None:
    """Replace the cached robots.txt of `entry.netloc`."""
    values = {
        "body": entry.body,
        "fetched_at": entry.fetched_at,
        "etag": entry.etag,
        "last_modified": entry.last_modified,
    }
    found = conn.execute(select(robots.c.netloc).where(robots.c.netloc == entry.netloc)).first()
    if found is None:
        conn.execute(insert(robots).values(netloc=entry.netloc, **values))
    else:
        conn.execute(update(robots).where(robots.c.netloc == entry.netloc).values(**values))


def _exists(conn: Connection, key: str) -> bool:
    return conn.execute(select(sources.c.key).where(sources.c.key == key)).first() is not None


def _error_line(errors: list[str]) -> str:
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return (errors[0] if errors else "unknown error") + more
