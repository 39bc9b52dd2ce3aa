"""web accounts: console passwords, server-side sessions, API tokens and failed sign-ins

Revision ID: 0014_web_accounts
Revises: 0010_decision_basis
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_web_accounts"
down_revision = "0013_references"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_account",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), primary_key=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_digest", sa.String(length=64), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_session_person_id", "web_session", ["person_id"])
    op.create_index("ix_web_session_expires_at", "web_session", ["expires_at"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_digest", sa.String(length=64), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_api_token_person_id", "api_token", ["person_id"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("throttle_key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_attempt_key_at", "login_attempt", ["throttle_key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempt_key_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.drop_index("ix_api_token_person_id", table_name="api_token")
    op.drop_table("api_token")
    op.drop_index("ix_web_session_expires_at", table_name="web_session")
    op.drop_index("ix_web_session_person_id", table_name="web_session")
    op.drop_table("web_session")
    op.drop_table("web_account")
