"""The history tables and their append-only protection: which triggers each needs, and whether they are there.

Migration `0011_append_only_history` creates the triggers; a change of a history line, by capeval or by
anyone connected to the database, ends in `DomainError("history_append_only", table=...)` when it goes
through capeval's engine (`database_errors.code_refusals`), and in the database's own error (naming the
table) elsewhere.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

HISTORY_TABLES: tuple[str, ...] = ("stage_history", "certificate_history", "review_task_event", "governance_history")
"""Every table of lines that are written once and never changed: the application may only read and add
(`StageHistory`, `CertificateHistory`, `ReviewTaskEvent`, `GovernanceHistory`; named here so that turning
a refusal into its coded error loads none of their model classes).
"""


def required_triggers(dialect: str, table: str) -> tuple[str, ...]:
    """The triggers that keep `table` append-only on this kind of database."""
    if dialect == "postgresql":
        return (f"{table}_append_only", f"{table}_no_truncate")
    return (f"{table}_no_update", f"{table}_no_delete", f"{table}_no_replace")


def missing_protection(connection: Connection) -> list[tuple[str, str]]:
    """(table, trigger) for every trigger a history table should have and has not."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        query = sa.text(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(:tables) AND NOT t.tgisinternal AND t.tgenabled <> 'D' "
            "AND pg_table_is_visible(c.oid)"
        )
        present = {(str(r[0]), str(r[1])) for r in connection.execute(query, {"tables": list(HISTORY_TABLES)})}
    else:
        query = sa.text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        present = {(str(r[0]), str(r[1])) for r in connection.execute(query)}
    return [
        (table, trigger)
        for table in HISTORY_TABLES
        for trigger in required_triggers(dialect, table)
        if (table, trigger) not in present
    ]
