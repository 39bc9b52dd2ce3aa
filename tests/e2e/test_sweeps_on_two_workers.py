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

import json
import os
import signal
import subprocess
import sys
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
from .prefect_servers import PREFECT, Api, descendants, kill, running_server, start_worker, stop, until

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
CASES = 40
PARTITIONS = 4
WORKER_LIMIT = 3
LAPSE_ON = "2026-03-02"
SWEEP = "deadline-sweep/deadline-sweep"
PARTITION = "deadline-sweep-partition/deadline-sweep-partition"


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
    settings = {
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_database,
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "1",
        "PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS": "1",
        "PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS": "1",
    }
    with running_server(tmp_path, settings, "the Prefect server on PostgreSQL") as (env, _):
        yield env


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
    doomed = descendants(worker.pid)
    os.killpg(worker.pid, signal.SIGKILL)
    for child in doomed:
        kill(child)
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
    workers = [start_worker(env, f"worker-{n}", logs[n - 1], tmp_path / f"w{n}", WORKER_LIMIT) for n in (1, 2)]
    blocker = engine.connect()
    try:
        blocker.begin()
        blocker.execute(sa.text("SELECT id FROM application WHERE id = ANY(:ids) FOR UPDATE"), {"ids": held})
        parameters = {"as_of": LAPSE_ON, "partitions": PARTITIONS, "batch_size": 3}
        sweep = api.run_deployment(SWEEP, parameters)

        until("every partition to wait on its held row", lambda: _lock_waits(engine) >= PARTITIONS)
        partitions = api.runs_of(PARTITION)
        assert len(partitions) == PARTITIONS and 0 < _lapsed(engine, cases) < CASES
        host = next(w for w in workers if _pid(api.flow_run(sweep)) in descendants(w.pid))
        victim = next(w for w in workers if w is not host)
        on_victim = [run for run in partitions if _pid(run) in descendants(victim.pid)]
        on_host = [run for run in partitions if _pid(run) in descendants(host.pid)]
        assert len(on_victim) >= 2 and len(on_victim) + len(on_host) == PARTITIONS

        killed = _kill_worker(victim)
        until("the killed worker's flow run processes to be gone", lambda: not any(map(_alive, killed)), 30)
        for run in on_victim:
            api.crash(str(run["id"]))
        blocker.rollback()

        def finished() -> str:
            state = api.state(sweep)
            return state if state in {"COMPLETED", "FAILED", "CRASHED"} else ""

        assert until("the sweep to finish", finished) == "COMPLETED", logs[workers.index(host)].read_text()[-3000:]
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
        assert until("the second sweep to finish", lambda: api.state(again) in {"COMPLETED", "FAILED"} and 1)
        assert api.state(again) == "COMPLETED" and len(api.runs_of(PARTITION)) == len(runs)
        assert _handled(engine) == (lapses, notices)
        with engine.connect() as probe:
            examined = probe.execute(sa.text("SELECT examined FROM sweep_run WHERE sweep = 'deadline-sweep'"))
            assert examined.scalar_one() == 0

        refused = api.run_deployment(SWEEP, {**parameters, "partitions": 0})
        until("the refused sweep to fail", lambda: api.state(refused) == "FAILED")
    finally:
        blocker.close()
        for worker in workers:
            stop(worker)
        engine.dispose()

    waiting = api.run_deployment(PARTITION, {"low": 1, "high": 1, "as_of": LAPSE_ON})
    until("the untaken run to be late", lambda: api.flow_run(waiting)["state"]["name"] == "Late", 60)
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
