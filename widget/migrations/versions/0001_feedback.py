"""Create the feedback table.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("page", sa.String(2000), nullable=False),
        sa.Column("partner", sa.String(64), nullable=True),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("redactions", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_index("ix_feedback_partner", "feedback", ["partner"])


def downgrade() -> None:
    op.drop_index("ix_feedback_partner", "feedback")
    op.drop_index("ix_feedback_created_at", "feedback")
    op.drop_table("feedback")
