"""Alembic's environment for the icesco-watch store: migrations run on the connection that
`icesco_watch.store.migrate` hands over (never on a URL read from an ini file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from icesco_watch.store.schema import metadata

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `icesco-watch db upgrade`, not the alembic command")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
