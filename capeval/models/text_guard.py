"""What a database may be given, checked the same on SQLite and PostgreSQL before any statement runs.

PostgreSQL refuses a NUL character, a lone surrogate, a string longer than its column and an integer
beyond its column's range with a `DataError`; SQLite stores them all. This guard runs before every
statement and refuses them first, in one coded line naming the table and column, on both backends.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from capeval.states.errors import InputError
from capeval.states.text import refuse_unstorable

BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
_SUFFIX = re.compile(r"_\d+$")


def guard_parameters(engine: Engine) -> None:
    """Check every statement's parameters on `engine` before it runs (see the module's docstring)."""
    sa.event.listen(engine, "before_cursor_execute", _check_parameters)


def _check_parameters(
    _connection: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any, _executemany: bool
) -> None:
    compiled = getattr(context, "compiled", None)
    if compiled is None:
        return
    writing = bool(context.isinsert or context.isupdate)
    binds = getattr(compiled, "binds", None)
    if binds is None:
        return
    table = getattr(getattr(compiled, "statement", None), "table", None)
    prefix = f"{table.name}." if isinstance(table, sa.Table) else ""
    for row in context.compiled_parameters or ():
        for name, value in row.items():
            if isinstance(value, str):
                _check_text(value, binds.get(name), writing, prefix + _SUFFIX.sub("", name))
            elif isinstance(value, int) and not isinstance(value, bool):
                _check_number(value, binds.get(name), writing, prefix + _SUFFIX.sub("", name))


def _check_text(value: str, bind: Any, writing: bool, where: str) -> None:
    refuse_unstorable(value, where)
    limit = getattr(getattr(bind, "type", None), "length", None) if writing else None
    if isinstance(limit, int) and len(value) > limit:
        raise InputError("text_too_long_for_column", where=where, limit=limit, length=len(value))


def _check_number(value: int, bind: Any, writing: bool, where: str) -> None:
    kind = getattr(bind, "type", None)
    small = writing and isinstance(kind, sa.Integer) and not isinstance(kind, sa.BigInteger)
    limit = INTEGER_MAX if small else BIGINT_MAX
    if not -limit <= value <= limit:
        raise InputError("number_out_of_range_for_column", where=where, limit=limit, got=_short(value))


def _short(value: int) -> str:
    return str(value) if value.bit_length() <= 128 else f"a number of {value.bit_length()} bits"
