"""One deployed sweep shared by two process workers of a real Prefect server (its database on PostgreSQL,
capeval's too): the sweep starts one run of its partition deployment per key range, the workers take them,
one worker is killed with SIGKILL in the middle, its partition runs are marked crashed, the sweep runs them
again, and every due case ends lapsed exactly once. Then `capeval sweeps health` reads the same server.

The partitions are caught in the middle deterministically: the test holds a row lock on the last due case of
each key range, so each partition lapses its other cases and then waits on that row until the test lets go.
Each worker runs at most three flow runs at once, so the sweep's run and its four partitions cannot all go to
one worker: the worker without the sweep's run holds at least two partitions, and that is the one killed.
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
from capeval.services.sweeps import due_ids
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..runtimes import new_runtime
from .test_prefect_server import free_port

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
CASES = 40
PARTITIONS = 4
WORKER_LIMIT = 3
LAPSE_ON = "2026-03-02"
WAIT_SECONDS = 120
SWEEP = "deadline-sweep/deadline-sweep"
PARTITION = "deadline-sweep-partition/deadline-sweep-partition"


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

    def runs_of(self, name: str) -> list[dict[str, Any]]:
        """The flow runs of deployment `name` (flow/deployment), oldest first."""
        deployment = self.call("GET", f"/deployments/name/{name}")
        body = {"deployments": {"id": {"any_": [deployment["id"]]}}, "sort": "EXPECTED_START_TIME_ASC", "limit": 200}
        return [dict(run) for run in self.call("POST", "/flow_runs/filter", body)]


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
        "PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS": "1",
        "PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS": "1",
    }
    (tmp_path / "prefect-home").mkdir(parents=True)
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


def _returned_cases(url: str) -> tuple[list[int], list[int]]:
    """A capeval database with CASES cases returned for revision whose window closed before LAPSE_ON; the
    cases, and the case of the highest due deadline id in each of the sweep's PARTITIONS key ranges."""
    clock = FixedClock(at("2026-01-05"))
    runtime: Runtime = new_runtime(url, clock=clock)
    try:
        load_society(runtime, members=list(range(1, CASES + 1)))
        cases = [submitted_case(runtime, serial) for serial in range(1, CASES + 1)]
        clock.set(at("2026-02-06"))
        for case_id in cases:
            act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
        clock.set(at(LAPSE_ON))
        last = [due_ids(runtime, partition=(k, PARTITIONS))[-1] for k in range(PARTITIONS)]
        with runtime.unit_of_work() as uow:
            query = sa.text("SELECT application_id FROM deadline WHERE id = ANY(:ids)")
            held = [int(case) for case in uow.session.execute(query, {"ids": last}).scalars()]
    finally:
        runtime.engine.dispose()
    return cases, held


