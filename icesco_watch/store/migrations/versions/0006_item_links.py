"""One story, several languages: links between an item and its other-language versions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Items stored before it get links only as new items arrive (no backfill: linking is a judgement
over the stored neighbourhood of a new item, not a property of old ones).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_links",
        sa.Column(
            "item_key",
            sa.String(),
            sa.ForeignKey("items.key", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "other_key",
            sa.String(),
            sa.ForeignKey("items.key", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("score", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("item_links")
