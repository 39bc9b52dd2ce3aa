"""references: every case gets a human reference (society code, year of creation, 4-digit sequence)

Existing cases are numbered deterministically: per society and year of creation (Asia/Shanghai), in the
order of their ids.

Revision ID: 0013_references
Revises: 0010_decision_basis
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0013_references"
down_revision = "0012_documents"
branch_labels = None
depends_on = None

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def _year(created_at: object) -> int:
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at)
    assert isinstance(created_at, datetime)
    moment = created_at if created_at.tzinfo else created_at.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(_SHANGHAI).year


def upgrade() -> None:
    table = op.create_table(
        "case_reference",
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("application.id"), primary_key=True),
        sa.Column("society_id", sa.Integer(), sa.ForeignKey("society.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.UniqueConstraint("society_id", "year", "sequence"),
        sa.UniqueConstraint("reference"),
    )
    rows = op.get_bind().execute(
        sa.text(
            "SELECT a.id, a.society_id, s.code, a.created_at FROM application a "
            "JOIN society s ON s.id = a.society_id ORDER BY a.id"
        )
    )
    counters: dict[tuple[int, int], int] = {}
    values = []
    for case_id, society_id, code, created_at in rows:
        year = _year(created_at)
        sequence = counters.get((society_id, year), 0) + 1
        counters[(society_id, year)] = sequence
        reference = f"{str(code).upper()}-{year:04d}-{sequence:04d}"
        values.append(
            {"application_id": case_id, "society_id": society_id, "year": year, "sequence": sequence, "reference": reference}
        )
    if values:
        op.bulk_insert(table, values)


def downgrade() -> None:
    op.drop_table("case_reference")