def _worker(env: dict[str, str], name: str, log: Path, cwd: Path, limit: int | None = None) -> subprocess.Popen[bytes]:
    cwd.mkdir()
    command = [PREFECT, "worker", "start", "--pool", "capeval-process", "--name", name]
    return subprocess.Popen(
        [*command, *(["--limit", str(limit)] if limit else [])],
        env=env,
        cwd=cwd,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _pid(run: dict[str, Any]) -> int:
    return int(str(run["infrastructure_pid"]).rpartition(":")[2])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _lock_waits(engine: sa.Engine) -> int:
    with engine.connect() as probe:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return int(probe.execute(sa.text(query)).scalar_one())


def _lapsed(engine: sa.Engine, cases: list[int]) -> int:
    with engine.connect() as probe:
        query = sa.text("SELECT count(*) FROM application WHERE stage = 'lapsed' AND id = ANY(:ids)")
        return int(probe.execute(query, {"ids": cases}).scalar_one())


def _handled(engine: sa.Engine) -> tuple[Counter[int], Counter[int]]:
    """How often each case lapsed (history lines) and was told so (outbox rows)."""
    with engine.connect() as check:
        lapses = check.execute(sa.text("SELECT application_id FROM stage_history WHERE action = 'lapse'"))
        notices = check.execute(
            sa.text("SELECT application_id FROM outbox_message WHERE template = 'application.lapse'")
        )
        return Counter(lapses.scalars()), Counter(notices.scalars())


def _kill_worker(worker: subprocess.Popen[bytes]) -> list[int]:
    """SIGKILL the worker and every flow run process it started; their pids."""
    doomed = _descendants(worker.pid)
    os.killpg(worker.pid, signal.SIGKILL)
    for child in doomed:
        _kill(child)
    worker.wait(timeout=20)
    return doomed


def test_one_sweep_shares_its_partitions_over_two_workers_and_lapses_every_case_once_when_one_is_killed(
    server: dict[str, str], postgres_url: str, tmp_path: Path
) -> None:
    cases, held = _returned_cases(postgres_url)
    env = {**server, "CAPEVAL_DATABASE_URL": postgres_url, "CAPEVAL_LOCK_TIMEOUT": "600"}

    def prefect(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PREFECT, "--no-prompt", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    assert prefect("work-pool", "create", "capeval-process", "--type", "process").returncode == 0
    deployed = prefect("deploy", "--name", "deadline-sweep", "--name", "deadline-sweep-partition")
    assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-2000:]
    api = Api(server["PREFECT_API_URL"])
    engine = sa.create_engine(postgres_url)
    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    workers = [_worker(env, f"worker-{n}", logs[n - 1], tmp_path / f"w{n}", WORKER_LIMIT) for n in (1, 2)]
    blocker = engine.connect()
    try:
        blocker.begin()
        blocker.execute(sa.text("SELECT id FROM application WHERE id = ANY(:ids) FOR UPDATE"), {"ids": held})
        parameters = {"as_of": LAPSE_ON, "partitions": PARTITIONS, "batch_size": 3}
        sweep = api.run_deployment(SWEEP, parameters)

        _until("every partition to wait on its held row", lambda: _lock_waits(engine) >= PARTITIONS)
        partitions = api.runs_of(PARTITION)
        assert len(partitions) == PARTITIONS and 0 < _lapsed(engine, cases) < CASES
        host = next(w for w in workers if _pid(api.flow_run(sweep)) in _descendants(w.pid))
        victim = next(w for w in workers if w is not host)
        on_victim = [run for run in partitions if _pid(run) in _descendants(victim.pid)]
        on_host = [run for run in partitions if _pid(run) in _descendants(host.pid)]
        assert len(on_victim) >= 2 and len(on_victim) + len(on_host) == PARTITIONS

        killed = _kill_worker(victim)
        _until("the killed worker's flow run processes to be gone", lambda: not any(map(_alive, killed)), 30)
        for run in on_victim:
            api.crash(str(run["id"]))
        blocker.rollback()

        def finished() -> str:
            state = api.state(sweep)
            return state if state in {"COMPLETED", "FAILED", "CRASHED"} else ""

        assert _until("the sweep to finish", finished) == "COMPLETED", logs[workers.index(host)].read_text()[-3000:]
        runs = api.runs_of(PARTITION)
        reruns = [run for run in runs if run["name"].endswith(" run 2")]
        assert sorted(run["name"].split()[0] for run in reruns) == sorted(run["name"].split()[0] for run in on_victim)
        assert all(api.state(str(run["id"])) == "COMPLETED" for run in [*reruns, *on_host])
        assert all(api.state(str(run["id"])) == "CRASHED" for run in on_victim)
        lapses, notices = _handled(engine)
        assert lapses == Counter({case: 1 for case in cases})
        assert notices == Counter({case: 1 for case in cases})
        assert _lapsed(engine, cases) == CASES

        again = api.run_deployment(SWEEP, parameters)
        assert _until("the second sweep to finish", lambda: api.state(again) in {"COMPLETED", "FAILED"} and 1)
        assert api.state(again) == "COMPLETED" and len(api.runs_of(PARTITION)) == len(runs)
        assert _handled(engine) == (lapses, notices)
        with engine.connect() as probe:
            examined = probe.execute(sa.text("SELECT examined FROM sweep_run WHERE sweep = 'deadline-sweep'"))
            assert examined.scalar_one() == 0

        refused = api.run_deployment(SWEEP, {**parameters, "partitions": 0})
        _until("the refused sweep to fail", lambda: api.state(refused) == "FAILED")
    finally:
        blocker.close()
        for worker in workers:
            _stop(worker)
        engine.dispose()

    waiting = api.run_deployment(PARTITION, {"low": 1, "high": 1, "as_of": LAPSE_ON})
    _until("the untaken run to be late", lambda: api.flow_run(waiting)["state"]["name"] == "Late", 60)
    health = subprocess.run(
        [sys.executable, "-m", "capeval.cli", "--db", postgres_url, "sweeps", "health", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    rows = {row["sweep"]: row for row in json.loads(health.stdout)}
    assert health.returncode == 2, health.stderr
    assert (rows["deadline-sweep"]["late_runs"], rows["deadline-sweep"]["failed_runs"]) == (1, 1)
    assert {row["late_runs"] + row["failed_runs"] for name, row in rows.items() if name != "deadline-sweep"} == {0}
    assert "Prefect reports late or failed runs of these sweeps: deadline-sweep (1 late, 1 failed" in health.stderr
