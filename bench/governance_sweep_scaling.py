#!/usr/bin/env python
"""Does the governance sweep's cost follow the number of overdue steps, not the number of cases?

Run:  python bench/governance_sweep_scaling.py [--due 200] [--small 1000] [--large 50000]

Two fresh SQLite databases are filled by bulk insert with `feedback` cases, each with an open step
deadline: in both, `--due` of them are overdue; the rest (small: `--small`, large: `--large` cases in all)
are due in the future or already met. The baseline is the sweep of the small database, measured in the same
run after a warm-up; the script prints the large/small ratio of the first sweep (reminders queued) and of a second sweep
(nothing new to send). A ratio near 1 means the sweep reads through the (status, due_on) index only the
due rows.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from capeval.models import Feedback, GovernanceDeadline
from capeval.services.bootstrap import init_runtime
from capeval.services.governance_sweep import sweep_governance_deadlines
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import SHANGHAI, FixedClock

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)


def fill(runtime: Runtime, total: int, due: int) -> None:
    feedback = Feedback.__table__  # type: ignore[attr-defined]
    deadline = GovernanceDeadline.__table__  # type: ignore[attr-defined]
    cases, deadlines = [], []
    for n in range(1, total + 1):
        cases.append(
            {
                "id": n,
                "reference": f"FB-2026-{n:06d}",
                "sender_name": f"寄件人{n}",
                "sender_email": f"s{n}@example.cn",
                "sender_kind": "person",
                "subject": "主题",
                "body": "正文",
                "stage": "received",
                "version": 1,
                "findings": "",
                "answer": "",
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        overdue = n % (total // due) == 0 if due else False
        status = "open" if overdue or n % 3 else "met"
        due_on = date(2026, 6, 12) if overdue else date(2026, 7, 1) if status == "open" else date(2026, 5, 1)
        deadlines.append(
            {
                "case_kind": "feedback",
                "case_id": n,
                "step": "received",
                "due_on": due_on,
                "status": status,
                "created_at": NOW,
            }
        )
    with runtime.engine.begin() as connection:
        for start in range(0, total, 5000):
            connection.execute(sa.insert(feedback), cases[start : start + 5000])
            connection.execute(sa.insert(deadline), deadlines[start : start + 5000])


def timed_sweeps(folder: Path, total: int, due: int) -> tuple[float, float, int]:
    runtime = init_runtime(
        Settings.load(database_url=f"sqlite:///{folder / f'sweep-{total}.db'}"), clock=FixedClock(NOW)
    )
    fill(runtime, total, due)
    started = time.perf_counter()
    first = sweep_governance_deadlines(runtime, batch_size=100)
    middle = time.perf_counter()
    second = sweep_governance_deadlines(runtime, batch_size=100)
    ended = time.perf_counter()
    runtime.engine.dispose()
    assert second.reminded == [] and second.escalated == []
    return middle - started, ended - middle, len(first.reminded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=200)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=50000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        timed_sweeps(Path(folder), 100, 10)  # warm-up: imports, compiled statements, the calendar
        small = timed_sweeps(Path(folder), options.small, options.due)
        large = timed_sweeps(Path(folder), options.large, options.due)
    print(f"overdue steps: small {small[2]}, large {large[2]} (cases: {options.small} vs {options.large})")
    print(f"first sweep  (reminders): small {small[0]:.3f}s  large {large[0]:.3f}s  ratio {large[0] / small[0]:.2f}")
    print(f"second sweep (no-op):     small {small[1]:.3f}s  large {large[1]:.3f}s  ratio {large[1] / small[1]:.2f}")
    per_step = 1000 * large[0] / max(large[2], 1)
    print(f"cases ratio {options.large / options.small:.0f}x; per overdue step {per_step:.2f} ms")


if __name__ == "__main__":
    main()
