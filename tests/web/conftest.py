"""One console per test module and backend: every module's page tests run on SQLite and on PostgreSQL.

The console is module-scoped (one database, populated once, keeps the tests fast); on PostgreSQL each module
gets a fresh database of its own, dropped when the module is done. PostgreSQL runs skip without a server,
or fail where it is required (see tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from capeval.states.clock import FixedClock

from ..conftest import fresh_postgres_database
from ..factories import at
from ..runtimes import new_runtime
from .support import Console, app_client, populate

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a new, empty database for this module: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("console")
        yield f"sqlite:///{folder / 'capeval.db'}"
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_admin")) as url:
        yield url


@pytest.fixture(scope="module")
def console(module_database_url: str) -> Iterator[Console]:
    clock = FixedClock(at("2026-01-05"))
    runtime = new_runtime(module_database_url, clock=clock)
    cases = populate(runtime)
    with app_client(runtime) as client:
        yield Console(runtime, clock, client, cases)
    runtime.engine.dispose()
