"""`capeval outbox dispatch` with a header-injecting recipient among its messages: that one message is
dead-lettered with the reason, every other one is sent, and the command ends normally."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from capeval.models import OutboxMessage
from capeval.states.clock import FixedClock

from ..factories import at, load_society, submitted_case
from ..integration.test_handlers import rows
from ..runtimes import new_runtime
from ..smtp_server import smtp_server


def test_dispatch_dead_letters_the_injecting_recipient_and_sends_the_rest(database_url: str) -> None:
    runtime = new_runtime(database_url, clock=FixedClock(at("2026-01-05")))
    load_society(runtime, members=[1, 2, 3, 4])
    for serial in (1, 2, 3, 4):
        submitted_case(runtime, serial)
    with runtime.unit_of_work() as uow:
        poisoned = uow.session.get(OutboxMessage, rows(runtime, OutboxMessage)[0].id)
        assert poisoned is not None
        poisoned.recipient_name = "John Doe\r\nX-Injected: yes"
        uow.commit()
    environment = {
        **os.environ,
        "CAPEVAL_SMTP_HOST": "127.0.0.1",
        "CAPEVAL_SMTP_SECURITY": "plain",
    }
    environment.pop("CAPEVAL_MAIL_DIR", None)
    with smtp_server() as (server, port):
        environment["CAPEVAL_SMTP_PORT"] = str(port)
        command = [sys.executable, "-m", "capeval.cli", "--db", database_url, "--now", "2026-01-05T10:00"]
        done = subprocess.run([*command, "outbox", "dispatch"], env=environment, capture_output=True, text=True)
        listed = subprocess.run(
            [*command, "outbox", "list", "--status", "dead"], env=environment, capture_output=True, text=True
        )

    assert done.returncode == 0 and "internal error" not in done.stderr, done.stderr
    assert done.stdout.startswith("3 sent, 0 to retry, 1 dead-lettered")
    assert "line break" in listed.stdout
    assert Counter(row.status for row in rows(runtime, OutboxMessage)) == Counter(sent=3, dead=1)
    assert len(server.messages) == 3 and not any(m["X-Injected"] for m in server.messages)
    runtime.engine.dispose()
