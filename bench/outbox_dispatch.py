#!/usr/bin/env python
"""Outbox dispatch against a bare smtplib loop, and reminder-sweep throughput, in one run.

Run:  python bench/outbox_dispatch.py [--messages N] [--rounds R] [--due D] [--batch-size B] [--strict]

Dispatch. A local SMTP server (aiosmtpd on 127.0.0.1, its own process, Sink handler) accepts everything.
Each round queues N outbox rows (application.return_for_revision, Simplified Chinese, different case ids)
in a fresh SQLite database,
then times:

* dispatch: `dispatch_due` with the SMTP sender: claim (conditional UPDATE), render (Jinja2, text + HTML),
  build the email, send over one connection per batch, mark each message sent in its own commit;
* bare:     a plain smtplib loop sending the same N emails, built beforehand, over one connection.

The ratio dispatch/bare (median of the per-round ratios, sides alternating who goes first) is checked
against the target 0.5.

Sweep. D cases with an open resubmission deadline two working days ahead are written straight into a
fresh database; the reminder-sweep Prefect flow (ephemeral) then queues their lapse warnings. It prints
due items per second (flow run included) and Prefect task runs per 1,000 due items (one task per batch).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect" / "bench-home"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
sys.path[:0] = [str(ROOT / "bench")]

import sqlalchemy as sa  # noqa: E402
from bulk_rows import member_row  # noqa: E402

from capeval.models import Application, Deadline, OutboxMessage, Person  # noqa: E402
from capeval.notifications.compose import Stationery, compose  # noqa: E402
from capeval.notifications.dispatch import dispatch_due  # noqa: E402
from capeval.notifications.message import MailIdentity  # noqa: E402
from capeval.notifications.samples import sample_context  # noqa: E402
from capeval.notifications.smtp import SmtpSender, SmtpSettings  # noqa: E402
from capeval.services.bootstrap import init_runtime  # noqa: E402
from capeval.services.directory import load_directory  # noqa: E402
from capeval.services.runtime import Runtime  # noqa: E402
from capeval.settings import Settings  # noqa: E402
from capeval.states.clock import SHANGHAI, FixedClock  # noqa: E402
from capeval.states.delivery import DeliveryPolicy  # noqa: E402

TARGET_RATIO = 0.5
TEMPLATE = "application.return_for_revision"
IDENTITY = MailIdentity("capeval", "noreply@capeval.bench")
NOW = datetime(2026, 10, 13, 9, 0, tzinfo=SHANGHAI)
BENCH_ID_KEY = "capeval bench: a fixed key of ID-number digests, no secret"


def queue_messages(runtime: Runtime, count: int, offset: int) -> None:
    context = sample_context(TEMPLATE)
    rows = [
        {
            "dedupe_key": f"bench:{offset + n}",
            "template": TEMPLATE,
            "recipient_name": f"申请人{n}",
            "recipient_email": f"p{n}@example.cn",
            "language": "zh-CN",
            "context": {**context, "case_id": offset + n},
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": NOW,
            "created_at": NOW,
            "last_error": "",
        }
        for n in range(count)
    ]
    with runtime.engine.begin() as connection:
        connection.execute(sa.insert(OutboxMessage.__table__), rows)  # type: ignore[attr-defined]


def prebuilt_emails(count: int, offset: int) -> list[Any]:
    context = sample_context(TEMPLATE)
    paper = Stationery(IDENTITY)
    return [
        compose(
            SimpleNamespace(
                dedupe_key=f"bare:{offset + n}",
                template=TEMPLATE,
                recipient_name=f"申请人{n}",
                recipient_email=f"p{n}@example.cn",
                language="zh-CN",
                context={**context, "case_id": offset + n},
                application_id=None,
                created_at=NOW,
            ),
            paper,
        )
        for n in range(count)
    ]


def time_bare(port: int, emails: list[Any]) -> float:
    start = time.perf_counter()
    connection = smtplib.SMTP("127.0.0.1", port, timeout=30)
    connection.ehlo()
    for email in emails:
        connection.send_message(email)
    connection.quit()
    return len(emails) / (time.perf_counter() - start)


def time_dispatch(runtime: Runtime, port: int, count: int, batch_size: int) -> float:
    settings = SmtpSettings("127.0.0.1", port, "plain", timeout=30)
    start = time.perf_counter()
    report = dispatch_due(
        runtime, lambda: SmtpSender(settings), policy=DeliveryPolicy(batch_size=batch_size), identity=IDENTITY
    )
    elapsed = time.perf_counter() - start
    if report.sent != count:
        raise SystemExit(f"dispatch sent {report.sent} of {count}")
    return count / elapsed


@contextmanager
def smtp_server_process() -> Iterator[int]:
    """aiosmtpd in its own process (so it does not share the GIL with the client), accepting everything."""
    port = _free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the aiosmtpd server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_dispatch(folder: Path, messages: int, rounds: int, batch_size: int) -> float:
    with smtp_server_process() as port:
        runtime = init_runtime(Settings.load(database_url=f"sqlite:///{folder / 'dispatch.db'}"), clock=FixedClock(NOW))
        time_bare(port, prebuilt_emails(20, 10**7))  # warm-up of both sides
        queue_messages(runtime, 20, 10**7)
        time_dispatch(runtime, port, 20, batch_size)
        ratios, dispatch_rates, bare_rates = [], [], []
        for round_ in range(rounds):
            offset = (round_ + 1) * 10**6
            queue_messages(runtime, messages, offset)
            emails = prebuilt_emails(messages, offset)
            if round_ % 2 == 0:
                dispatch_rate, bare_rate = time_dispatch(runtime, port, messages, batch_size), time_bare(port, emails)
            else:
                bare_rate, dispatch_rate = time_bare(port, emails), time_dispatch(runtime, port, messages, batch_size)
            dispatch_rates.append(dispatch_rate)
            bare_rates.append(bare_rate)
            ratios.append(dispatch_rate / bare_rate)
        runtime.engine.dispose()
    ratio = statistics.median(ratios)
    print(
        f"dispatch: {statistics.median(dispatch_rates):8.0f} msg/s  "
        f"(claim, render, send, mark sent; batch {batch_size})"
    )
    print(f"bare:     {statistics.median(bare_rates):8.0f} msg/s  (smtplib, prebuilt emails, one connection)")
    print(
        f"ratio dispatch/bare = {ratio:.2f}  (target >= {TARGET_RATIO}: {'PASS' if ratio >= TARGET_RATIO else 'MISS'})"
    )
    return ratio


def bench_sweep(folder: Path, due: int, batch_size: int) -> None:
    from capeval.flows.prefect_setup import fast_flow_runs
    from capeval.flows.reminder_sweep import reminder_sweep

    url = f"sqlite:///{folder / 'sweep.db'}"
    runtime = init_runtime(Settings.load(database_url=url, id_key=BENCH_ID_KEY), clock=FixedClock(NOW))
    load_directory(
        runtime,
        {
            "society": {"code": "BEN", "name_zh": "基准学会"},
            "authorization": [{"field": "electrical", "authorized_on": "2024-01-01"}],
        },
        origin="bench",
    )
    with runtime.engine.begin() as connection:
        society_id = connection.execute(sa.text("SELECT id FROM society WHERE code = 'BEN'")).scalar_one()
        connection.execute(
            sa.insert(Person.__table__),  # type: ignore[attr-defined]
            [member_row(n, NOW, prefix="p", name="申请人") for n in range(due)],
        )
        person_ids = connection.execute(sa.text("SELECT id FROM person ORDER BY id")).scalars().all()
        connection.execute(
            sa.insert(Application.__table__),  # type: ignore[attr-defined]
            [
                {
                    "person_id": pid,
                    "society_id": society_id,
                    "field_code": "electrical",
                    "level": "professional",
                    "route": "standard",
                    "stage": "returned",
                    "version": 3,
                    "batch": "",
                    "self_statement": "",
                    "last_reason": "材料不全",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for pid in person_ids
            ],
        )
        case_ids = connection.execute(sa.text("SELECT id FROM application ORDER BY id")).scalars().all()
        connection.execute(
            sa.insert(Deadline.__table__),  # type: ignore[attr-defined]
            [
                {
                    "application_id": cid,
                    "kind": "resubmission",
                    "due_on": date(2026, 10, 15),
                    "status": "open",
                    "created_at": NOW,
                }
                for cid in case_ids
            ],
        )
    runtime.engine.dispose()
    with fast_flow_runs():
        reminder_sweep(url, as_of="2026-10-12T08:00", batch_size=batch_size)  # warm-up: nothing due yet
        start = time.perf_counter()
        report = reminder_sweep(url, as_of=NOW.isoformat(), batch_size=batch_size)
        elapsed = time.perf_counter() - start
    tasks = report["warning_batches"] + report["digest_batches"]
    print(
        f"reminder sweep (Prefect flow, batch {batch_size}): {report['warnings_due']} due, "
        f"{report['warnings_queued']} warnings queued in {elapsed:.2f} s = "
        f"{report['warnings_due'] / elapsed:.0f} due items/s"
    )
    print(f"Prefect task runs: {tasks} for {due} due items = {tasks * 1000 / due:.1f} per 1,000 due items")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--due", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--sweep-batch-size", type=int, default=500)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio misses the target")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="capeval-bench-") as folder:
        ratio = bench_dispatch(Path(folder), options.messages, options.rounds, options.batch_size)
        bench_sweep(Path(folder), options.due, options.sweep_batch_size)
    return 1 if options.strict and ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
