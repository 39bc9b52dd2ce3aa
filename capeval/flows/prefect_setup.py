"""Prefect settings capeval runs its flows under."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EPHEMERAL_STARTUP_SECONDS = 180
"""A fresh ephemeral server migrates its database first; Prefect's default 20 s is too tight on a busy machine."""


def prepare_environment(prefect_home: Path | None = None) -> None:
    """Set Prefect's environment before it is imported: no analytics; a private home if one is given."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(EPHEMERAL_STARTUP_SECONDS))
    if prefect_home is not None:
        prefect_home.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("PREFECT_HOME", str(prefect_home))


@contextmanager
def fast_flow_runs() -> Iterator[None]:
    """Run flows without the heartbeat thread, which otherwise costs about a second per sync flow run."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
