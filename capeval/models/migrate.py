"""The schema of a database: which Alembic revision it is at, and bringing it to the newest one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from capeval.states.errors import DomainError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at capeval's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands: its revision (None when it has no capeval tables) and the newest one."""

    current: str | None
    head: str
    tables: int

    @property
    def empty(self) -> bool:
        """No capeval schema at all: neither a revision nor any table."""
        return self.current is None and self.tables == 0

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(engine: Engine) -> SchemaStatus:
    """The revision and table count of the database behind `engine`."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = len(sa.inspect(connection).get_table_names())
    return SchemaStatus(current, head_revision(), tables)


KEYED_IDENTITY = "0007_keyed_identity"
"""The revision that keys the stored ID-number digests; it needs the key when there are any."""


def pending_revisions(engine: Engine) -> list[str]:
    """The revisions an upgrade would run, oldest first."""
    current = current_revision(engine)
    scripts = ScriptDirectory.from_config(alembic_config()).iterate_revisions("head", current or "base")
    return [script.revision for script in scripts][::-1]


def digests_to_key(engine: Engine) -> int:
    """How many stored ID-number digests an upgrade would key (0 when the database is keyed already)."""
    if KEYED_IDENTITY not in pending_revisions(engine):
        return 0
    with engine.connect() as connection:
        present = set(sa.inspect(connection).get_table_names())
        tables = [table for table in ("person", "lifetime_ban") if table in present]
        return sum(int(connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()) for table in tables)


def upgrade(engine: Engine, *, id_key: bytes | None = None) -> bool:
    """Migrate to the newest revision, keying stored digests with `id_key`; returns True when anything ran."""
    if current_revision(engine) == head_revision():
        return False
    migrate(engine, "head", id_key=id_key)
    return True


def migrate(engine: Engine, revision: str, *, id_key: bytes | None = None) -> None:
    """Bring the schema up or down to `revision` in one transaction.

    On SQLite the foreign keys are off while tables are rebuilt, and the transaction is refused when the
    migration leaves rows referring to missing ones that were not there before.
    """
    going_down = revision != "head" and revision in pending_revisions_to_base(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _foreign_keys(connection, "OFF")
        try:
            with connection.begin():
                dangling = _dangling(connection) if sqlite else set()
                config = alembic_config(connection)
                config.attributes["id_key"] = id_key
                (command.downgrade if going_down else command.upgrade)(config, revision)
                if sqlite and _dangling(connection) - dangling:
                    raise DomainError("database_migration_dangling", revision=revision)
        finally:
            if sqlite:
                _foreign_keys(connection, "ON")


def pending_revisions_to_base(engine: Engine) -> list[str]:
    """The revisions from the database's current one down to the first (what a downgrade may go to)."""
    current = current_revision(engine)
    if current is None:
        return []
    scripts = ScriptDirectory.from_config(alembic_config()).iterate_revisions(current, "base")
    return [script.revision for script in scripts][1:]


def _dangling(connection: Connection) -> set[tuple[object, ...]]:
    """The rows SQLite finds referring to missing ones (a database may hold some from before; they stay)."""
    return {tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")}


def _foreign_keys(connection: Connection, state: str) -> None:
    """Switch SQLite's foreign keys (outside a transaction, the only place it takes effect).

    SQLite rebuilds a table to change it; with foreign keys on, dropping a table others refer to fails,
    so migrations run with them off and are checked with `foreign_key_check` before they commit.
    """
    connection.exec_driver_sql(f"PRAGMA foreign_keys={state}")
    connection.commit()
