"""The feed server over real HTTP on 127.0.0.1: types, validators, 304s, gzip, 404s, /healthz."""

from __future__ import annotations

import gzip
import http.client
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.publish import build_all, publish_feeds
from icesco_watch.feeds.server import CACHE_CONTROL, FeedServer
from icesco_watch.models import CrawlResult, SourceReport
from icesco_watch.store.health import record_run
from tests.feeds.conftest import AWKWARD, make_item, store_items


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def get(server: FeedServer, path: str, method: str = "GET", **headers: str) -> Reply:
    """One request with the path sent verbatim (no client-side normalisation of `..`)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


@pytest.fixture
def built(settings: Settings, engine: Engine) -> Path:
    store_items(engine, AWKWARD)
    build_all(settings, engine)
    return Path(settings.feeds.dir)


@pytest.mark.parametrize(
    ("path", "file", "content_type"),
    [
        ("/en/all.rss", "en/all.rss", "application/rss+xml; charset=utf-8"),
        (
            "/ar/sector/culture.atom",
            "ar/sector/culture.atom",
            "application/atom+xml; charset=utf-8",
        ),
        ("/all/topic/ai.rss", "all/topic/ai.rss", "application/rss+xml; charset=utf-8"),
        ("/feeds.opml", "feeds.opml", "text/x-opml; charset=utf-8"),
        ("/", "index.html", "text/html; charset=utf-8"),
    ],
)
def test_design_paths_are_served_with_their_types(
    built: Path, server: FeedServer, path: str, file: str, content_type: str
) -> None:
    reply = get(server, path)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == content_type
    assert reply.body == (built / file).read_bytes()
    assert reply.headers["Cache-Control"] == CACHE_CONTROL
    assert reply.headers["ETag"].startswith('"')
    modified = datetime.fromtimestamp(int((built / file).stat().st_mtime), UTC)
    assert reply.headers["Last-Modified"] == modified.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_a_second_poll_is_a_304_without_body_or_file_read(built: Path, server: FeedServer) -> None:
    first = get(server, "/en/all.rss")
    reads = server.reads
    mtime = (built / "en/all.rss").stat().st_mtime_ns
    by_etag = get(server, "/en/all.rss", If_None_Match=first.headers["ETag"])
    by_date = get(server, "/en/all.rss", If_Modified_Since=first.headers["Last-Modified"])
    for reply in (by_etag, by_date):
        assert reply.status == 304
        assert reply.body == b""
        assert reply.headers["ETag"] == first.headers["ETag"]
    assert server.reads == reads  # answered from the cache: the file was not even read
    assert (built / "en/all.rss").stat().st_mtime_ns == mtime  # and nothing was rebuilt


def test_a_stale_validator_gets_the_new_feed(
    built: Path, server: FeedServer, settings: Settings, engine: Engine
) -> None:
    first = get(server, "/en/all.rss")
    fresh = make_item("breaking", "en", hours_ago=0, title="Fresh news item")
    store_items(engine, [fresh])
    os.utime(built / "en/all.rss", (1, 1))  # so the rewrite below surely changes the mtime
    publish_feeds(settings, engine, [fresh])
    second = get(server, "/en/all.rss", If_None_Match=first.headers["ETag"])
    assert second.status == 200
    assert b"Fresh news item" in second.body
    assert second.headers["ETag"] != first.headers["ETag"]
    other = get(server, "/en/all.rss", If_None_Match='"something-else"')
    assert other.status == 200


def test_gzip_when_asked_and_identity_otherwise(built: Path, server: FeedServer) -> None:
    raw = (built / "all/all.atom").read_bytes()
    zipped = get(server, "/all/all.atom", Accept_Encoding="br, gzip;q=0.8")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.body) == raw
    assert len(zipped.body) < len(raw)
    refused = get(server, "/all/all.atom", Accept_Encoding="gzip;q=0")
    assert refused.headers.get("Content-Encoding") is None
    assert refused.body == raw
    again = get(
        server, "/all/all.atom", Accept_Encoding="gzip", If_None_Match=zipped.headers["ETag"]
    )
    assert (again.status, again.body) == (304, b"")


@pytest.mark.parametrize(
    "path",
    [
        "/../etc/passwd",
        "/etc/passwd",
        "/en/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/en/sector/..%2f..%2fetc%2fpasswd.rss",
        "/en/sector/unknown.rss",
        "/de/all.rss",
        "/en/all.xml",
        "/index.html",
        "/en/",
        "/store/watch.db",
    ],
)
def test_anything_else_is_404(built: Path, server: FeedServer, path: str) -> None:
    reply = get(server, path)
    assert reply.status == 404
    assert b"root:" not in reply.body


def test_a_symlink_out_of_the_feeds_folder_is_not_followed(
    built: Path, server: FeedServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve")
    (built / "en/sector/leak.rss").symlink_to(secret)
    assert get(server, "/en/sector/leak.rss").status == 404


def test_head_gives_headers_without_body(built: Path, server: FeedServer) -> None:
    reply = get(server, "/fr/all.rss", method="HEAD")
    assert reply.status == 200
    assert reply.body == b""
    assert reply.headers["Content-Type"] == "application/rss+xml; charset=utf-8"


def _fail(engine: Engine, source: str, times: int, threshold: int) -> None:
    for _ in range(times):
        now = datetime.now(UTC)
        report = SourceReport(source, started=now, finished=now, errors=["listing: HTTP 500"])
        report.fatal = True
        with engine.begin() as conn:
            record_run(conn, report, CrawlResult(source), threshold, baseline_complete=False)


def test_healthz_reports_each_source_and_503_past_the_threshold(
    server: FeedServer, settings: Settings, engine: Engine
) -> None:
    threshold = settings.alerts.failure_threshold
    healthy = get(server, "/healthz")
    assert healthy.status == 200
    data = json.loads(healthy.body)
    assert data["ok"] is True
    assert [s["key"] for s in data["sources"]] == [s.key for s in settings.sources]
    _fail(engine, "icesco-fr", threshold - 1, threshold)
    assert get(server, "/healthz").status == 200
    _fail(engine, "icesco-fr", 1, threshold)
    failing = get(server, "/healthz")
    assert failing.status == 503
    assert failing.headers["Cache-Control"] == "no-store"
    states = {s["key"]: s for s in json.loads(failing.body)["sources"]}
    assert states["icesco-fr"]["failing"] is True
    assert states["icesco-fr"]["consecutive_failures"] == threshold
    assert states["icesco-fr"]["last_error"] == "listing: HTTP 500"
    assert states["icesco-en"]["failing"] is False


def test_a_removed_source_never_makes_health_fail(server: FeedServer, engine: Engine) -> None:
    _fail(engine, "old-source", 10, 3)
    data = json.loads(get(server, "/healthz").body)
    assert data["ok"] is True
    assert data["sources"][-1] == {**data["sources"][-1], "key": "old-source", "enabled": False}
