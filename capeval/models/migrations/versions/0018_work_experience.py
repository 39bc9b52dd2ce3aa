"""work experience: the periods an application declares and each society field's rule of years per level;
governance step deadlines through an unpublished year are marked provisional with their basis

Revision ID: 0018_work_experience
Revises: 0017_sweep_runs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_work_experience"
down_revision = "0017_sweep_runs"
branch_labels = None
depends_on = None

RULE_COLUMNS = ("experience_years_apprentice", "experience_years_professional", "experience_years_senior")


def upgrade() -> None:
    with op.batch_alter_table("society_field", schema=None) as batch_op:
        for name in RULE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("postgraduate_practice_counts", sa.Boolean(), nullable=True))
    op.create_table(
        "work_experience",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False, server_default=sa.text("'employment'")),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_experience", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_experience_application_id"), ["application_id"], unique=False)
    with op.batch_alter_table("governance_deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("basis", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("start_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("working_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("governance_deadline", schema=None) as batch_op:
        for name in ("working_days", "start_on", "basis", "provisional"):
            batch_op.drop_column(name)
    with op.batch_alter_table("work_experience", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_experience_application_id"))
    op.drop_table("work_experience")
    with op.batch_alter_table("society_field", schema=None) as batch_op:
        batch_op.drop_column("postgraduate_practice_counts")
        for name in reversed(RULE_COLUMNS):
            batch_op.drop_column(name)
