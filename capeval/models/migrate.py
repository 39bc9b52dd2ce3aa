"""The schema of a database: which Alembic revision it is at, and bringing it to the newest one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from capeval.states.errors import DomainError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"""^revision\s*(?::\s*\w+)?\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"""^down_revision\s*(?::[^=]+)?=\s*(?:None|['"]([^'"]+)['"])\s*$""", re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at capeval's migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest migration's revision id.

    Read from the migration files' `revision` and `down_revision` lines, so that a command that does not
    migrate never imports Alembic; Alembic itself answers when a file says more than one plain line each
    (a merge, a branch).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in sorted((MIGRATIONS / "versions").glob("*.py")):
        if file.name == "__init__.py":
            continue
        text = file.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(text), _DOWN_REVISION.findall(text)
        if len(revision) != 1 or len(down) != 1:
            return _alembic_head()
        revisions.add(revision[0])
        parents.update(d for d in down if d)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else _alembic_head()


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return _current_revision(connection)


def _current_revision(connection: Connection) -> str | None:
    """The one row of Alembic's version table, read with plain SQL (None when there is no such table)."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


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
        current = _current_revision(connection)
        tables = len(sa.inspect(connection).get_table_names())
    return SchemaStatus(current, head_revision(), tables)


KEYED_IDENTITY = "0007_keyed_identity"
"""The revision that keys the stored ID-number digests; it needs the key when there are any."""


def pending_revisions(engine: Engine) -> list[str]:
    """The revisions an upgrade would run, oldest first."""
    from alembic.script import ScriptDirectory

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
    from alembic import command

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
    from alembic.script import ScriptDirectory

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
