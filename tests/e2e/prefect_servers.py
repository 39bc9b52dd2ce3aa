"""A real `prefect server start` on loopback for the end-to-end tests, and what they do with it: wait for
it, call its REST API, start process workers, and stop a process with everything it started."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

PREFECT = str(Path(sys.executable).with_name("prefect"))
START_SECONDS = 180
"""How long a server may take to answer its health check (the machine may be busy)."""
WAIT_SECONDS = 120
"""How long a test waits for a run, a state or a lock by default."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rpartition(")")[2].split()[1])


def descendants(pid: int) -> list[int]:
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


def kill(pid: int) -> None:
    """SIGKILL `pid` (nothing happens when it is gone)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process (started in a session of its own) and kill everything it started (flow runs run in
    sessions of their own)."""
    spawned = descendants(process.pid)
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for pid in spawned + descendants(process.pid):
        kill(pid)
    process.wait(timeout=20)


def until(what: str, check: Any, seconds: float = WAIT_SECONDS) -> Any:
    """The first true answer of `check()`, asked every quarter second; the test fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


class Api:
    """The few calls of Prefect's REST API the tests make."""

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

    def answers(self) -> bool:
        """Whether the server answers its health check now."""
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=2):
                return True
        except OSError:
            return False

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


@contextlib.contextmanager
def running_server(
    tmp_path: Path, settings: Mapping[str, str] | None = None, what: str = "the Prefect server"
) -> Iterator[tuple[dict[str, str], Path]]:
    """`prefect server start` on a free loopback port, its PREFECT_HOME (and, unless `settings` names another,
    its SQLite database) under `tmp_path`, with these extra Prefect `settings`; yields the environment of its
    clients and the path of its log, and stops it with everything it started."""
    port = free_port()
    home = tmp_path / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        **(settings or {}),
    }
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            api = Api(env["PREFECT_API_URL"])

            def healthy() -> bool:
                if process.poll() is not None:
                    pytest.fail(f"{what} exited: {log_path.read_text()[-2000:]}")
                return api.answers()

            until(what, healthy, START_SECONDS)
            yield env, log_path
        finally:
            stop(process)


def start_worker(
    env: dict[str, str], name: str, log: Path, cwd: Path, limit: int | None = None
) -> subprocess.Popen[bytes]:
    """A process worker of the `capeval-process` pool, in `cwd` (made here), in a session of its own."""
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
