"""stage counts: how many cases each society has in each field and stage, kept by the database itself

Revision ID: 0020_stage_counts
Revises: 0019_federation_cpd_plan

The board shows how many cases of its filters are in each stage; counting them from `application` reads
every case on every page. `stage_count` holds one line per (society, field, stage) with its number of
cases, and triggers on `application` keep it in the same transaction as the insert, the delete or the
change of stage, society or field that moves a case, whatever wrote it (a handler, a sweep, a bulk load).
The upgrade fills it from the cases already there.

- PostgreSQL: one row trigger function; a move takes its two lines in key order, so that two transactions
  moving cases between the same two lines in opposite directions wait for each other instead of
  deadlocking.
- SQLite: one trigger per event.

A later migration that rebuilds `application` on SQLite (a batch ALTER) drops these triggers and must
create them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_stage_counts"
down_revision = "0019_federation_cpd_plan"
branch_labels = None
depends_on = None

_KEY = "society_id = {row}.society_id AND field_code = {row}.field_code AND stage = {row}.stage"
_ADD = (
    "INSERT INTO stage_count (society_id, field_code, stage, cases) "
    "VALUES ({row}.society_id, {row}.field_code, {row}.stage, 1) "
    "ON CONFLICT (society_id, field_code, stage) DO UPDATE SET cases = stage_count.cases + 1"
)
_TAKE = "UPDATE stage_count SET cases = cases - 1 WHERE " + _KEY
_MOVED = (
    "OLD.society_id IS DISTINCT FROM NEW.society_id OR OLD.field_code IS DISTINCT FROM NEW.field_code "
    "OR OLD.stage IS DISTINCT FROM NEW.stage"
)
_FUNCTION = f"""
CREATE FUNCTION capeval_count_stages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_ADD.format(row="NEW")};
    ELSIF TG_OP = 'DELETE' THEN
        {_TAKE.format(row="OLD")};
    ELSIF {_MOVED} THEN
        IF ROW(OLD.society_id, OLD.field_code, OLD.stage) < ROW(NEW.society_id, NEW.field_code, NEW.stage) THEN
            {_TAKE.format(row="OLD")};
            {_ADD.format(row="NEW")};
        ELSE
            {_ADD.format(row="NEW")};
            {_TAKE.format(row="OLD")};
        END IF;
    END IF;
    RETURN NULL;
END $$
"""
_SQLITE_TRIGGERS = {
    "stage_count_on_insert": f"AFTER INSERT ON application BEGIN {_ADD.format(row='NEW')}; END",
    "stage_count_on_delete": f"AFTER DELETE ON application BEGIN {_TAKE.format(row='OLD')}; END",
    "stage_count_on_update": (
        "AFTER UPDATE OF society_id, field_code, stage ON application "
        f"WHEN {_MOVED.replace('IS DISTINCT FROM', 'IS NOT')} "
        f"BEGIN {_TAKE.format(row='OLD')}; {_ADD.format(row='NEW')}; END"
    ),
}
_BACKFILL = (
    "INSERT INTO stage_count (society_id, field_code, stage, cases) "
    "SELECT society_id, field_code, stage, COUNT(*) FROM application GROUP BY society_id, field_code, stage"
)


def upgrade() -> None:
    op.create_table(
        "stage_count",
        sa.Column("society_id", sa.Integer(), nullable=False),
        sa.Column("field_code", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("society_id", "field_code", "stage"),
    )
    op.execute(_BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_FUNCTION)
        op.execute(
            "CREATE TRIGGER application_stage_count AFTER INSERT OR DELETE OR UPDATE OF society_id, field_code, "
            "stage ON application FOR EACH ROW EXECUTE FUNCTION capeval_count_stages()"
        )
        return
    for name, body in _SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS application_stage_count ON application")
        op.execute("DROP FUNCTION IF EXISTS capeval_count_stages()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("stage_count")
