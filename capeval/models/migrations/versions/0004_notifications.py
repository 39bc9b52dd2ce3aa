"""Outbox delivery: the claim token of a dispatcher and the time of the last attempt.

Revision ID: 0004_notifications
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_notifications"
down_revision = "0003_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("last_attempt_at")
        batch_op.drop_column("claim_token")
