"""Quarantined articles: one bad article is retried later, with a growing delay, on its own.

An article that fails (too big, unparsable, an error answer, a redirect off the site) is put
here instead of failing its source: the source's other items are stored and alerted as usual,
and the article is fetched again only when its `next_attempt_at` has come. The first retry is
the next cycle (a passing 503 costs one cycle, as before quarantine existed); after that the
delay starts at an hour and doubles up to a week. A success releases the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from icesco_watch.models import ArticleFailure
from icesco_watch.store.schema import quarantine

FIRST_BACKOFF = timedelta(hours=1)
MAX_BACKOFF = timedelta(days=7)
_ERROR_LIMIT = 500  # characters of the last error kept


@dataclass(frozen=True, slots=True)
class QuarantinedArticle:
    key: str
    source: str
    url: str
    failures: int
    next_attempt_at: datetime
    last_error: str
    first_failed: datetime


def backoff(failures: int) -> timedelta:
    """Delay before the next attempt after `failures` failures in a row: the next cycle after
    the first, then 1 h, 2 h, 4 h ... up to a week."""
    if failures <= 1:
        return timedelta(0)
    doublings = min(failures - 2, 16)  # 2**16 hours is past the cap already
    return min(FIRST_BACKOFF * (1 << doublings), MAX_BACKOFF)


def quarantined(conn: Connection, source: str | None = None) -> list[QuarantinedArticle]:
    """Every quarantined article (of `source`), soonest retry first."""
    query = select(quarantine).order_by(quarantine.c.next_attempt_at, quarantine.c.key)
    if source is not None:
        query = query.where(quarantine.c.source == source)
    return [QuarantinedArticle(**row._mapping) for row in conn.execute(query)]


def split_due(
    articles: Iterable[QuarantinedArticle], now: datetime
) -> tuple[list[QuarantinedArticle], frozenset[str]]:
    """(articles to retry this cycle, keys to leave alone until their time comes)."""
    due, waiting = [], set()
    for article in articles:
        if article.next_attempt_at <= now:
            due.append(article)
        else:
            waiting.add(article.key)
    return due, frozenset(waiting)


def record_failures(
    conn: Connection, source: str, failures: Sequence[ArticleFailure], now: datetime
) -> list[QuarantinedArticle]:
    """Quarantine each failed article, or count one more failure for one already there."""
    recorded = []
    for failure in {f.key: f for f in failures}.values():
        row = conn.execute(select(quarantine).where(quarantine.c.key == failure.key)).first()
        count = (row.failures if row else 0) + 1
        article = QuarantinedArticle(
            key=failure.key,
            source=source,
            url=failure.url,
            failures=count,
            next_attempt_at=now + backoff(count),
            last_error=failure.error[:_ERROR_LIMIT],
            first_failed=row.first_failed if row else now,
        )
        values = asdict(article)
        if row is None:
            conn.execute(insert(quarantine).values(values))
        else:
            conn.execute(update(quarantine).where(quarantine.c.key == failure.key).values(values))
        recorded.append(article)
    return recorded


def release(conn: Connection, keys: Iterable[str]) -> None:
    """Take articles that were fetched and extracted successfully out of quarantine."""
    chosen = sorted(set(keys))
    for start in range(0, len(chosen), 500):
        conn.execute(delete(quarantine).where(quarantine.c.key.in_(chosen[start : start + 500])))
