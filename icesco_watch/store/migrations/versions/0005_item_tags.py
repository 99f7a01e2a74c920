"""One routing core: item tags in their own table, so feeds fill by exact matches (no LIKE).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

The rows of items already stored are written here (`backfill_item_tags`), so every feed keeps
its items across the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from icesco_watch.store.items import backfill_item_tags

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_tags",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "item_key",
            sa.String(),
            sa.ForeignKey("items.key", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("published", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("item_key", "kind", "value"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "item_tags_newest",
        "item_tags",
        ["kind", "value", sa.text("published DESC"), "item_key"],
    )
    backfill_item_tags(op.get_bind())


def downgrade() -> None:
    op.drop_index("item_tags_newest", table_name="item_tags")
    op.drop_table("item_tags")
