"""The crawl meets the real site, and hardening: WordPress channels and edits, robots.txt cache,
per-article quarantine, and sends Telegram may have received after a timeout.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as table:
        table.add_column(sa.Column("modified", sa.Text()))  # the channel's modified time
    with op.batch_alter_table("sources") as table:
        table.add_column(sa.Column("channel", sa.String()))
        table.add_column(sa.Column("category_id", sa.Integer()))
        table.add_column(sa.Column("validated_url", sa.Text()))
    with op.batch_alter_table("deliveries") as table:
        table.add_column(sa.Column("unconfirmed", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "robots",
        sa.Column("netloc", sa.String(), primary_key=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
    )
    op.create_table(
        "quarantine",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("source", sa.String(), nullable=False, index=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("first_failed", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quarantine")
    op.drop_table("robots")
    with op.batch_alter_table("deliveries") as table:
        table.drop_column("unconfirmed")
    with op.batch_alter_table("sources") as table:
        for column in ("validated_url", "category_id", "channel"):
            table.drop_column(column)
    with op.batch_alter_table("items") as table:
        table.drop_column("modified")
