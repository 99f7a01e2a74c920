"""The bot's interface language per chat (English, Arabic or French), apart from its news languages.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

Chats stored before it keep NULL: their language is taken from the user's Telegram language at
their next command, as for a new chat.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("ui_lang", sa.String(2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("ui_lang")
