"""Schema versions: migrations build exactly the tables the code uses, a 0.1.0 store upgrades
without loss, a store behind or ahead is refused with the command to run, and several processes
creating one new store at once all succeed."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text

from icesco_watch.store.engine import StoreError, create_store_engine
from icesco_watch.store.migrate import LEGACY_REVISION, current_revision, head_revision, upgrade
from icesco_watch.store.notices import enqueue_notices, get_notices
from icesco_watch.store.schema import (
    deliveries,
    item_tags,
    items,
    metadata,
    open_store,
    sources,
)
from tests.conftest import CLI, clean_env
from tests.stores import POSTGRES, store_url

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_migrations_build_exactly_the_tables_the_code_declares(tmp_path: Path) -> None:
    engine = open_store(store_url(tmp_path))
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    assert current_revision(engine).current == head_revision()


def _legacy_store(url: str) -> None:
    """A store as release 0.1.0 left it: revision 0001's tables, no alembic_version, some data."""
    engine = create_store_engine(url)
    upgrade(engine, LEGACY_REVISION)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            insert(items).values(
                key="icesco.org/en/2024/05/15/kept",
                source="icesco-en",
                lang="en",
                url="https://icesco.org/en/2024/05/15/kept/",
                title="Kept across the upgrade",
                published=NOW,
                summary="s",
                body="b",
                site_categories=["news"],
                sectors=["education"],
                sector_evidence={"education": ["x"]},
                topics=[],
                content_hash="0" * 64,
                first_seen=NOW,
                last_seen=NOW,
                version=1,
            )
        )
        conn.execute(
            insert(sources).values(key="icesco-en", baseline_done=True, consecutive_failures=0)
        )
        # As 0.1.0 wrote it: the columns of its time only (today's table has more, with defaults).
        conn.execute(
            text(
                "INSERT INTO deliveries (item_key, chat, status, attempts, next_attempt_at, "
                "created_at) VALUES (:key, '42', 'pending', 0, :now, :now)"
            ),
            {"key": "icesco.org/en/2024/05/15/kept", "now": NOW.replace(tzinfo=None)},
        )
    engine.dispose()


