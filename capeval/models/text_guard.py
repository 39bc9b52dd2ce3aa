"""What a database may be given, checked the same on SQLite and PostgreSQL before any statement runs.

PostgreSQL refuses a NUL character, a lone surrogate, a string longer than its column and an integer
beyond its column's range with a `DataError`; SQLite stores them all. This guard runs before every
statement and refuses them first, in one coded line naming the table and column, on both backends.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from capeval.states.errors import InputError
from capeval.states.text import refuse_unstorable

BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
_SUFFIX = re.compile(r"_\d+$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def guard_parameters(engine: Engine) -> None:
    """Check every statement's parameters on `engine` before it runs (see the module's docstring)."""
    sa.event.listen(engine, "before_cursor_execute", _check_parameters)


def _check_parameters(
    _connection: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any, _executemany: bool
) -> None:
    compiled = getattr(context, "compiled", None)
    binds = getattr(compiled, "binds", None)
    if binds is None:
        return
    limits = _limits(compiled, binds, bool(context.isinsert or context.isupdate))
    for row in context.compiled_parameters or ():
        for name, value in row.items():
            if type(value) is str:
                if "\x00" in value or (not value.isascii() and _SURROGATE.search(value)):
                    refuse_unstorable(value, _where(compiled, name))
                length = limits.text.get(name)
                if length is not None and len(value) > length:
                    raise InputError(
                        "text_too_long_for_column", where=_where(compiled, name), limit=length, length=len(value)
                    )
            elif type(value) is int:
                limit = INTEGER_MAX if name in limits.small else BIGINT_MAX
                if not -limit <= value <= limit:
                    where = _where(compiled, name)
                    raise InputError("number_out_of_range_for_column", where=where, limit=limit, got=_short(value))


class _Limits(NamedTuple):
    text: dict[str, int]
    """The length of each bounded text column a statement writes, by parameter name."""
    small: frozenset[str]
    """The parameters a statement writes into 32-bit integer columns."""


_NO_LIMITS = _Limits({}, frozenset())


def _limits(compiled: Any, binds: dict[str, Any], writing: bool) -> _Limits:
    """The column limits of a compiled statement's parameters, worked out once per compiled statement."""
    if not writing:
        return _NO_LIMITS
    known: _Limits | None = compiled.__dict__.get("_capeval_limits")
    if known is None:
        text = {
            name: bind.type.length
            for name, bind in binds.items()
            if isinstance(getattr(bind.type, "length", None), int)
        }
        small = frozenset(
            name
            for name, bind in binds.items()
            if isinstance(bind.type, sa.Integer) and not isinstance(bind.type, sa.BigInteger)
        )
        known = _Limits(text, small)
        compiled.__dict__["_capeval_limits"] = known
    return known


def _where(compiled: Any, name: str) -> str:
    table = getattr(getattr(compiled, "statement", None), "table", None)
    prefix = f"{table.name}." if isinstance(table, sa.Table) else ""
    return prefix + _SUFFIX.sub("", name)


def _short(value: int) -> str:
    return str(value) if value.bit_length() <= 128 else f"a number of {value.bit_length()} bits"
