"""Runtimes for tests: every test database is made the way `capeval db init` makes one."""

from __future__ import annotations

from capeval.services.bootstrap import init_runtime
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import Clock


def new_runtime(url: str, clock: Clock | None = None) -> Runtime:
    """A runtime on a new database at `url`, initialised like `capeval db init`."""
    return init_runtime(Settings.load(database_url=url), clock=clock)
