"""Publishing feeds to `feeds.dir`: what to rebuild after a cycle, and atomic, no-op-aware writes.

Files are replaced atomically (a temp file in the same folder, then `os.replace`), so a reader
never sees half a feed; a file whose new bytes equal the old ones is not written at all, so its
mtime, and the server's Last-Modified and ETag, stay as they were. No fsync: every file can be
rebuilt from the store (`icesco-watch feeds build`), and a cycle per file costs more than it buys.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.build import render_feed
from icesco_watch.feeds.catalog import (
    FORMATS,
    INDEX_FILE,
    OPML_FILE,
    FeedSpec,
    base_url,
    feed_specs,
    specs_touched_by,
)
from icesco_watch.feeds.index import INDEX_LATEST, INDEX_PER_SECTOR, IndexData, render_index
from icesco_watch.feeds.opml import render_opml
from icesco_watch.models import NewsItem
from icesco_watch.store.items import items_by_key, latest_items
from icesco_watch.store.links import linked_keys, related_versions

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PublishReport:
    """What a publish did, by path relative to `feeds.dir`."""

    written: list[str] = field(default_factory=list)  # new or changed files
    unchanged: list[str] = field(default_factory=list)  # rebuilt, same bytes: left untouched

    @property
    def built(self) -> int:
        return len(self.written) + len(self.unchanged)


def publish_feeds(settings: Settings, engine: Engine, touched: Iterable[NewsItem]) -> PublishReport:
    """Rebuild the feeds that may hold a touched (new or changed) item, plus any feed file that
    is missing (a first run, a topic added to the config), the OPML list and the index page.

    Synchronous (SQL reads and file writes): from the event loop, run it in a thread with
    `await asyncio.to_thread(publish_feeds, settings, engine, items)`.
    """
    items = list(touched)
    if items:
        # A new version of a story changes the entries of its other versions ("alternate"
        # links): their feeds are rebuilt too.
        with engine.connect() as conn:
            linked = items_by_key(conn, sorted(linked_keys(conn, [i.key for i in items])))
        items += [entry.item for entry in linked.values()]
    root = Path(settings.feeds.dir)
    specs = specs_touched_by(settings, items) if items else []
    chosen = set(specs)
    specs += [
        spec
        for spec in feed_specs(settings)
        if spec not in chosen and not all((root / spec.path(f)).is_file() for f in FORMATS)
    ]
    return _publish(settings, engine, specs)


def build_all(settings: Settings, engine: Engine) -> PublishReport:
    """Rebuild every feed, the OPML list and the index page (`icesco-watch feeds build`)."""
    return _publish(settings, engine, feed_specs(settings))


def _publish(settings: Settings, engine: Engine, specs: Sequence[FeedSpec]) -> PublishReport:
    root = Path(settings.feeds.dir)
    base = base_url(settings)
    report = PublishReport()
    with engine.connect() as conn:
        for spec in specs:
            entries, updated = _feed_entries(conn, spec, settings.feeds.items)
            versions = related_versions(conn, [item.key for item in entries])
            for fmt in FORMATS:
                data = render_feed(spec, fmt, entries, settings, base, updated, versions)
                _record(report, spec.path(fmt), write_if_changed(root / spec.path(fmt), data))
        index = _index_data(conn, settings)
    _record(report, OPML_FILE, write_if_changed(root / OPML_FILE, render_opml(settings, base)))
    _record(report, INDEX_FILE, write_if_changed(root / INDEX_FILE, render_index(index)))
    log.info(
        "feeds published",
        extra={"fields": {"written": len(report.written), "unchanged": len(report.unchanged)}},
    )
    return report


def _record(report: PublishReport, path: str, written: bool) -> None:
    (report.written if written else report.unchanged).append(path)


def _feed_entries(
    conn: Connection, spec: FeedSpec, limit: int
) -> tuple[list[NewsItem], dict[str, datetime]]:
    """The feed's items, and when the edited ones among them last changed."""
    stored = latest_items(
        conn,
        limit,
        lang=None if spec.lang == "all" else spec.lang,
        sector=spec.key if spec.kind == "sector" else None,
        topic=spec.key if spec.kind == "topic" else None,
    )
    edits = {entry.item.key: entry.updated_at for entry in stored if entry.updated_at}
    return [entry.item for entry in stored], edits


def _index_data(conn: Connection, settings: Settings) -> IndexData:
    return IndexData(
        settings=settings,
        latest=[s.item for s in latest_items(conn, INDEX_LATEST)],
        by_sector={
            sector.key: [s.item for s in latest_items(conn, INDEX_PER_SECTOR, sector=sector.key)]
            for sector in settings.sectors
        },
    )


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically make `path` hold `data`; False (and no write) when it already does."""
    with contextlib.suppress(FileNotFoundError):
        if path.read_bytes() == data:
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        # mkstemp creates 0600; feeds are public and may be served by another user's server.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
