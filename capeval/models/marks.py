"""Marks a database carries about itself: that it is a simulation, and the check of the key its digests use."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from .tables import table_of
from .types import AwareDateTime

SIMULATION = "simulation"
"""Set by `db init --simulation`: the clock may be set (`--now`, `CAPEVAL_NOW`) on this database."""

ID_KEY_CHECK = "id_key_check"
"""The check value of the key this database's ID-number digests are keyed with (never the key itself)."""


class DatabaseMark(SQLModel, table=True):
    """One named mark of this database, set once."""

    __tablename__ = "database_mark"

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
    set_at: datetime = Field(sa_type=AwareDateTime)


class MarkRepository:
    """The marks of this database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def value(self, name: str) -> str | None:
        """The value of the mark `name`, or None when it is not set."""
        mark = self.session.get(DatabaseMark, name)
        return mark.value if mark is not None else None

    def set(self, name: str, value: str, at: datetime) -> None:
        """Set the mark `name` (it must not be set yet)."""
        self.session.add(DatabaseMark(name=name, value=value, set_at=at))


def read_mark(engine: Engine, name: str) -> str | None:
    """The mark `name` of the database behind `engine`; None when unset or the database has no marks yet."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(DatabaseMark.__tablename__):
            return None
        table = table_of(DatabaseMark)
        return connection.execute(sa.select(table.c.value).where(table.c.name == name)).scalar_one_or_none()
