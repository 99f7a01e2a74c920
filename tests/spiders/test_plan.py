"""What a source's plan decides on its own: when the feed channel reads its feed whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icesco_watch.spiders.plan import FEED_REFRESH, feed_refresh_due

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_the_feed_is_read_whole_when_its_last_read_is_old() -> None:
    assert feed_refresh_due(None, NOW)  # never read
    assert not feed_refresh_due(NOW - timedelta(minutes=5), NOW)
    assert not feed_refresh_due(NOW - FEED_REFRESH + timedelta(seconds=1), NOW)
    assert feed_refresh_due(NOW - FEED_REFRESH, NOW)
    assert timedelta(minutes=30) >= FEED_REFRESH  # what the README promises
