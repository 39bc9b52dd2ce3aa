"""The temporary Prefect server of a run on one machine ends with the process that started it, even a killed one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

STARTER = """
import time
from capeval.flows.ephemeral import temporary_api
with temporary_api() as url:
    print(url, flush=True)
    time.sleep(600)
"""


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2):
            return True
    except OSError:
        return False


def test_a_process_killed_with_sigkill_takes_its_temporary_prefect_server_with_it(tmp_path: Path) -> None:
    environment = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    environment.pop("PREFECT_API_URL", None)
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER], stdout=subprocess.PIPE, text=True, env=environment, cwd=tmp_path
    )
    assert starter.stdout is not None
    url = starter.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:") and answers(url)

    starter.kill()
    starter.wait()
    deadline = time.monotonic() + 60
    while answers(url) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not answers(url), "the temporary server outlived the process that started it"
