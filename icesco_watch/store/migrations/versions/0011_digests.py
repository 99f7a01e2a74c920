"""Digests on a schedule: a chat's time zone, and each delivery's digest schedule.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

Both columns are nullable: existing chats read in UTC, existing deliveries stay instant.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("timezone", sa.String(), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("digest", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("digest")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("timezone")
