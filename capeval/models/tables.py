"""The Core table behind a table model, for bulk statements that bypass the ORM."""

from __future__ import annotations

from functools import cache
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


def new_row_values(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """The column values the ORM would insert for a new `model` row given `values`: each column not given
    has its field's default; the database numbers the primary key."""
    defaults, required = _column_defaults(model)
    missing = required.difference(values)
    if missing:
        raise TypeError(f"a new {model.__name__} needs {', '.join(sorted(missing))}")
    return {**defaults, **values}


@cache
def _column_defaults(model: type[SQLModel]) -> tuple[dict[str, Any], frozenset[str]]:
    """The default of each column of `model` that has one, and the columns without one."""
    defaults: dict[str, Any] = {}
    required: set[str] = set()
    for column in table_of(model).columns:
        field = model.model_fields.get(column.key)
        if column.primary_key and column.autoincrement in (True, "auto"):
            continue
        if field is None or field.is_required():
            required.add(column.key)
        elif field.default_factory is not None:
            raise TypeError(f"{model.__name__}.{column.key} has a default factory: build the row instead")
        else:
            defaults[column.key] = field.default
    return defaults, frozenset(required)
