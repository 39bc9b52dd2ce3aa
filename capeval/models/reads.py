"""Reads that need no transaction of their own: a page's lookups, none of which writes.

On PostgreSQL the connection is in autocommit, so no BEGIN and ROLLBACK travel to the server around the
statements; at the READ COMMITTED level the engine runs at, each statement sees its own snapshot either
way. On SQLite the driver begins no transaction for a read, so the connection is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from .unit_of_work import UnitOfWork


@contextmanager
def read_connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection of `engine` for reads alone (see the module); closed on leaving."""
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


@contextmanager
def reading_unit(engine: sa.Engine) -> Iterator[UnitOfWork]:
    """A unit of work for reads alone on `read_connection`: never commit it (on PostgreSQL each statement
    would be committed as it runs)."""
    with read_connection(engine) as connection, UnitOfWork(sessionmaker(bind=connection, class_=Session)) as uow:
        yield uow
