"""What a database error means, in one place: the driver's and SQLAlchemy's errors sorted into the classes
capeval acts on, each turned into its coded error.

- a conflict: another transaction got there first (a unique key, a stale version, a serialization failure
  or a deadlock), so the unit of work ends as the one "changed by someone else" error (`is_conflict`);
- a refusal: a history trigger refused to change a line of an append-only table, or the connected role
  lacks the privilege; the engine raises it coded at once (`code_refusals`);
- unavailable: the server cannot be reached, refuses the login, has no such database or schema, a lock or
  a statement ran out of time (`database_failure`);
- a data error: text or a number the database cannot store (`database_failure`).

The coded lines name the server (host:port or the SQLite file) and what to do; never the statement, its
parameters or a password.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from capeval.states.errors import CapevalError, DatabaseUnavailable, DomainError, InputError

from .append_only import HISTORY_TABLES

if TYPE_CHECKING:
    from .database import DatabaseTimeouts

# --- conflicts ------------------------------------------------------------------------------------------

_CONFLICT_STATES = ("40001", "40P01")
"""PostgreSQL's serialization failure and deadlock: another transaction won. A lock still held when the lock
timeout runs out is not a conflict: it comes out as the database's own one-line error ("locked by another
process"), since nothing was read stale."""


def is_conflict(error: BaseException) -> bool:
    """Whether a database error means another transaction got there first (so the work may be done again)."""
    if isinstance(error, (IntegrityError, StaleDataError)):
        return True
    if isinstance(error, DBAPIError):
        state = getattr(error.orig, "sqlstate", None)
        return state in _CONFLICT_STATES
    return False


# --- refusals: append-only history, missing privilege -----------------------------------------------------

_REFUSAL = re.compile(r"\b([a-z_]+) is append-only")

INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for a statement the connected role has no privilege for (or does not own)."""


def refused_table(error: BaseException) -> str | None:
    """The history table whose trigger refused the statement that raised `error`, or None."""
    found = _REFUSAL.search(str(error))
    return found.group(1) if found is not None and found.group(1) in HISTORY_TABLES else None


def _coded_refusal(context: Any) -> None:
    error = context.original_exception
    table = refused_table(error)
    if table is not None:
        raise DomainError("history_append_only", table=table) from None
    if getattr(error, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
        detail = str(error).strip().splitlines()[0]
        raise DomainError("database_permission_denied", detail=detail) from None


def code_refusals(engine: Engine) -> None:
    """Make `engine` raise coded errors when the database refuses a statement: `history_append_only` when a
    history trigger does, `database_permission_denied` when the role it connects as lacks the privilege."""
    sa.event.listen(engine, "handle_error", _coded_refusal)


# --- unavailable, timed out, data the database cannot store ---------------------------------------------

_LOCKED_STATES = {"55P03", "40P01"}
_CANCELLED_STATES = {"57014"}
_TEXT_STATES = {"22021", "22P05", "22001"}
_NUMBER_STATES = {"22003"}
_LOGIN_STATES = {"28P01", "28000"}
_SCHEMA_STATES = {"42P01"}


def server_of(url: str) -> str:
    """Where a URL points, as messages show it: host:port for a server, the file for SQLite."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "?"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def database_failure(error: BaseException, url: str, timeouts: DatabaseTimeouts) -> CapevalError | None:
    """The coded one-line error for a database failure on `url` under `timeouts`, or None when `error` is
    not one."""
    if isinstance(error, CapevalError) or not isinstance(error, SQLAlchemyError):
        return None
    where = server_of(url)
    original = error.orig if isinstance(error, DBAPIError) else None
    state = str(getattr(original, "sqlstate", "") or "")
    text = str(original or "").lower()
    if state in _LOCKED_STATES or "database is locked" in text or "database table is locked" in text:
        return DatabaseUnavailable("database_locked", where=where, timeout=_seconds(timeouts.lock))
    if state in _CANCELLED_STATES:
        return DatabaseUnavailable("database_statement_timeout", where=where, timeout=_seconds(timeouts.statement))
    if state == "3D000" or re.search(r'database "[^"]*" does not exist', text):
        return DatabaseUnavailable("database_not_found", where=where)
    if state in _LOGIN_STATES or "authentication failed" in text or re.search(r'role "[^"]*" does not exist', text):
        return DatabaseUnavailable("database_login_refused", where=where)
    if state in _SCHEMA_STATES or "no such table" in text:
        return DatabaseUnavailable("database_schema_unknown", where=where)
    if state in _TEXT_STATES:
        return InputError("database_text_refused", where=where)
    if state in _NUMBER_STATES or isinstance(original, OverflowError):
        return InputError("database_number_refused", where=where)
    if isinstance(error, sa.exc.IntegrityError):
        return DatabaseUnavailable("database_integrity_refused", where=where)
    if isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.TimeoutError):
        if "unable to open database file" in text:
            return DatabaseUnavailable("database_file_unopenable", where=where)
        return DatabaseUnavailable("database_unreachable_at", where=where, timeout=_seconds(timeouts.connect))
    kind = type(original).__name__ if original is not None else type(error).__name__
    return DatabaseUnavailable("database_failed", where=where, kind=kind, state=state or "-")


def _seconds(value: float) -> str:
    return f"{value:g}"
