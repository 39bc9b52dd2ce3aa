"""One console per test module on SQLite (a module-scoped app keeps the tests fast)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from capeval.states.clock import FixedClock

from ..factories import at
from ..runtimes import new_runtime
from .support import Console, app_client, populate


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    folder: Path = tmp_path_factory.mktemp("console")
    clock = FixedClock(at("2026-01-05"))
    runtime = new_runtime(f"sqlite:///{folder / 'capeval.db'}", clock=clock)
    cases = populate(runtime)
    with app_client(runtime) as client:
        yield Console(runtime, clock, client, cases)
    runtime.engine.dispose()
