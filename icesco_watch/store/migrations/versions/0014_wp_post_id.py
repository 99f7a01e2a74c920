"""A post whose address changes (slug or date) stays one item: items keep WordPress's post id,
indexed with their source (the id is per site of the multisite).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

Nothing to backfill: a stored item learns its post id the next time its channel lists it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as table:
        table.add_column(sa.Column("wp_post_id", sa.Integer()))
        table.create_index("items_source_wp_post_id", ["source", "wp_post_id"])


def downgrade() -> None:
    with op.batch_alter_table("items") as table:
        table.drop_index("items_source_wp_post_id")
        table.drop_column("wp_post_id")
