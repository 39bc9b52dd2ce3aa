"""provisional deadlines: a deadline through an unpublished year is marked with its basis; changes are recorded;
a society's CPD policy choices are kept with the year each applies from

Revision ID: 0015_provisional_deadlines
Revises: 0010_decision_basis
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_provisional_deadlines"
down_revision = "0014_web_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("basis", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("start_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("working_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("original_due_on", sa.Date(), nullable=True))
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("basis", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("paused_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("working_days_left", sa.Integer(), nullable=True))
    op.create_table(
        "deadline_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("review_task_id", sa.Integer(), nullable=True),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("old_due_on", sa.Date(), nullable=True),
        sa.Column("new_due_on", sa.Date(), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadline.id"]),
        sa.ForeignKeyConstraint(["review_task_id"], ["review_task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deadline_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_change_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_change_deadline_id"), ["deadline_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_change_review_task_id"), ["review_task_id"], unique=False)


    op.create_table(
        "society_cpd_policy_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("society_id", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(length=20), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("chosen_by", sa.String(length=100), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("society_cpd_policy_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_society_cpd_policy_change_society_id"), ["society_id"], unique=False)
    with op.batch_alter_table("cpd_activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("revoked_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.add_column(sa.Column("projects", sa.JSON(), nullable=True))
    op.create_table(
        "verification_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("verification_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verification_request_application_id"), ["application_id"], unique=False)
    # a choice made before this revision keeps judging every year, as it did
    op.execute(
        "INSERT INTO society_cpd_policy_change (society_id, policy, from_year, chosen_by, chosen_at) "
        "SELECT society_id, policy, 1900, chosen_by, chosen_at FROM society_cpd_policy"
    )


def downgrade() -> None:
    with op.batch_alter_table("verification_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_request_application_id"))
    op.drop_table("verification_request")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_column("projects")
    with op.batch_alter_table("cpd_activity", schema=None) as batch_op:
        for name in ("revoked_reason", "revoked_by", "revoked_at"):
            batch_op.drop_column(name)
    with op.batch_alter_table("society_cpd_policy_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_society_cpd_policy_change_society_id"))
    op.drop_table("society_cpd_policy_change")
    with op.batch_alter_table("deadline_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_change_review_task_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_change_deadline_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_change_application_id"))
    op.drop_table("deadline_change")
    with op.batch_alter_table("review_task", schema=None) as batch_op:
        for name in ("working_days_left", "paused_on", "basis", "provisional"):
            batch_op.drop_column(name)
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        for name in ("original_due_on", "working_days", "start_on", "basis", "provisional"):
            batch_op.drop_column(name)
