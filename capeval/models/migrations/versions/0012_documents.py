"""documents: the files handed in are kept by digest; evidence rows name the document they are

Evidence rows written before this revision name no document and stay as they are ("no file").

Revision ID: 0012_documents
Revises: 0010_decision_basis
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0012_documents"
down_revision = "0011_append_only_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["uploaded_by"], ["person.id"]),
        sa.PrimaryKeyConstraint("digest"),
    )
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_digest", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key("fk_evidence_item_document_digest", "document", ["document_digest"], ["digest"])
        batch_op.create_index(batch_op.f("ix_evidence_item_document_digest"), ["document_digest"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_item_document_digest"))
        batch_op.drop_constraint("fk_evidence_item_document_digest", type_="foreignkey")
        batch_op.drop_column("document_digest")
    op.drop_table("document")
