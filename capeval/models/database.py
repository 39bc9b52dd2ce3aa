"""Engines for SQLite (the default: WAL, busy timeout, foreign keys) and PostgreSQL (by URL), with timeouts.

Every engine waits a bounded time: to connect (`connect_timeout`), for a lock another process holds
(`lock_timeout`; SQLite's busy timeout), and for one statement (`statement_timeout`, PostgreSQL only;
0 means no limit). What the driver raises when one runs out, or the server cannot be reached, is turned
into one coded line by `database_errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from capeval.states.errors import InputError

from .database_errors import code_refusals
from .text_guard import guard_parameters


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long, in seconds, an engine waits to connect, for a lock, and for one statement (0: no limit)."""

    connect: float = 10.0
    lock: float = 10.0
    statement: float = 300.0


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
        engine = sa.create_engine(url, pool_pre_ping=True, pool_timeout=timeouts.connect, connect_args=connect_args)
    guard_parameters(engine)
    code_refusals(engine)
    return engine
