"""The Core table behind a table model, for bulk statements that bypass the ORM."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> sa.Table:
    """The `sa.Table` that `model` maps (SQLModel does not declare `__table__` to type checkers)."""
    mapper = sa.inspect(model, raiseerr=False)
    table = mapper.local_table if mapper is not None else None
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table
