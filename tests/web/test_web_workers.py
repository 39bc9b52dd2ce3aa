"""`capeval web --workers N`: N uvicorn processes, each with its own runtime from the command's settings;
a worker count out of range is one line, exit 2, before anything is opened."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from capeval.cli.main import cli

from ..runtimes import new_runtime


@pytest.mark.parametrize("workers", ["0", "33", "two"])
def test_a_worker_count_out_of_range_is_one_line_and_opens_nothing(tmp_path: Path, workers: str) -> None:
    database = tmp_path / "none.db"
    answer = CliRunner().invoke(cli, ["--db", f"sqlite:///{database}", "web", "--workers", workers])
    assert answer.exit_code == 2 and "--workers" in answer.output and workers in answer.output
    assert "Traceback" not in answer.output and not database.exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_two_workers_serve_the_console_of_the_database_given_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'console.db'}"  # not the default file: the workers must be given this one
    new_runtime(url).engine.dispose()
    port = free_port()
    command = [sys.executable, "-c", "from capeval.cli.main import main; main()", "--db", url, "web"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2"], stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        answer = None
        for _ in range(300):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/register", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server stopped"
                time.sleep(0.1)
        assert answer is not None and answer.status_code == 200
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    assert errors.count("Started server process") == 2, errors
    assert not (tmp_path / "capeval.db").exists()
