"""`prefect deploy --all` against a real local Prefect server registers every deployment of prefect.yaml."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .prefect_servers import PREFECT, running_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    with running_server(tmp_path, {"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2"}) as (env, _):
        yield env


def test_prefect_deploy_all_registers_every_deployment_on_a_local_server(prefect_server: dict[str, str]) -> None:
    def prefect(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PREFECT, "--no-prompt", *args], cwd=ROOT, env=prefect_server, capture_output=True, text=True, timeout=300
        )

    assert prefect("work-pool", "create", "capeval-process", "--type", "process").returncode == 0
    deployed = prefect("deploy", "--all")
    assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-2000:]
    expected = {entry["name"] for entry in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]}
    listing = prefect("deployment", "ls").stdout
    assert all(name in listing for name in expected), listing
    stored = prefect("deployment", "inspect", "deadline-sweep/deadline-sweep").stdout
    assert "'pull_steps': []" in stored and "'path': None" in stored, stored
    assert str(ROOT) not in stored


def test_a_worker_in_any_directory_runs_a_deployment_from_the_installed_package(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'capeval.db'}"
    env = {**prefect_server, "CAPEVAL_DATABASE_URL": database}

    def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    assert run(sys.executable, "-m", "capeval.cli", "db", "init").returncode == 0
    assert run(PREFECT, "--no-prompt", "work-pool", "create", "capeval-process", "--type", "process").returncode == 0
    assert run(PREFECT, "--no-prompt", "deploy", "--name", "deadline-sweep").returncode == 0
    started = run(PREFECT, "--no-prompt", "deployment", "run", "deadline-sweep/deadline-sweep")
    flow_run = started.stdout.split("UUID:")[1].split()[0]
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    worker = run(PREFECT, "worker", "start", "--pool", "capeval-process", "--run-once", cwd=elsewhere)
    assert worker.returncode == 0, worker.stdout[-2000:] + worker.stderr[-2000:]
    state = run(PREFECT, "flow-run", "inspect", flow_run).stdout
    assert "state_type=StateType.COMPLETED" in state, state
