"""A command run as a process pauses the collector while it starts and leaves its SQLite database closed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from capeval.cli import collector


def test_resume_without_a_pause_leaves_the_collector_alone() -> None:
    import gc

    frozen = gc.get_freeze_count()
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_command_on_a_database_closes_it_when_the_process_ends(tmp_path: Path) -> None:
    from capeval.services.handlers import handle
    from tests.factories import application_order, load_society
    from tests.runtimes import TEST_ID_KEY, new_runtime

    file = tmp_path / "c.db"
    runtime = new_runtime(f"sqlite:///{file}")
    load_society(runtime, [1])
    created = handle(runtime, application_order(1))
    runtime.engine.dispose()
    environ = {**os.environ, "CAPEVAL_ID_KEY": TEST_ID_KEY}
    args = ["--db", f"sqlite:///{file}", "case", "act", str(created.case_id), "submit", "--actor", created.applicant]
    done = subprocess.run(
        [sys.executable, "-m", "capeval.cli", *args], capture_output=True, text=True, env=environ, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "draft -> submitted" in done.stdout
    assert not file.with_name("c.db-wal").exists(), "every connection was closed: nothing left in the log"
