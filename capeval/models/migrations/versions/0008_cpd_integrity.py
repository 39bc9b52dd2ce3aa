"""CPD integrity: one ledger row per activity, who recognized it, the society's lecturer record, the term of validity

Revision ID: 0008_cpd_integrity
Revises: 0007_keyed_identity

- `cpd_activity.natural_key` (unique per holder) and `recognized_by`. Existing rows get their key; of rows
  with the same key (the same activity imported more than once) the first is kept and the copies are
  deleted, since they counted the same hours twice. `recognized_by` starts as `recorded_by`.
- `cpd_lecturer`: the society's record of qualified lecturers (CPD-2024 art. 13(3), 14).
- `certificate.valid_from`: the first day of the current term; a certificate already renewed gets the day
  5 years (Q&A Q27) before the day after its expiry, one never renewed keeps NULL (its issue date).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_cpd_integrity"
down_revision = "0007_keyed_identity"
branch_labels = None
depends_on = None

VALIDITY_YEARS = 5

_ACTIVITY = sa.table(
    "cpd_activity",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("happened_on", sa.Date),
    sa.column("attributes", sa.JSON),
    sa.column("recorded_by", sa.String),
    sa.column("recognized_by", sa.String),
    sa.column("natural_key", sa.String),
)
_CERTIFICATE = sa.table(
    "certificate",
    sa.column("id", sa.Integer),
    sa.column("expires_on", sa.Date),
    sa.column("renewals", sa.Integer),
    sa.column("valid_from", sa.Date),
)


def _natural_key(happened_on: date, kind: str, attributes: dict[str, Any]) -> str:
    """The key of `capeval.states.cpd_ledger.natural_key` at this revision, from a stored row."""
    title = " ".join(unicodedata.normalize("NFKC", str(attributes.get("title") or "")).split()).casefold()
    parts = [
        happened_on.isoformat(),
        kind,
        title,
        attributes.get("minutes"),
        attributes.get("days"),
        attributes.get("credited_hours"),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _term_start(expires_on: date) -> date:
    first_renewed_day = expires_on + timedelta(days=1)
    try:
        return first_renewed_day.replace(year=first_renewed_day.year - VALIDITY_YEARS)
    except ValueError:
        return date(first_renewed_day.year - VALIDITY_YEARS, 3, 1)


def _key_the_ledger(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(_ACTIVITY.c.id, _ACTIVITY.c.person_id, _ACTIVITY.c.kind, _ACTIVITY.c.happened_on, _ACTIVITY.c.attributes)
        .order_by(_ACTIVITY.c.id)
    ).all()
    seen: set[tuple[int, str]] = set()
    copies: list[int] = []
    keys: list[dict[str, Any]] = []
    for row_id, person_id, kind, happened_on, attributes in rows:
        key = _natural_key(happened_on, kind, attributes or {})
        if (person_id, key) in seen:
            copies.append(row_id)
            continue
        seen.add((person_id, key))
        keys.append({"row_id": row_id, "key": key})
    if copies:
        connection.execute(sa.delete(_ACTIVITY).where(_ACTIVITY.c.id.in_(copies)))
    if keys:
        connection.execute(
            sa.update(_ACTIVITY).where(_ACTIVITY.c.id == sa.bindparam("row_id")).values(natural_key=sa.bindparam("key")),
            keys,
        )
    connection.execute(sa.update(_ACTIVITY).values(recognized_by=_ACTIVITY.c.recorded_by))


def _date_the_terms(connection: sa.Connection) -> None:
    renewed = connection.execute(
        sa.select(_CERTIFICATE.c.id, _CERTIFICATE.c.expires_on).where(_CERTIFICATE.c.renewals > 0)
    ).all()
    if renewed:
        connection.execute(
            sa.update(_CERTIFICATE)
            .where(_CERTIFICATE.c.id == sa.bindparam("row_id"))
            .values(valid_from=sa.bindparam("start")),
            [{"row_id": row_id, "start": _term_start(expires_on)} for row_id, expires_on in renewed],
        )


def upgrade() -> None:
    op.create_table(
        "cpd_lecturer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("society_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "society_id", "since"),
    )
    with op.batch_alter_table("cpd_lecturer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_lecturer_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("cpd_activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recognized_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("natural_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))

    connection = op.get_bind()
    _key_the_ledger(connection)
    _date_the_terms(connection)

    with op.batch_alter_table("cpd_activity", schema=None) as batch_op:
        batch_op.alter_column("recognized_by", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("natural_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_cpd_activity_person_natural_key", ["person_id", "natural_key"])


def downgrade() -> None:
    # Not in batch mode: recreating `certificate` on SQLite would break the foreign keys that point at it.
    op.drop_column("certificate", "valid_from")
    with op.batch_alter_table("cpd_activity", schema=None) as batch_op:
        batch_op.drop_constraint("uq_cpd_activity_person_natural_key", type_="unique")
        batch_op.drop_column("natural_key")
        batch_op.drop_column("recognized_by")
    with op.batch_alter_table("cpd_lecturer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_lecturer_person_id"))
    op.drop_table("cpd_lecturer")
