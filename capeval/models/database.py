"""Engines for SQLite (the default: WAL, busy timeout, foreign keys) and PostgreSQL (by URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from capeval.states.errors import InputError

from .append_only import code_refusals

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalize_url(url: str) -> str:
    """Accept the common spellings of a database URL; refuse anything capeval cannot use."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError("database_url_malformed", url=url) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise InputError("database_backend_unsupported", backend=backend)
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


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
    except ArgumentError:
        return url


def make_engine(url: str, *, create: bool = False) -> Engine:
    """An engine for `url`, SQLite in WAL mode; only with `create` does a SQLite file's folder get made.

    A history trigger's refusal comes out of it as the coded `history_append_only` error."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = sqlite_file(url)
        if create and file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    code_refusals(engine)
    return engine
