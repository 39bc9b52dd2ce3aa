"""The privileges of the role the application connects as on PostgreSQL, when another role owns the tables.

The owner (who runs `capeval db init` and `db upgrade`) may drop or disable triggers; the application's
role may not, and is given only what it uses:

- every history table (`HISTORY_TABLES`): SELECT and INSERT, nothing else, so neither UPDATE, DELETE nor
  TRUNCATE gets through even if the triggers were gone;
- `alembic_version`: SELECT (the application checks the schema, it never migrates);
- every other table: SELECT, INSERT, UPDATE, DELETE (no TRUNCATE, REFERENCES or TRIGGER);
- every sequence of the schema: USAGE (the ids of new rows); the schema: USAGE.

Each table's privileges are revoked first, so applying the statements again after an upgrade (new tables)
leaves exactly these.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from capeval.states.errors import InputError

from .append_only import HISTORY_TABLES

MIGRATIONS_TABLE = "alembic_version"
_ROLE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
READ_AND_APPEND = "SELECT, INSERT"
READ_AND_WRITE = "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(connection: Connection, role: str) -> list[str]:
    """The statements giving `role` the application's privileges on the schema behind `connection`."""
    _check_role(connection, role)
    schema = str(connection.execute(sa.text("SELECT current_schema()")).scalar_one())
    tables = sorted(sa.inspect(connection).get_table_names(schema=schema))
    sequences = sorted(
        str(name)
        for name in connection.execute(
            sa.text("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = :schema"),
            {"schema": schema},
        ).scalars()
    )
    statements = [f"GRANT USAGE ON SCHEMA {_quoted(schema)} TO {role}"]
    for table in tables:
        statements.append(f"REVOKE ALL ON TABLE {_quoted(table)} FROM {role}")
        statements.append(f"GRANT {_privileges(table)} ON TABLE {_quoted(table)} TO {role}")
    statements.extend(f"GRANT USAGE ON SEQUENCE {_quoted(sequence)} TO {role}" for sequence in sequences)
    return statements


def apply_grants(connection: Connection, role: str) -> list[str]:
    """Run `grant_statements` on `connection` (in the caller's transaction); returns what was run."""
    statements = grant_statements(connection, role)
    for statement in statements:
        connection.execute(sa.text(statement))
    return statements


def _privileges(table: str) -> str:
    if table in HISTORY_TABLES:
        return READ_AND_APPEND
    if table == MIGRATIONS_TABLE:
        return "SELECT"
    return READ_AND_WRITE


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_role(connection: Connection, role: str) -> None:
    if not _ROLE.match(role):
        raise InputError("history_role_invalid", role=role)
    found = connection.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
    if found is None:
        raise InputError("history_role_missing", role=role)
    owners = connection.execute(
        sa.text(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(:t)"
        ),
        {"t": list(HISTORY_TABLES)},
    ).scalars()
    if bool(found[0]) or role in set(owners):
        raise InputError("history_role_is_owner", role=role)
