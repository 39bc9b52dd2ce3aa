"""append-only history: no line of any history table can be changed, removed, replaced or truncated

Revision ID: 0011_append_only_history
Revises: 0010_decision_basis

Until now only `stage_history` refused UPDATE and DELETE. Every history table now does:

- PostgreSQL: a row trigger refusing UPDATE and DELETE (an `INSERT ... ON CONFLICT DO UPDATE` is an
  update) and a statement trigger refusing TRUNCATE (also one cascading from another table). The
  function raising names the table. A role that does not own the tables cannot drop or disable them;
  see `capeval db grants`.
- SQLite: BEFORE UPDATE and BEFORE DELETE triggers, and a BEFORE INSERT trigger refusing a line whose id
  already exists: `INSERT OR REPLACE` deletes the old line without firing delete triggers (unless
  recursive triggers are on), so the insert itself is refused. SQLite has no TRUNCATE; its `DELETE FROM`
  without WHERE fires the delete trigger.

A later migration that rebuilds a history table on SQLite (a batch ALTER) drops its triggers and must
create them again; `capeval db verify` reports a history table that lost them.
"""

from __future__ import annotations

from alembic import op

revision = "0011_append_only_history"
down_revision = "0010_decision_basis"
branch_labels = None
depends_on = None

HISTORIES = ("stage_history", "certificate_history", "review_task_event", "governance_history")
"""Every history table at this revision."""

_REFUSE = (
    "CREATE OR REPLACE FUNCTION capeval_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$"
)
_REFUSE_BEFORE = (
    "CREATE OR REPLACE FUNCTION capeval_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'stage_history is append-only'; END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_REFUSE)
        for table in HISTORIES:
            if table != "stage_history":  # 0001 made its row trigger
                op.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION capeval_refuse_change()"
                )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION capeval_refuse_change()"
            )
        return
    for table in HISTORIES:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in HISTORIES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            if table != "stage_history":
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(_REFUSE_BEFORE)
        return
    for table in HISTORIES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        if table != "stage_history":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
