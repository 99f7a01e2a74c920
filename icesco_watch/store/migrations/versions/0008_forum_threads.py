"""Forum topics: a delivery names the topic (thread) of its chat, `/here` keeps the sectors a
topic receives, and topics Telegram closed or deleted are remembered (their routes suspended).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30

Deliveries stored before it go to the chat itself (thread 0). The unique key of the outbox
grows from (item, chat) to (item, chat, thread), so one item reaches each topic of a group once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

# 0001 declared the unique pair without a name. SQLite reflects it nameless, so batch mode needs
# a convention to refer to it; PostgreSQL named it itself (found by its columns below).
_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s"}


def _unique_name(columns: list[str]) -> str:
    inspector = sa.inspect(op.get_bind())
    for constraint in inspector.get_unique_constraints("deliveries"):
        if constraint["column_names"] == columns and constraint["name"]:
            return str(constraint["name"])
    return _CONVENTION["uq"] % {
        "table_name": "deliveries",
        "column_0_name": columns[0],
        "column_1_name": columns[1],
    }


def upgrade() -> None:
    old = _unique_name(["item_key", "chat"])
    with op.batch_alter_table("deliveries", naming_convention=_CONVENTION) as table:
        table.add_column(sa.Column("thread", sa.Integer(), nullable=False, server_default="0"))
        table.drop_constraint(old, type_="unique")
        table.create_unique_constraint(
            "deliveries_item_key_chat_thread_key", ["item_key", "chat", "thread"]
        )
    op.create_table(
        "topic_sectors",
        sa.Column("chat", sa.String(), primary_key=True),
        sa.Column("thread", sa.Integer(), primary_key=True),
        sa.Column("sector", sa.String(), primary_key=True),
    )
    op.create_table(
        "closed_topics",
        sa.Column("chat", sa.String(), primary_key=True),
        sa.Column("thread", sa.Integer(), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("closed_topics")
    op.drop_table("topic_sectors")
    # Deliveries to topics cannot keep their own rows under the old (item, chat) key.
    op.execute("DELETE FROM deliveries WHERE thread <> 0")
    with op.batch_alter_table("deliveries", naming_convention=_CONVENTION) as table:
        table.drop_constraint("deliveries_item_key_chat_thread_key", type_="unique")
        table.create_unique_constraint("deliveries_item_key_chat_key", ["item_key", "chat"])
        table.drop_column("thread")