def test_a_store_made_by_the_previous_release_upgrades_without_loss(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    _legacy_store(url)
    engine = create_store_engine(url)
    assert current_revision(engine).current == LEGACY_REVISION
    before, after = upgrade(engine)
    assert (before, after) == (LEGACY_REVISION, head_revision())
    with engine.connect() as conn:
        assert conn.scalars(select(items.c.title)).all() == ["Kept across the upgrade"]
        assert conn.scalars(select(deliveries.c.status)).all() == ["pending"]
        assert conn.scalars(select(sources.c.baseline_done)).all() == [True]
        assert "alembic_version" in inspect(conn).get_table_names()
        # The item's tags were written by the migration: its sector feed keeps it.
        tags = conn.execute(select(item_tags.c.kind, item_tags.c.value)).all()
        assert ("sector", "education") in {(row.kind, row.value) for row in tags}
    assert upgrade(engine) == (head_revision(), head_revision())  # repeating is harmless
    open_store(url).dispose()


def test_a_store_at_0011_upgrades_to_the_notices_queue(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    engine = create_store_engine(url)
    upgrade(engine, "0011")
    with engine.begin() as conn:
        assert "notices" not in inspect(conn).get_table_names()
        conn.execute(
            insert(sources).values(key="icesco-ar", baseline_done=True, consecutive_failures=2)
        )
    assert upgrade(engine, "0012") == ("0011", "0012")
    with engine.begin() as conn:
        assert conn.scalars(select(sources.c.consecutive_failures)).all() == [2]
        enqueue_notices(conn, ["-1009100"], "icesco-ar", "failing", ["HTTP 500"], NOW)
    with engine.connect() as conn:
        assert [(n.chat, n.status) for n in get_notices(conn)] == [("-1009100", "pending")]
    engine.dispose()


def test_a_store_at_0012_upgrades_to_the_rest_census(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    engine = create_store_engine(url)
    upgrade(engine, "0012")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (key, baseline_done, consecutive_failures, etag, channel) "
                "VALUES ('icesco-en', :yes, 0, '\"e\"', 'rest')"
            ),
            {"yes": True},
        )
    assert upgrade(engine, "0013") == ("0012", "0013")
    with engine.connect() as conn:
        row = conn.execute(select(sources)).one()
    assert (row.etag, row.channel) == ('"e"', "rest")
    # No census yet: the next cycle reads the listing once and keeps one.
    assert (row.last_read, row.rest_total, row.rest_newest_id) == (None, None, None)
    engine.dispose()


def test_a_store_ahead_of_the_code_is_refused_with_advice(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    open_store(url).dispose()
    engine = create_store_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    with pytest.raises(StoreError, match="newer than this icesco-watch"):
        open_store(url)
    with pytest.raises(StoreError, match="upgrade icesco-watch"):
        upgrade(engine)


def test_a_store_behind_the_code_is_refused_with_the_command(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    open_store(url).dispose()
    engine = create_store_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('behind')"))
    # A revision this code does not know is "ahead" (it may come from a newer release); a
    # known older revision is "behind". Only a real second revision can show the latter.
    state = current_revision(engine)
    assert state.current == "behind"
    assert not state.known


@pytest.mark.skipif(POSTGRES, reason="a file lock guards SQLite only; PostgreSQL uses its own")
def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/race/watch.db"
    code = (
        "import sys\n"
        "from icesco_watch.store.schema import open_store\n"
        "open_store(sys.argv[1]).dispose()\n"
        "print('ok')\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(6)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, [err.decode() for _, err in outputs]
    assert current_revision(create_store_engine(url)).up_to_date


def test_db_commands_report_and_upgrade(tmp_path: Path) -> None:
    config = tmp_path / "icesco-watch.toml"
    config.write_text(f'[storage]\nurl = "{store_url(tmp_path)}"\n')
    run = [*CLI, "--config", str(config), "db"]
    env = clean_env()
    current = subprocess.run([*run, "current"], capture_output=True, text=True, env=env)
    assert current.returncode == 1
    assert "db upgrade" in current.stdout
    done = subprocess.run([*run, "upgrade"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert f"-> {head_revision()}" in done.stdout
    again = subprocess.run([*run, "current"], capture_output=True, text=True, env=env)
    assert (again.returncode, again.stdout.strip()) == (
        0,
        f"store schema: {head_revision()} (current)",
    )


def test_postgres_without_its_driver_names_the_extra(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['psycopg'] = None  # as if the [postgres] extra were not installed\n"
        "from icesco_watch.cli import main\n"
        "main()\n"
    )
    config = tmp_path / "icesco-watch.toml"
    config.write_text('[storage]\nurl = "postgresql://watch@127.0.0.1:9/watch"\n')
    done = subprocess.run(
        [sys.executable, "-c", code, "--config", str(config), "--log-format", "human", "status"],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.endswith(
        "storage.url: PostgreSQL needs the psycopg driver; install it with "
        "pip install 'icesco-watch[postgres]'"
    )


def test_a_store_at_0013_upgrades_to_post_ids(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    engine = create_store_engine(url)
    upgrade(engine, "0013")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO items (key, source, lang, url, title, published, summary, body, "
                "site_categories, sectors, sector_evidence, topics, content_hash, first_seen, "
                "last_seen, version) VALUES ('icesco.org/en/2026/12/01/kept', 'icesco-en', 'en', "
                "'https://icesco.org/en/2026/12/01/kept/', 'Kept', :now, '', '', '[]', '[]', "
                "'{}', '[]', :hash, :now, :now, 1)"
            ),
            {"now": NOW.replace(tzinfo=None), "hash": "0" * 64},
        )
    assert upgrade(engine, "0014") == ("0013", "0014")
    with engine.connect() as conn:
        row = conn.execute(select(items.c.title, items.c.wp_post_id)).one()
        indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("items")}
    # No post id yet: the item adopts one the next time its channel lists it.
    assert (row.title, row.wp_post_id) == ("Kept", None)
    assert indexes["items_source_wp_post_id"] == ["source", "wp_post_id"]
    engine.dispose()
