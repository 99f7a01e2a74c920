"""The store's schema version (Alembic): bring an empty store up, refuse one that is behind or
ahead, and upgrade on request (`icesco-watch db upgrade`).

A store made by release 0.1.0 has the tables of revision 0001 and no `alembic_version` table;
it counts as revision 0001. Schema work takes a lock, so several processes opening a new store at
the same moment create it once: an exclusive file lock beside a SQLite file, a transaction-level
advisory lock on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from icesco_watch.store.engine import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LEGACY_REVISION = "0001"  # what a store without alembic_version, made by 0.1.0, is at
_LEGACY_TABLES = {"items", "sources", "runs", "chats", "subscriptions", "deliveries"}
_ADVISORY_KEY = 0x1CE5C0  # any constant shared by every icesco-watch process
UPGRADE_HINT = "run `icesco-watch db upgrade`"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: str | None  # None: an empty store
    head: str
    known: bool  # the current revision exists in this version's migrations

    @property
    def empty(self) -> bool:
        return self.current is None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def schema_state(conn: Connection) -> SchemaState:
    """Where the store's schema stands against this version's migrations."""
    head = head_revision()
    current = MigrationContext.configure(conn).get_current_revision()
    if current is None and set(inspect(conn).get_table_names()) >= _LEGACY_TABLES:
        current = LEGACY_REVISION
    script = ScriptDirectory.from_config(_config())
    known = current is None or _has_revision(script, current)
    return SchemaState(current, head, known)


def _has_revision(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises its own ResolutionError / CommandError variants
        return False


def ensure_schema(engine: Engine) -> None:
    """Create an empty store; accept one at the head; refuse one behind or ahead (StoreError)."""
    with _schema_lock(engine), engine.begin() as conn:
        _advisory_lock(conn)
        state = schema_state(conn)
        if state.empty:
            command.upgrade(_config(conn), "head")
            # One line for the whole creation (Alembic's line per migration only with -v).
            log.info("store created at schema %s", state.head)
            return
    if not state.known:
        raise StoreError(
            f"the store's schema ({state.current}) is newer than this icesco-watch knows "
            f"({state.head}): upgrade icesco-watch, or point storage.url at another store"
        )
    if not state.up_to_date:
        raise StoreError(
            f"the store's schema is behind (at {state.current}, this version needs "
            f"{state.head}): {UPGRADE_HINT}"
        )


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str]:
    """Bring the store to `target` (the head revision unless a test needs an older schema);
    returns (revision before, revision after)."""
    with _schema_lock(engine), engine.begin() as conn:
        _advisory_lock(conn)
        state = schema_state(conn)
        if not state.known:
            raise StoreError(
                f"the store's schema ({state.current}) is newer than this icesco-watch knows "
                f"({state.head}): upgrade icesco-watch instead"
            )
        if state.current == LEGACY_REVISION and not _has_version_table(conn):
            command.stamp(_config(conn), LEGACY_REVISION)
        command.upgrade(_config(conn), target)
        after = MigrationContext.configure(conn).get_current_revision()
        assert after is not None
        return state.current, after


def current_revision(engine: Engine) -> SchemaState:
    with engine.connect() as conn:
        return schema_state(conn)


def _has_version_table(conn: Connection) -> bool:
    return "alembic_version" in inspect(conn).get_table_names()


def _advisory_lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


@contextlib.contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file: an exclusive lock on `<file>.lock` while the schema is examined or
    changed (SQLite's own locking lets two creators interleave CREATE TABLE statements)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).expanduser().with_name(Path(database).name + ".lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
