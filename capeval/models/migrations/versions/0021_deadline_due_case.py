"""deadline due case: the (status, due_on) index of deadlines also carries the case

Revision ID: 0021_deadline_due_case
Revises: 0020_stage_counts

The board's counts under a due-date filter ask which cases have an open deadline on or before a date.
With the case id in the index, those cases come off the index alone (no read of each deadline's row),
and the sweeps' lookups by status and due date use the same index as before.
"""

from __future__ import annotations

from alembic import op

revision = "0021_deadline_due_case"
down_revision = "0020_stage_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deadline_status_due_case", "deadline", ["status", "due_on", "application_id"])
    op.drop_index("ix_deadline_status_due", table_name="deadline")


def downgrade() -> None:
    op.create_index("ix_deadline_status_due", "deadline", ["status", "due_on"])
    op.drop_index("ix_deadline_status_due_case", table_name="deadline")
