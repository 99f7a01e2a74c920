"""What the spider is asked to crawl for one source this cycle (built by the scheduler)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from icesco_watch.config.schema import SourceConfig
from icesco_watch.models import RobotsEntry

# A post published with a date in the past (an import, the REST API, a late scheduled post)
# leaves the feed's validators alone: WordPress derives them from the newest modified time,
# which such a post does not move. On the feed channel, which cannot tell otherwise, the feed
# is read whole at least this often, so such a post waits at most this long.
FEED_REFRESH = timedelta(minutes=30)


def feed_refresh_due(last_read: datetime | None, now: datetime) -> bool:
    """Whether the feed channel reads the feed whole this cycle, even if a 304 would come:
    FEED_REFRESH has passed since the source was last read (not answered 304)."""
    return last_read is None or now - last_read >= FEED_REFRESH


@dataclass(frozen=True)
class SourcePlan:
    """What to crawl for one source this cycle."""

    source: SourceConfig
    known: frozenset[str] = frozenset()  # keys already in the store: their pages are not fetched
    etag: str | None = None
    last_modified: str | None = None
    pages: int | None = None  # listing pages to read at most (None: the source's max_pages)
    backfill: bool = False  # read `pages` pages whatever they hold, and re-fetch known articles
    channel: str | None = None  # the channel that worked last; None: discover it
    category_id: int | None = None  # REST: the listing category's id, once resolved
    validated_url: str | None = None  # the address `etag`/`last_modified` belong to
    modified: Mapping[str, str] = field(default_factory=dict)  # key -> stored modified time
    robots: RobotsEntry | None = None  # the cached robots.txt of the source's host
    retry: tuple[str, ...] = ()  # URLs of quarantined articles due again: fetched directly
    # REST: the category's post count and newest post id when last read (see channel_crawl).
    rest_total: int | None = None
    rest_newest_id: int | None = None
    feed_refresh_due: bool = False  # feed channel: read it whole, ignoring a 304 (see below)

    @property
    def page_limit(self) -> int:
        return self.pages if self.pages is not None else self.source.max_pages

    def validators_for(self, url: str) -> dict[str, str]:
        """Conditional-request headers for `url`, if the stored validators are its own.
        (Stores written before channels existed have no `validated_url`: those validators
        belong to the HTML listing's first page.)"""
        if self.backfill or (self.validated_url or self.source.start_urls[0]) != url:
            return {}
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers
