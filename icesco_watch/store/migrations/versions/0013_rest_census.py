"""Posts published with a past date are seen: the REST category's post count and newest post
id are kept with the feed's validators, and when the source was last read (not answered 304),
so the feed channel can read its feed whole at least every 30 minutes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

Nothing to backfill: a source without a census reads its listing once more, then has one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as table:
        table.add_column(sa.Column("last_read", sa.DateTime()))
        table.add_column(sa.Column("rest_total", sa.Integer()))
        table.add_column(sa.Column("rest_newest_id", sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("sources") as table:
        for column in ("rest_newest_id", "rest_total", "last_read"):
            table.drop_column(column)
