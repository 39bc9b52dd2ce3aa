"""Keyed identity: ID-number digests become HMAC-SHA-256 with a key kept outside the database; database marks.

Every stored SHA-256 digest (people and lifetime bans) is keyed in place: HMAC-SHA-256(key, old digest), so
a number digested the new way finds the same row. Masked numbers keep only their area code. The key comes
from the settings through the migration's attributes (`id_key`); a database with digests is not upgraded
without it. The new `database_mark` table records the key's check value (never the key) and whether the
database is a simulation whose clock may be set.

Revision ID: 0007_keyed_identity
Revises: 0006_authority
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

from capeval.states.errors import InputError

revision = "0007_keyed_identity"
down_revision = "0006_authority"
branch_labels = None
depends_on = None

KEYED_TABLES = ("person", "lifetime_ban")
KEY_CHECK_LABEL = b"capeval: the key of ID-number digests"


def _keyed(key: bytes, plain: str) -> str:
    return hmac.new(key, plain.encode("ascii"), hashlib.sha256).hexdigest()


def upgrade() -> None:
    mark = op.create_table(
        "database_mark",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    connection = op.get_bind()
    held = {
        table: connection.execute(sa.text(f"SELECT id, id_number_digest FROM {table}")).all()
        for table in KEYED_TABLES
    }
    key: bytes | None = context.config.attributes.get("id_key")
    if key is None:
        rows = sum(len(found) for found in held.values())
        if rows:
            raise InputError("id_key_missing_for_upgrade", url=str(connection.engine.url), rows=rows)
        return
    for table, found in held.items():
        if found:
            connection.execute(
                sa.text(f"UPDATE {table} SET id_number_digest = :digest WHERE id = :id"),
                [{"digest": _keyed(key, plain), "id": row_id} for row_id, plain in found],
            )
    masked = connection.execute(sa.text("SELECT id, id_number_masked FROM person")).all()
    if masked:
        connection.execute(
            sa.text("UPDATE person SET id_number_masked = :masked WHERE id = :id"),
            [{"masked": shown[:6] + "*" * 12, "id": row_id} for row_id, shown in masked],
        )
    check = hmac.new(key, KEY_CHECK_LABEL, hashlib.sha256).hexdigest()
    op.bulk_insert(mark, [{"name": "id_key_check", "value": check, "set_at": datetime.now(UTC)}])


def downgrade() -> None:
    """Drops the marks; keyed digests stay keyed (a key cannot be taken off a digest)."""
    op.drop_table("database_mark")
