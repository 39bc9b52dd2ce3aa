"""evaluation batches: the batches a society declares, each with its opening and closing day; the yearly
CPD plans of the societies, item by item

Revision ID: 0016_rules2
Revises: 0015_provisional_deadlines
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_rules2"
down_revision = "0015_provisional_deadlines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("society_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("declared_by", sa.String(length=100), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("society_id", "name", name="uq_evaluation_batch_society_name"),
    )
    with op.batch_alter_table("evaluation_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_batch_society_id"), ["society_id"], unique=False)
    op.create_table(
        "cpd_plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("society_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("loaded_by", sa.String(length=100), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("society_id", "year", "item_id", name="uq_cpd_plan_item_society_year_item"),
    )
    with op.batch_alter_table("cpd_plan_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_plan_item_society_id"), ["society_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cpd_plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_plan_item_society_id"))
    op.drop_table("cpd_plan_item")
    with op.batch_alter_table("evaluation_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_batch_society_id"))
    op.drop_table("evaluation_batch")
