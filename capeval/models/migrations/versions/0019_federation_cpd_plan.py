"""federation CPD plan: the yearly plan the federation publishes beside the societies' (Q&A A21)

Revision ID: 0019_federation_cpd_plan
Revises: 0018_work_experience
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_federation_cpd_plan"
down_revision = "0018_work_experience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "federation_cpd_plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("loaded_by", sa.String(length=100), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "item_id", name="uq_federation_cpd_plan_item_year_item"),
    )


def downgrade() -> None:
    op.drop_table("federation_cpd_plan_item")
