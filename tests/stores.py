"""Which store the tests run on: a SQLite file by default; a fresh PostgreSQL schema per test
when `TEST_STORE=postgres` (with `TEST_POSTGRES_URL` naming the throwaway server `.ci/postgres.sh`
starts). `.ci/run` runs the suite once on each, so every store test proves both backends.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import Pool

from icesco_watch.store.engine import store_url as parse_store_url

POSTGRES = os.environ.get("TEST_STORE", "sqlite") == "postgres"


def postgres_server() -> str:
    """The test server's URL; a skip locally, a failure under CI, when there is none."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        message = "no PostgreSQL for the tests: run `.ci/postgres.sh` and export TEST_POSTGRES_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def fresh_postgres_url() -> str:
    """A URL whose connections land in a new, empty schema of the test server."""
    base = postgres_server()
    schema = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(parse_store_url(base))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}"


_SCHEMAS: dict[tuple[str, str], str] = {}


def store_url(directory: Path, name: str = "watch.db") -> str:
    """The store of one test: `directory/name` on SQLite, or a PostgreSQL schema of its own,
    the same one each time a test asks for the same place (as the SQLite file would be)."""
    if POSTGRES:
        place = (str(directory), name)
        if place not in _SCHEMAS:
            _SCHEMAS[place] = fresh_postgres_url()
        return _SCHEMAS[place]
    return f"sqlite:///{directory}/{name}"


@pytest.fixture(autouse=True)
def close_postgres_connections() -> Iterator[None]:
    """Close every PostgreSQL connection a test opened: tests drop engines without disposing
    them, and psycopg warns (an error here) when a pooled connection is garbage-collected open."""
    if not POSTGRES:
        yield
        return
    opened: list[Any] = []

    def remember(dbapi_connection: Any, _record: Any) -> None:
        opened.append(dbapi_connection)

    event.listen(Pool, "connect", remember)
    try:
        yield
    finally:
        event.remove(Pool, "connect", remember)
        for connection in opened:
            with contextlib.suppress(Exception):
                connection.close()


def record_failures(engine: Engine, failures: dict[str, int], threshold: int) -> None:
    """Record, for each source, that many failed cycles in a row (its listing answering 500),
    through the store's own `record_run` as a crawl does."""
    from icesco_watch.models import CrawlResult, SourceReport
    from icesco_watch.store.health import record_run

    for source, times in failures.items():
        for _ in range(times):
            now = datetime.now(UTC)
            report = SourceReport(source, now, now, errors=["listing: HTTP 500"], fatal=True)
            with engine.begin() as conn:
                record_run(conn, report, CrawlResult(source), threshold, baseline_complete=False)
