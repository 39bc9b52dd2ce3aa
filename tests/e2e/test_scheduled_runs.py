"""A deployment's schedule fires by itself on a real `prefect server start` on loopback: the server's
scheduler creates the flow runs, a process worker runs them, and nobody starts a run by hand.

With SQLAlchemy 2.1 the Prefect 3.8.8 scheduler fails on every pass (`InvalidRequestError: Can't evaluate
bulk DML statement` in `_insert_scheduled_flow_runs`) and no scheduled run is ever created; this test holds
the pin that works.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .prefect_servers import PREFECT, Api, running_server, start_worker, stop, until

ROOT = Path(__file__).resolve().parents[2]
INTERVAL_SECONDS = 5
WAIT_SECONDS = 240
SCHEDULER_ERROR = "Can't evaluate bulk DML statement"
SCHEDULING = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",
    "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1",
    "PREFECT_WORKER_QUERY_SECONDS": "1",
    "PREFECT_WORKER_PREFETCH_SECONDS": "1",
}
"""The server's scheduler and the worker's polling every second."""


@pytest.fixture
def scheduling_server(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """`prefect server start` on loopback (its own SQLite database under a PREFECT_HOME of the test), its
    scheduler passing every second; yields the environment of its clients and the path of its log."""
    with running_server(tmp_path, SCHEDULING) as started:
        yield started


def _every_five_seconds_only(api: Api, deployment_id: str) -> None:
    """Replace the deployment's daily cron of prefect.yaml by an interval of a few seconds."""
    for schedule in api.call("GET", f"/deployments/{deployment_id}/schedules"):
        api.call("DELETE", f"/deployments/{deployment_id}/schedules/{schedule['id']}")
    interval = {"schedule": {"interval": INTERVAL_SECONDS}, "active": True}
    api.call("POST", f"/deployments/{deployment_id}/schedules", [interval])


def _runs(api: Api, deployment_id: str) -> list[dict[str, Any]]:
    found = api.call("POST", "/flow_runs/filter", {"deployments": {"id": {"any_": [deployment_id]}}, "limit": 200})
    return [dict(run) for run in found]


def test_a_deployment_schedule_creates_flow_runs_that_a_worker_completes(
    scheduling_server: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    server, server_log = scheduling_server
    env = {**server, "CAPEVAL_DATABASE_URL": f"sqlite:///{tmp_path / 'capeval.db'}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    initialised = run(sys.executable, "-m", "capeval.cli", "db", "init")
    assert initialised.returncode == 0, initialised.stdout[-2000:] + initialised.stderr[-2000:]
    assert run(PREFECT, "--no-prompt", "work-pool", "create", "capeval-process", "--type", "process").returncode == 0
    deployed = run(PREFECT, "--no-prompt", "deploy", "--name", "deadline-sweep")
    assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-2000:]
    api = Api(server["PREFECT_API_URL"])
    deployment_id = str(api.call("GET", "/deployments/name/deadline-sweep/deadline-sweep")["id"])
    _every_five_seconds_only(api, deployment_id)

    def scheduled_runs() -> list[dict[str, Any]]:
        if SCHEDULER_ERROR in server_log.read_text():
            pytest.fail(f"the server's scheduler failed: {server_log.read_text()[-3000:]}")
        return [r for r in _runs(api, deployment_id) if r["auto_scheduled"]]

    scheduled = until("the scheduler to create a run of the deployment", scheduled_runs)
    assert scheduled[0]["state"]["type"] == "SCHEDULED", scheduled
    process = start_worker(env, "scheduled-worker", tmp_path / "worker.log", tmp_path / "worker")
    try:

        def completed() -> list[dict[str, Any]]:
            runs = _runs(api, deployment_id)
            failed = [r for r in runs if (r.get("state") or {}).get("type") in {"FAILED", "CRASHED"}]
            if failed:
                pytest.fail(f"a scheduled run failed: {(tmp_path / 'worker.log').read_text()[-3000:]}")
            return [r for r in runs if r["auto_scheduled"] and (r.get("state") or {}).get("type") == "COMPLETED"]

        done = until("a scheduled run to complete", completed, WAIT_SECONDS)
    finally:
        stop(process)
    assert all(run["auto_scheduled"] for run in _runs(api, deployment_id))
    assert done[0]["deployment_id"] == deployment_id
    assert SCHEDULER_ERROR not in server_log.read_text()
