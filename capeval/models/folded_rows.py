"""A list of rows read as one JSON column of another statement, per dialect, and read back as the values the
rows themselves would have given.

`FoldedRows(columns, keys, source, where)` is a correlated scalar subquery (`column`) holding every row of
`source` that matches `where` as a JSON array of arrays: `json_group_array(json_array(...))` on SQLite,
`json_agg(json_build_array(...))` on PostgreSQL. `rows(value, dialect)` turns it back into tuples of
`columns`, ordered by `keys` (neither aggregate promises an order, so the keys travel in each element and
the rows are sorted here). On SQLite the JSON holds each value as the driver returns it (text for dates
and timestamps, integers for booleans) and the column's type converts it as for any row; on PostgreSQL
dates and timestamps arrive as ISO text and are parsed first, as the driver would have.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine


class _JsonRow(FunctionElement[Any]):
    """A JSON array of its arguments."""

    inherit_cache = True
    type = sa.JSON()


class _JsonRows(FunctionElement[Any]):
    """The JSON array of its argument over the group's rows (an aggregate)."""

    inherit_cache = True
    type = sa.JSON()


@compiles(_JsonRow)
def _row_sqlite(element: _JsonRow, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array({compiler.process(element.clauses, **kw)})"


@compiles(_JsonRow, "postgresql")
def _row_postgresql(element: _JsonRow, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_array({compiler.process(element.clauses, **kw)})"


@compiles(_JsonRows)
def _rows_sqlite(element: _JsonRows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array({compiler.process(element.clauses, **kw)})"


@compiles(_JsonRows, "postgresql")
def _rows_postgresql(element: _JsonRows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_agg({compiler.process(element.clauses, **kw)})"


Reader = Callable[[Any], Any]


def _reader(type_: TypeEngine[Any], dialect: Dialect) -> Reader:
    """How one JSON value of a column of `type_` becomes what a row of the column gives on `dialect`."""
    processor = type_.dialect_impl(dialect).result_processor(dialect, None)
    parse: Reader | None = None
    if dialect.name != "sqlite":
        stored = type_.impl_instance if isinstance(type_, sa.TypeDecorator) else type_
        if isinstance(stored, sa.DateTime):
            parse = datetime.fromisoformat
        elif isinstance(stored, sa.Date):
            parse = date.fromisoformat

    def read(value: Any) -> Any:
        if value is not None and parse is not None:
            value = parse(value)
        return processor(value) if processor is not None else value

    return read


class FoldedRows:
    """The rows of `source` matching `where` (which names the outer statement's `correlate`), as one JSON
    column: `column` to select, `rows` to read it back as tuples of `columns` in the order of `keys`."""

    def __init__(
        self,
        name: str,
        columns: Sequence[sa.ColumnElement[Any]],
        keys: Sequence[sa.ColumnElement[int]],
        source: sa.FromClause,
        where: sa.ColumnElement[bool],
        correlate: sa.FromClause,
    ) -> None:
        self._types = [column.type for column in columns]
        self._keys = len(keys)
        self._readers: dict[str, list[Reader]] = {}
        element = _JsonRow(*keys, *columns)
        self.column: sa.Label[Any] = (
            sa.select(_JsonRows(element)).select_from(source).where(where).correlate(correlate).scalar_subquery()
        ).label(name)

    def rows(self, value: Any, dialect: Dialect) -> list[tuple[Any, ...]]:
        """The rows `value` (the column as read) holds, each value as its column gives it, in key order."""
        if value is None:
            return []
        found: list[list[Any]] = json.loads(value) if isinstance(value, str) else value
        readers = self._readers.get(dialect.name)
        if readers is None:
            readers = self._readers[dialect.name] = [_reader(type_, dialect) for type_ in self._types]
        found.sort(key=lambda element: element[: self._keys])
        return [
            tuple(read(item) for read, item in zip(readers, element[self._keys :], strict=True)) for element in found
        ]
