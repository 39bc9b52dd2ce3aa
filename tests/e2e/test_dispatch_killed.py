"""A dispatcher process killed with SIGKILL in mid-batch, then run again: every email arrives, once or
(only the one in flight at the kill) twice with the same Message-ID, and every message ends sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from capeval.models import OutboxMessage
from capeval.states.clock import FixedClock

from ..factories import at, load_society, submitted_case
from ..integration.test_handlers import rows
from ..runtimes import new_runtime
from ..smtp_server import smtp_server


def dispatcher(url: str, now: str, port: int) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "CAPEVAL_SMTP_HOST": "127.0.0.1",
        "CAPEVAL_SMTP_PORT": str(port),
        "CAPEVAL_SMTP_SECURITY": "plain",
    }
    environment.pop("CAPEVAL_MAIL_DIR", None)
    command = [
        sys.executable,
        "-m",
        "capeval.cli",
        "--db",
        url,
        "--now",
        now,
        "outbox",
        "dispatch",
        "--batch-size",
        "4",
    ]
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_dispatcher_killed_in_mid_batch_and_run_again_after_the_lease_delivers_everything(database_url: str) -> None:
    url = database_url
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    load_society(runtime, members=list(range(1, 11)))
    for serial in range(1, 11):
        submitted_case(runtime, serial)

    with smtp_server() as (server, port):
        server.delay_seconds = 0.15
        first = dispatcher(url, "2026-01-05T09:00", port)
        deadline = time.monotonic() + 60
        while len(server.messages) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        accepted_before_kill = len(server.messages)
        server.delay_seconds = 0
        second = dispatcher(url, "2026-01-05T09:06", port)  # after the 5-minute lease
        output, errors = second.communicate(timeout=120)

    assert first.returncode == -signal.SIGKILL and 5 <= accepted_before_kill < 10
    assert second.returncode == 0, errors
    copies = Counter(server.message_ids())
    print(f"dispatcher killed after {accepted_before_kill} of 10: {sum(copies.values()) - 10} duplicated, lost none")
    assert len(copies) == 10 and sum(copies.values()) - 10 <= 1  # at most the one in flight is repeated
    assert {row.status for row in rows(runtime, OutboxMessage)} == {"sent"}
    runtime.engine.dispose()
