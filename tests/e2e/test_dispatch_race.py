"""Two dispatcher processes at once on the real clock, against a server slow enough that a batch would
outlive its lease: every email arrives exactly once, and every message ends sent."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from capeval.models import OutboxMessage
from capeval.states.clock import FixedClock

from ..factories import at, load_society, submitted_case
from ..integration.test_handlers import rows
from ..runtimes import new_runtime
from ..smtp_server import smtp_server

MESSAGES = 16


def dispatcher(url: str, port: int, policy: Path) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "CAPEVAL_SMTP_HOST": "127.0.0.1",
        "CAPEVAL_SMTP_PORT": str(port),
        "CAPEVAL_SMTP_SECURITY": "plain",
        "CAPEVAL_SMTP_TIMEOUT": "5",
        "CAPEVAL_POLICY_FILE": str(policy),
    }
    environment.pop("CAPEVAL_MAIL_DIR", None)
    command = [sys.executable, "-m", "capeval.cli", "--db", url, "outbox", "dispatch"]
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_dispatchers_with_batches_longer_than_the_lease_send_each_message_once(
    database_url: str, tmp_path: Path
) -> None:
    runtime = new_runtime(database_url, clock=FixedClock(at("2026-01-05")))
    load_society(runtime, members=list(range(1, MESSAGES + 1)))
    for serial in range(1, MESSAGES + 1):
        submitted_case(runtime, serial)
    policy = tmp_path / "policy.toml"
    # 8 messages at 0.3 s each take 2.4 s, longer than the 2 s lease, unless the batch renews or gives back
    policy.write_text("[delivery]\nlease_seconds = 2\nbatch_size = 8\n", encoding="utf-8")

    with smtp_server() as (server, port):
        server.delay_seconds = 0.3
        first, second = dispatcher(database_url, port, policy), dispatcher(database_url, port, policy)
        outputs = [process.communicate(timeout=180) for process in (first, second)]

    assert (first.returncode, second.returncode) == (0, 0), outputs
    copies = Counter(server.message_ids())
    duplicated, lost = sum(copies.values()) - len(copies), MESSAGES - len(copies)
    print(f"two dispatchers, {MESSAGES} messages: {duplicated} duplicated, {lost} lost; {[o for o, _ in outputs]}")
    assert (duplicated, lost) == (0, 0)
    assert {row.status for row in rows(runtime, OutboxMessage)} == {"sent"}
    runtime.engine.dispose()
