"""decision basis: each stage change names the record a decision rests on (review round, interview, resolution)

Revision ID: 0010_decision_basis
Revises: 0009_impartiality
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_decision_basis"
down_revision = "0009_impartiality"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stage_history", sa.Column("basis", sa.String(length=80), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("stage_history", schema=None) as batch_op:
        batch_op.drop_column("basis")
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS stage_history_no_{event.lower()} BEFORE {event} ON stage_history "
                "BEGIN SELECT RAISE(ABORT, 'stage_history is append-only'); END"
            )
