#!/usr/bin/env python
"""The renewal sweep's cost follows the due certificates, not the membership.

Run:  python bench/renewal_sweep.py [--large 1000000] [--small 10000] [--due 3000] [--batch-size 500]
                                     [--strict]

Two fresh SQLite databases (in a temporary folder) are initialised by `init_runtime`; each gets a
society, people and certificates bulk-inserted with SQLAlchemy Core executemany, in chunks: the large
one `--large` certificates, the small one `--small`, both with the same `--due` certificates due on the
sweep day (a third each: a renewal reminder, a yearly CPD check, an expiry), the rest due later.
Timed, in the same run: `run_renewal_sweep` on each database as of the sweep day, interleaved over
`--rounds` rounds (the due set restored between rounds; median taken), with its peak Python allocation
(tracemalloc), and the process's peak resident memory (getrusage) at the end. The query plans of the
three due-item queries on the large database are printed: each must search an index.

Targets: time(large) / time(small) <= 1.5; peak memory <= 300 MB. Exit status 0 unless something fails,
or with --strict, 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from capeval.models import Application, Certificate, Person, Society  # noqa: E402
from capeval.services.bootstrap import init_runtime  # noqa: E402
from capeval.services.renewals import run_renewal_sweep  # noqa: E402
from capeval.services.runtime import Runtime  # noqa: E402
from capeval.settings import Settings  # noqa: E402
from capeval.states.certificates import expiry_date  # noqa: E402
from capeval.states.clock import SHANGHAI, FixedClock  # noqa: E402

SWEEP_DAY = date(2030, 11, 1)
PEOPLE = 2_000
CHUNK = 50_000
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 300.0


def _certificate_rows(start: int, stop: int, due: int) -> list[dict[str, object]]:
    """Certificates `start`..`stop-1`; the first `due` of all are due on the sweep day, a third per part."""
    rows = []
    later = SWEEP_DAY + timedelta(days=400)
    for n in range(start, stop):
        issued = date(2026, 1, 1) + timedelta(days=n % 1500)
        expires = expiry_date(issued, 5)
        reminder: date | None = later
        cpd: date | None = date(2031, 11, 1)
        if expires < SWEEP_DAY:
            expires = SWEEP_DAY + timedelta(days=500 + n % 300)
        if n < due:
            part = n % 3
            if part == 0:
                reminder = SWEEP_DAY - timedelta(days=1)
                expires = SWEEP_DAY + timedelta(days=170)
            elif part == 1:
                cpd = SWEEP_DAY
            else:
                expires = SWEEP_DAY - timedelta(days=1)
                reminder, cpd = None, None
        rows.append(
            {
                "registration_number": f"CE-BEN-ELEC-{issued.year}-{n:07d}",
                "person_id": n % PEOPLE + 1,
                "society_id": 1,
                "application_id": 1,
                "field_code": "electrical",
                "level": "professional",
                "status": "active",
                "issued_on": issued,
                "expires_on": expires,
                "renewals": 0,
                "superseded_by": None,
                "next_reminder_on": reminder,
                "cpd_check_on": cpd,
            }
        )
    return rows


def build(folder: Path, name: str, certificates: int, due: int) -> tuple[Runtime, float]:
    """A migrated database holding `certificates` certificates, `due` of them due; returns it and load seconds."""
    url = f"sqlite:///{folder / name}.db"
    clock = FixedClock(datetime.combine(SWEEP_DAY, datetime.min.time().replace(hour=9), tzinfo=SHANGHAI))
    runtime = init_runtime(Settings.load(database_url=url), clock=clock)
    started = time.perf_counter()
    now = datetime.now(UTC)
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.insert(Society.__table__), [{"code": "BEN", "name_zh": "基准学会", "name_en": "", "email": ""}]
        )  # type: ignore[attr-defined]
        connection.execute(
            sa.insert(Person.__table__),  # type: ignore[attr-defined]
            [
                {
                    "name": f"会员{i}",
                    "id_number_digest": f"{i:064d}",
                    "id_number_masked": "110105***********X",
                    "email": f"m{i}@example.cn",
                    "language": "zh-CN",
                    "employer": "",
                    "created_at": now,
                }
                for i in range(1, PEOPLE + 1)
            ],
        )
        connection.execute(
            sa.insert(Application.__table__),  # type: ignore[attr-defined]
            [
                {
                    "person_id": 1,
                    "society_id": 1,
                    "field_code": "electrical",
                    "level": "professional",
                    "route": "standard",
                    "stage": "registered",
                    "version": 1,
                    "batch": "",
                    "self_statement": "",
                    "last_reason": "",
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
    table = Certificate.__table__  # type: ignore[attr-defined]
    for start in range(0, certificates, CHUNK):
        with runtime.engine.begin() as connection:
            connection.execute(sa.insert(table), _certificate_rows(start, min(start + CHUNK, certificates), due))
    with runtime.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return runtime, time.perf_counter() - started


def reset(runtime: Runtime, due: int) -> None:
    """Make the same certificates due again, as before the first sweep (messages and history removed)."""
    table = Certificate.__table__  # type: ignore[attr-defined]
    columns = ("status", "expires_on", "next_reminder_on", "cpd_check_on")
    statement = (
        sa.update(table)
        .where(table.c.registration_number == sa.bindparam("number"))
        .values({name: sa.bindparam(f"new_{name}") for name in columns})
    )
    rows = [
        {"number": row["registration_number"], **{f"new_{name}": row[name] for name in columns}}
        for row in _certificate_rows(0, due, due)
    ]
    with runtime.engine.begin() as connection:
        connection.execute(statement, rows)
        connection.exec_driver_sql("DELETE FROM outbox_message")
        connection.exec_driver_sql("DELETE FROM certificate_history")


def plans(runtime: Runtime) -> list[str]:
    """SQLite's plan for each due-item query: each must search an index, not scan the table."""
    day = SWEEP_DAY.isoformat()
    queries = {
        "reminders": f"SELECT id FROM certificate WHERE next_reminder_on <= '{day}' "
        "AND (next_reminder_on, id) > ('2000-01-01', 0) ORDER BY next_reminder_on, id LIMIT 500",
        "cpd_warnings": f"SELECT id FROM certificate WHERE cpd_check_on <= '{day}' "
        "AND (cpd_check_on, id) > ('2000-01-01', 0) ORDER BY cpd_check_on, id LIMIT 500",
        "expiries": f"SELECT id FROM certificate WHERE status IN ('active', 'suspended') AND expires_on < '{day}' "
        "AND (expires_on, id) > ('2000-01-01', 0) ORDER BY expires_on, id LIMIT 500",
    }
    with runtime.engine.connect() as connection:
        return [
            f"{name}: " + "; ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            for name, sql in queries.items()
        ]


