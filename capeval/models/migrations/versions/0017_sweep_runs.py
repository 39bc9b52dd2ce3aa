"""sweep runs: the last successful run of each sweep, for `capeval sweeps health`

Revision ID: 0017_sweep_runs
Revises: 0015_provisional_deadlines
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_sweep_runs"
down_revision = "0016_rules2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sweep_run",
        sa.Column("sweep", sa.String(length=40), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("examined", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sweep"),
    )


def downgrade() -> None:
    op.drop_table("sweep_run")
