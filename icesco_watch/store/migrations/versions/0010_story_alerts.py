"""One alert per story: a delivery of a story's other version joins the alert already queued or
sent to that chat ("Also in") instead of a message of its own.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

Deliveries queued before it keep their own messages (nothing to backfill: joining is decided
when a version is queued).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_alerts",
        sa.Column(
            "delivery_id",
            sa.Integer(),
            sa.ForeignKey("deliveries.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("root_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_story_alerts_root_id", "story_alerts", ["root_id"])


def downgrade() -> None:
    op.drop_index("ix_story_alerts_root_id", table_name="story_alerts")
    op.drop_table("story_alerts")
