"""The Core table behind a table model, for bulk statements that bypass the ORM."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> sa.Table:
    """The `sa.Table` that `model` maps (SQLModel does not declare `__table__` to type checkers)."""
    mapper = sa.inspect(model, raiseerr=False)
    table = mapper.local_table if mapper is not None else None
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def new_row_values(row: SQLModel) -> dict[str, Any]:
    """The column values of a new table-model row, as the ORM would insert it: every column, the primary key
    left out while unset (the database numbers it)."""
    table = table_of(type(row))
    values = {column.key: getattr(row, column.key) for column in table.columns}
    for column in table.primary_key:
        if values.get(column.key) is None:
            del values[column.key]
    return values
