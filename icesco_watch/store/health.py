"""Per-source health and the `runs` log: failure counters, validators, baseline state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from icesco_watch.models import CrawlResult, SourceReport
from icesco_watch.store.schema import runs, sources

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
) -> str | None:
    """Update the source's state from this cycle and log the run. Returns FAILING when the
    failure threshold is reached (once), RECOVERED on the first success after that, else None.

    Listing validators are saved only after a clean cycle: an article that failed to download
    must be retried next time, which a 304 on the listing would prevent.
    """
    assert report.finished is not None
    previous = source_state(conn, report.source)
    values: dict[str, Any] = {"last_run": report.finished}
    event = None
    if report.failed:
        failures = previous.consecutive_failures + 1
        values.update(consecutive_failures=failures, last_error=_error_line(report.errors))
        event = FAILING if failures == failure_threshold else None
    else:
        values.update(consecutive_failures=0, last_error=None, last_ok=report.finished)
        if not result.not_modified:
            values.update(etag=result.etag, last_modified=result.last_modified)
        event = RECOVERED if previous.consecutive_failures >= failure_threshold else None
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
    return event


def _exists(conn: Connection, key: str) -> bool:
    return conn.execute(select(sources.c.key).where(sources.c.key == key)).first() is not None


def _error_line(errors: list[str]) -> str:
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return (errors[0] if errors else "unknown error") + more
