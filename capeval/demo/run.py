"""`run_demo`: a fresh local database and the whole story, scene by scene."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from capeval.demo.scenes.main_job import Demo
from capeval.services import accounts
from capeval.services.bootstrap import bootstrap, init_database
from capeval.services.history_audit import verify_histories
from capeval.settings import Settings
from capeval.states.calendar import SHANGHAI
from capeval.states.clock import FixedClock

DEMO_PASSWORD = "capeval-demo-2026"
"""Everyone's console password in the demo database (README, "The web console"); a real database has none."""
DEMO_ID_KEY = "capeval demo: a key known to everyone, for the demo database only"
"""The key of the demo's ID-number digests; a real database takes its own secret from CAPEVAL_ID_KEY."""


PREFECT_HOME = "prefect"
"""The demo folder's Prefect home: kept between runs, so Prefect migrates its own database only once."""


def run_demo(out_dir: Path, echo: Callable[[str], None]) -> Path:
    """Run the whole demo into `out_dir`, made afresh but for its Prefect home; returns the database file."""
    if out_dir.exists():
        for entry in out_dir.iterdir():
            if entry.name == PREFECT_HOME and entry.is_dir():
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    from capeval.flows.prefect_setup import prepare_environment

    prepare_environment(out_dir / PREFECT_HOME)
    from capeval.flows.ephemeral import temporary_api

    with temporary_api():  # a Prefect server that ends with the demo, even one killed with SIGKILL
        return _run(out_dir, echo)


def _run(out_dir: Path, echo: Callable[[str], None]) -> Path:
    from capeval.demo.scenes import certificates, governance, notifications, review
    from capeval.flows.prefect_setup import fast_flow_runs

    database = out_dir / "capeval.db"
    url = f"sqlite:///{database}"
    clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI))
    settings = Settings.load(database_url=url, id_key=DEMO_ID_KEY)
    init_database(settings, clock=clock, simulation=True)
    runtime = bootstrap(settings, clock=clock)
    demo = Demo(runtime, clock, url, echo)
    with fast_flow_runs():
        demo.seed()
        demo.applications()
        demo.initial_review()
        notifications.run_reminders(demo)
        demo.sweep("2026-02-27T23:00")
        demo.sweep("2026-03-02T00:30")
        demo.material_review()
        demo.assessment_and_committee()
        review.run_scene(demo)
        governance.run_scene(demo)
        notifications.run_scene(demo)
    demo.board()
    with fast_flow_runs():
        certificates.run_scene(demo)
        notifications.run_dispatch(demo)
    made = accounts.give_everyone_a_password(runtime, DEMO_PASSWORD)
    echo(f"console accounts: {made} people, password {DEMO_PASSWORD} (capeval web --db {url})")
    _verify(demo, echo)
    runtime.engine.dispose()
    return database


def _verify(demo: Demo, echo: Callable[[str], None]) -> None:
    """Replay every history of the demo database, as `capeval db verify` does, and say what it found."""
    checked = verify_histories(demo.runtime)
    echo("")
    for problem in checked.findings:
        echo(f"history: {problem.text()}")
    replayed = ", ".join(f"{count} {kind}" for kind, count in checked.replayed.items())
    echo(f"histories replayed ({replayed}): {len(checked.findings)} finding(s)")
