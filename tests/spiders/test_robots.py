"""robots.txt from the store's cache: fetched once, reused for a day, then refreshed
conditionally; a cached Disallow is obeyed. Real crawls against the replica."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from icesco_watch.config.schema import Settings
from icesco_watch.models import RobotsEntry
from icesco_watch.store.health import robots_entries, save_robots
from icesco_watch.store.schema import robots
from tests.conftest import by_source, crawl
from tests.replica import ReplicaServer


def _robots_requests(replica: ReplicaServer) -> list[tuple[str | None, str | None, int]]:
    return [
        (r.if_none_match, r.if_modified_since, r.status)
        for r in replica.requests
        if r.path == "/robots.txt"
    ]


def test_robots_txt_is_read_once_a_day_then_refreshed_conditionally(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    crawl(settings, engine)
    assert len(_robots_requests(replica)) == 1
    with engine.connect() as conn:
        (entry,) = robots_entries(conn).values()
    assert entry.netloc == "icesco.org"
    assert "User-agent" in entry.body

    replica.clear_log()
    crawl(settings, engine)
    assert _robots_requests(replica) == []  # fresh: not asked again

    with engine.begin() as conn:
        conn.execute(update(robots).values(fetched_at=datetime.now(UTC) - timedelta(days=2)))
    replica.clear_log()
    crawl(settings, engine)
    ((etag, since, status),) = _robots_requests(replica)
    assert etag or since  # a conditional request...
    assert status == 304  # ...that the unchanged file answers with no body
    with engine.connect() as conn:
        refreshed = conn.execute(select(robots.c.fetched_at, robots.c.body)).one()
    assert refreshed.fetched_at > datetime.now(UTC) - timedelta(minutes=5)
    assert refreshed.body == entry.body


def test_a_cached_disallow_is_obeyed(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    with engine.begin() as conn:
        body = "User-agent: *\nDisallow: /en/\n"
        save_robots(conn, RobotsEntry("icesco.org", body, datetime.now(UTC)))
    report = by_source(crawl(settings, engine))
    assert report["icesco-en"].failed
    assert "robots.txt" in report["icesco-en"].errors[0]
    assert not report["icesco-fr"].failed
    assert not [r for r in replica.requests if r.path.startswith("/en/")]
    assert not [r for r in replica.requests if r.path == "/robots.txt"]
