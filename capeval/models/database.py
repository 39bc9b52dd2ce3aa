"""Engines for SQLite (the default: WAL, busy timeout, foreign keys) and PostgreSQL (by URL), with timeouts.

Every engine waits a bounded time: to connect (`connect_timeout`), for a lock another process holds
(`lock_timeout`; SQLite's busy timeout), and for one statement (`statement_timeout`, PostgreSQL only;
0 means no limit). What the driver raises when one runs out, or the server cannot be reached, is turned
into one coded line by `database_errors`.

A PostgreSQL connection taken from the pool is pinged first only when it has sat there idle longer than
`idle_ping_after` seconds (0: at every checkout): one that the server or the network dropped while idle
is then replaced by a fresh one before anyone uses it, and a busy pool sends no ping at all.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, InvalidatePoolError

from capeval.states.errors import InputError

from .database_errors import code_refusals
from .text_guard import guard_parameters


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long, in seconds, an engine waits to connect, for a lock, and for one statement (0: no limit), and
    how long a pooled connection may sit idle before it is pinged when taken again (0: at every checkout)."""

    connect: float = 10.0
    lock: float = 10.0
    statement: float = 300.0
    idle_ping_after: float = 5.0


DEFAULT_TIMEOUTS = DatabaseTimeouts()

_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@]*@")


def masked(text: str) -> str:
    """`text` with the password of any URL in it replaced by ***."""
    return _PASSWORD_IN_URL.sub(r"\1***@", text)


def normalize_url(url: str) -> str:
    """Accept the common spellings of a database URL; refuse anything capeval cannot use."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InputError("database_url_malformed", url=masked(url)) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise InputError("database_backend_unsupported", backend=backend)
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL and for an in-memory database."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def shown_url(url: str) -> str:
    """The URL as messages show it: without the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return masked(url)


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


IDLE_SINCE = "capeval_idle_since"
"""The key of a pooled connection's `info`: when it was last returned to the pool (`time.monotonic()`)."""


def _ping(dbapi_connection: Any) -> None:
    """One `SELECT 1` in autocommit, so that the ping leaves no transaction open (and sends no BEGIN)."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = autocommit


def _ping_when_idle(engine: Engine, idle_after: float) -> None:
    """Ping a connection at checkout when it has been idle in the pool more than `idle_after` seconds. One
    that does not answer is a disconnection: the pool then drops every connection as old as this one (a
    restarted server took them all) and connects afresh, and a fresh connection is never pinged."""

    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(IDLE_SINCE, None)
        if since is None or time.monotonic() - since < idle_after:
            return
        try:
            _ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise InvalidatePoolError("the pooled connection did not answer its ping") from error

    sa.event.listen(engine, "checkin", on_checkin)
    sa.event.listen(engine, "checkout", on_checkout)


def make_engine(url: str, *, create: bool = False, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS) -> Engine:
    """An engine for `url`, SQLite in WAL mode; only with `create` does a SQLite file's folder get made.

    A history trigger's refusal comes out of it as the coded `history_append_only` error."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = sqlite_file(url)
        if create and file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": timeouts.lock})
        sa.event.listen(engine, "connect", _sqlite_pragmas(_milliseconds(timeouts.lock)))
    else:
        options = f"-c lock_timeout={_milliseconds(timeouts.lock)}"
        if timeouts.statement > 0:
            options += f" -c statement_timeout={_milliseconds(timeouts.statement)}"
        connect_args = {"connect_timeout": max(1, round(timeouts.connect)), "options": options}
        engine = sa.create_engine(url, pool_timeout=timeouts.connect, connect_args=connect_args)
        _ping_when_idle(engine, timeouts.idle_ping_after)
    guard_parameters(engine)
    code_refusals(engine)
    return engine