def sweep(runtime: Runtime, batch_size: int) -> tuple[float, float, dict[str, object]]:
    """One renewal sweep: seconds, peak traced MB, and its report."""
    tracemalloc.start()
    started = time.perf_counter()
    report = run_renewal_sweep(runtime, batch_size=batch_size)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6, report.as_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=3_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="sweeps per database, interleaved; median taken")
    parser.add_argument("--strict", action="store_true")
    options = parser.parse_args(argv)
    if options.due > options.small:
        parser.error("--due must not exceed --small")
    with tempfile.TemporaryDirectory(prefix="capeval-renewal-bench-") as folder:
        small, small_load = build(Path(folder), "small", options.small, options.due)
        print(f"small database: {options.small:,} certificates, {options.due:,} due, loaded in {small_load:.1f} s")
        large, large_load = build(Path(folder), "large", options.large, options.due)
        print(f"large database: {options.large:,} certificates, {options.due:,} due, loaded in {large_load:.1f} s")
        for line in plans(large):
            print(f"plan on the large database, {line}")
        small_times, large_times = [], []
        small_peak = large_peak = 0.0
        for round_number in range(options.rounds):
            if round_number:
                reset(small, options.due)
                reset(large, options.due)
            seconds, peak, small_report = sweep(small, options.batch_size)
            small_times.append(seconds)
            small_peak = max(small_peak, peak)
            seconds, peak, large_report = sweep(large, options.batch_size)
            large_times.append(seconds)
            large_peak = max(large_peak, peak)
        small.engine.dispose()
        large.engine.dispose()
    small_seconds, large_seconds = statistics.median(small_times), statistics.median(large_times)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = large_seconds / small_seconds
    print(f"rounds: small {[round(t, 2) for t in small_times]} s, large {[round(t, 2) for t in large_times]} s")
    print(f"sweep small (median): {small_seconds:.2f} s, peak traced {small_peak:.1f} MB, {small_report}")
    print(f"sweep large (median): {large_seconds:.2f} s, peak traced {large_peak:.1f} MB, {large_report}")
    print(f"ratio large/small: {ratio:.2f} (target <= {RATIO_TARGET})")
    print(f"peak resident memory of the whole run: {rss_mb:.0f} MB (target <= {MEMORY_TARGET_MB:.0f})")
    same_work = {k: v for k, v in small_report.items() if k != "batches"} == {
        k: v for k, v in large_report.items() if k != "batches"
    }
    if not same_work:
        print("the two sweeps did different work: the comparison is void")
        return 1
    missed = ratio > RATIO_TARGET or max(rss_mb, large_peak) > MEMORY_TARGET_MB
    print("targets met" if not missed else "a target was missed")
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
