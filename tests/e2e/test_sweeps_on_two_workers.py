"""Sweeps split into key-range partitions on a real Prefect server (its database on PostgreSQL) with two
process workers: one worker is killed with SIGKILL in the middle of its run, the sweeps are run again, and
every due item ends handled exactly once.

The run is caught in the middle deterministically: the test holds a row lock on the last due case and the
last certificate, so each sweep handles its other items and then waits on that row until the test lets go.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..integration.test_certificates import registered
from ..runtimes import new_runtime
from .test_prefect_server import free_port

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
CASES = 40
CERTIFICATES = 40
LAPSE_ON = "2026-03-02"
REMIND_ON = "2030-07-08"
WAIT_SECONDS = 120


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rpartition(")")[2].split()[1])


def _descendants(pid: int) -> list[int]:
    """Every living process started, directly or not, by `pid`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            children.setdefault(_parent(int(entry.name)), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process and kill everything it started (flow runs run in sessions of their own)."""
    spawned = _descendants(process.pid)
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for pid in spawned + _descendants(process.pid):
        _kill(pid)
    process.wait(timeout=20)


def _until(what: str, check: Any, seconds: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


class Api:
    """The few calls of Prefect's REST API the test makes."""

    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def flow_run(self, run_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"/flow_runs/{run_id}"))

    def state(self, run_id: str) -> str:
        state = self.flow_run(run_id).get("state") or {}
        return str(state.get("type", ""))

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> str:
        deployment = self.call("GET", f"/deployments/name/{name}")
        run = self.call("POST", f"/deployments/{deployment['id']}/create_flow_run", {"parameters": parameters})
        return str(run["id"])

    def crash(self, run_id: str) -> None:
        """What an operator (or a zombie-run automation) does to a run whose worker died: mark it crashed."""
        state = {"type": "CRASHED", "name": "Crashed", "message": "its worker was killed"}
        self.call("POST", f"/flow_runs/{run_id}/set_state", {"state": state, "force": True})

    def task_names(self, run_id: str) -> list[str]:
        found = self.call("POST", "/task_runs/filter", {"flow_runs": {"id": {"any_": [run_id]}}, "limit": 200})
        return [str(item["name"]) for item in found]


