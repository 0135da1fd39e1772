"""Remember spent form tokens until they expire, so each is stored once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "used_form_tokens",
        sa.Column("token_id", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_used_form_tokens_expires_at", "used_form_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_used_form_tokens_expires_at", "used_form_tokens")
    op.drop_table("used_form_tokens")
