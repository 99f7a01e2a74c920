"""Durable admin notices: a source failing or recovering is queued for each admin chat in the
cycle's transaction, and sent with the outbox's guarantees instead of once, in place.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

A new table: nothing to backfill (an alert lost before this revision stays lost).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chat", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("unconfirmed", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
    )
    op.create_index("notices_due", "notices", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("notices_due", table_name="notices")
    op.drop_table("notices")