@pytest.fixture
def prefect_database(postgres_admin: sa.Engine) -> Iterator[str]:
    name = f"prefect_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin = sa.make_url(str(postgres_admin.url)).set(drivername="postgresql+asyncpg", database=name)
    yield admin.render_as_string(hide_password=False)
    with postgres_admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def server(tmp_path: Path, prefect_database: str) -> Iterator[dict[str, str]]:
    """`prefect server start` on loopback, its own database on PostgreSQL."""
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_database,
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "1",
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def healthy() -> bool:
            if process.poll() is not None:
                pytest.fail(f"the Prefect server exited: {(tmp_path / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                    return True
            except OSError:
                return False

        _until("the Prefect server on PostgreSQL", healthy, 180)
        yield env
    finally:
        _stop(process)
        log.close()


def _due_items(url: str) -> tuple[list[int], list[int]]:
    """A capeval database with CASES returned cases whose window closed and CERTIFICATES due a reminder."""
    clock = FixedClock(at("2026-01-05"))
    runtime: Runtime = new_runtime(url, clock=clock)
    try:
        load_society(runtime, members=list(range(1, CASES + CERTIFICATES + 1)))
        for serial in range(CASES + 1, CASES + CERTIFICATES + 1):
            registered(runtime, serial)
        cases = [submitted_case(runtime, serial) for serial in range(1, CASES + 1)]
        clock.set(at("2026-02-06"))
        for case_id in cases:
            act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
        with runtime.unit_of_work() as uow:
            certificates = [int(i) for i in uow.session.execute(sa.text("SELECT id FROM certificate")).scalars()]
    finally:
        runtime.engine.dispose()
    return cases, sorted(certificates)


def _worker(env: dict[str, str], name: str, log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    cwd.mkdir()
    return subprocess.Popen(
        [PREFECT, "worker", "start", "--pool", "capeval-process", "--name", name],
        env=env,
        cwd=cwd,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_partitioned_sweeps_on_two_workers_handle_every_item_once_when_one_worker_is_killed(
    server: dict[str, str], postgres_url: str, tmp_path: Path
) -> None:
    cases, certificates = _due_items(postgres_url)
    env = {**server, "CAPEVAL_DATABASE_URL": postgres_url, "CAPEVAL_LOCK_TIMEOUT": "600"}

    def prefect(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PREFECT, "--no-prompt", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    assert prefect("work-pool", "create", "capeval-process", "--type", "process").returncode == 0
    for name in ("deadline-sweep", "renewal-sweep"):
        deployed = prefect("deploy", "--name", name)
        assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-2000:]
    api = Api(server["PREFECT_API_URL"])
    engine = sa.create_engine(postgres_url)
    workers = [_worker(env, f"worker-{n}", tmp_path / f"worker-{n}.log", tmp_path / f"w{n}") for n in (1, 2)]
    blocker = engine.connect()
    try:
        blocker.begin()
        blocker.execute(sa.text("SELECT id FROM application WHERE id = :id FOR UPDATE"), {"id": cases[-1]})
        blocker.execute(sa.text("SELECT id FROM certificate WHERE id = :id FOR UPDATE"), {"id": certificates[-1]})
        lapse_params = {"as_of": LAPSE_ON, "partitions": 4, "batch_size": 3}
        remind_params = {"as_of": REMIND_ON, "partitions": 4, "batch_size": 3}
        lapse_run = api.run_deployment("deadline-sweep/deadline-sweep", lapse_params)
        remind_run = api.run_deployment("renewal-sweep/renewal-sweep", remind_params)

        def both_waiting_on_the_held_rows() -> bool:
            with engine.connect() as probe:
                waiting = probe.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
            return int(waiting) >= 2

        _until("both sweeps to reach the held rows", both_waiting_on_the_held_rows)
        assert 0 < _lapsed(engine, cases) < CASES
        pid = int(str(api.flow_run(lapse_run)["infrastructure_pid"]).rpartition(":")[2])
        killed = next(w for w in workers if pid in _descendants(w.pid))
        doomed = _descendants(killed.pid)
        os.killpg(killed.pid, signal.SIGKILL)
        for child in doomed:
            _kill(child)
        killed.wait(timeout=20)
        _until("the killed worker's flow run process to be gone", lambda: not _alive(pid), 30)
        blocker.rollback()

        alive = {lapse_run: _alive_run(api, workers, killed, lapse_run), remind_run: None}
        alive[remind_run] = _alive_run(api, workers, killed, remind_run)
        for run_id, running in alive.items():
            if not running:
                api.crash(run_id)
        survivors = [run for run, running in alive.items() if running]
        for run_id in survivors:
            _until(f"flow run {run_id} to finish", lambda r=run_id: api.state(r) == "COMPLETED")

        reruns = [
            api.run_deployment("deadline-sweep/deadline-sweep", lapse_params),
            api.run_deployment("renewal-sweep/renewal-sweep", remind_params),
        ]
        for run_id in reruns:
            _until(f"the rerun {run_id} to finish", lambda r=run_id: api.state(r) in {"COMPLETED", "FAILED"})
            assert api.state(run_id) == "COMPLETED", (tmp_path / "worker-1.log").read_text()[-3000:]

        first_runs = Counter(name.rsplit("-", 1)[0] for run in (lapse_run, remind_run) for name in api.task_names(run))
        assert first_runs["deadline-partition"] == 4 and first_runs["renewal-partition"] == 4
        assert first_runs["lapse-batch"] >= 4 and first_runs["renewal-batch"] >= 4
        with engine.connect() as check:
            lapses = Counter(
                check.execute(sa.text("SELECT application_id FROM stage_history WHERE action = 'lapse'")).scalars()
            )
            stages = set(
                check.execute(sa.text("SELECT stage FROM application WHERE id = ANY(:ids)"), {"ids": cases}).scalars()
            )
            notices = Counter(
                check.execute(
                    sa.text("SELECT application_id FROM outbox_message WHERE template = 'application.lapse'")
                ).scalars()
            )
            reminders = Counter(
                key.split(":")[1]
                for key in check.execute(
                    sa.text("SELECT dedupe_key FROM outbox_message WHERE template = 'certificate.renewal_reminder'")
                ).scalars()
            )
        assert lapses == Counter({case: 1 for case in cases})
        assert stages == {"lapsed"}
        assert notices == Counter({case: 1 for case in cases})
        assert reminders == Counter({str(certificate): 1 for certificate in certificates})
    finally:
        blocker.close()
        for worker in workers:
            _stop(worker)
        engine.dispose()


def _lapsed(engine: sa.Engine, cases: list[int]) -> int:
    with engine.connect() as probe:
        query = sa.text("SELECT count(*) FROM application WHERE stage = 'lapsed' AND id = ANY(:ids)")
        return int(probe.execute(query, {"ids": cases}).scalar_one())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _alive_run(api: Api, workers: list[subprocess.Popen[bytes]], killed: subprocess.Popen[bytes], run_id: str) -> bool:
    """Whether the flow run's process lives on under a worker that was not killed."""
    pid = int(str(api.flow_run(run_id)["infrastructure_pid"]).rpartition(":")[2])
    return _alive(pid) and any(pid in _descendants(w.pid) for w in workers if w is not killed)
