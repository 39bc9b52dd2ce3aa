"""Runtimes for tests: every test database is made the way `capeval db init --simulation` makes one.

The tests supply their own fixed key of ID-number digests (the same one the e2e environment sets in
`CAPEVAL_ID_KEY`), so a database made in-process and a command run on it agree.
"""

from __future__ import annotations

from capeval.services.bootstrap import init_runtime
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import Clock

TEST_ID_KEY = "capeval tests: a fixed key that is no secret at all"


def new_runtime(url: str, clock: Clock | None = None, *, simulation: bool = True) -> Runtime:
    """A runtime on a new database at `url`, initialised like `capeval db init [--simulation]`."""
    return init_runtime(Settings.load(database_url=url, id_key=TEST_ID_KEY), clock=clock, simulation=simulation)
