"""A temporary Prefect API server for flow runs on one machine, which ends with the process that started it.

Without `PREFECT_API_URL`, Prefect starts its own temporary server as a child process (uvicorn) and stops it
when the interpreter exits normally; a process killed with SIGKILL never gets there, and the server stays,
reparented and listening, until someone kills it. `temporary_api()` starts the same server through
`python -m capeval.flows.ephemeral PORT`, which also watches its parent and exits as soon as it is gone, and
points Prefect at it for the block.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from .prefect_setup import EPHEMERAL_STARTUP_SECONDS

PARENT_CHECK_SECONDS = 0.5
"""How often the server looks whether the process that started it is still there."""
RESULT_STORAGE_BLOCK = "capeval-results"
"""The name of the temporary server's default result storage: Prefect's local result folder."""
LOG_DRAIN_SECONDS = 5
"""The longest the end of the block waits for Prefect's log lines to reach the server."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_environment() -> dict[str, str]:
    """The environment Prefect gives its own temporary server: no UI, marked ephemeral, today's settings."""
    from prefect.settings import get_current_settings

    return {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + EPHEMERAL_STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the temporary Prefect server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the temporary Prefect server did not answer within {EPHEMERAL_STARTUP_SECONDS} s")


@contextmanager
def temporary_api() -> Iterator[str]:
    """Run a temporary Prefect server on loopback for the block and point Prefect at it; yields its API URL.

    Flow runs in the block take their default result storage from a block saved on that server (see
    `_result_storage_block`), and the log lines still queued are sent before the server is stopped when the
    block ends; it also exits by itself if this process is killed."""
    from prefect.settings import PREFECT_API_URL, PREFECT_RESULTS_DEFAULT_STORAGE_BLOCK, temporary_settings

    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "capeval.flows.ephemeral", str(port)]
    process = subprocess.Popen(command, env=_server_environment(), stdin=subprocess.DEVNULL)
    try:
        _wait_until_healthy(process, url)
        with temporary_settings({PREFECT_API_URL: url}):
            storage = _result_storage_block()
        with temporary_settings({PREFECT_API_URL: url, PREFECT_RESULTS_DEFAULT_STORAGE_BLOCK: storage}):
            try:
                yield url
            finally:
                _send_queued_logs()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _result_storage_block() -> str:
    """The slug of a block naming Prefect's default local result folder, saved on the server just started.

    With no default storage block set, every flow run asks the server for its default result storage twice;
    with this one set, Prefect reads the block once per process. Results go where they went (they are not
    persisted unless a flow asks)."""
    from prefect.filesystems import LocalFileSystem
    from prefect.settings import get_current_settings

    folder = get_current_settings().results.local_storage_path
    LocalFileSystem(basepath=str(folder)).save(RESULT_STORAGE_BLOCK, overwrite=True)
    return f"local-file-system/{RESULT_STORAGE_BLOCK}"


def _send_queued_logs() -> None:
    """Send the flow runs' queued log lines while the server still listens (at exit it would be gone)."""
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=LOG_DRAIN_SECONDS)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def main(port: int) -> None:
    """Serve Prefect's API on loopback `port` until terminated or until the parent process is gone."""
    import uvicorn

    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    uvicorn.run(
        "prefect.server.api.server:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="error",
        lifespan="on",
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
