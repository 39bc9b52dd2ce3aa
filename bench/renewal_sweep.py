#!/usr/bin/env python
"""The renewal sweep's cost follows the due certificates, not the membership, on SQLite and PostgreSQL.

Run:  python bench/renewal_sweep.py [--backend sqlite|postgresql|both] [--large 1000000] [--small 10000]
                                     [--due 3000] [--batch-size 500] [--rounds 3] [--quick] [--flow]
                                     [--strict]

For each backend and each shape of holders ("one holder each": as many people as certificates;
"shared": 2,000 people hold them all) two fresh databases are initialised by `init_runtime` and filled
with SQLAlchemy Core executemany: `--large` and `--small` certificates, both with the same `--due`
certificates due on the sweep day (a third each: a renewal reminder, a yearly CPD check, an expiry), the
rest due later. Measured in the same run:

* time: `run_renewal_sweep` as of the sweep day on each database, interleaved over `--rounds` rounds
  (the due set restored between rounds; median taken), with nothing else running (no tracemalloc);
  target time(large) / time(small) <= 1.3;
* memory, in a separate pass after the timing: the peak Python allocation of one more sweep of the large
  database (tracemalloc) and the process's peak resident memory (VmHWM); target <= 300 MB;
* nothing due: the sweep as of a day on which nothing is due, on the large database, before and after
  ANALYZE (median of 5); target <= 10 ms;
* on SQLite, the pages each part of one more sweep writes (WAL frames, with automatic checkpoints off for
  that pass), per due certificate, on each database: index maintenance that grows with the file shows here;
* the query plans of the very statements the sweep ran (captured with an event listener, explained with
  their own parameters);
* with `--flow`: the sweep as a Prefect flow (ephemeral server, started once and not counted) against the
  direct call, on the small database with nothing due; target overhead <= 150 ms per run.

`--quick`: 100,000 vs 10,000 certificates, 2 rounds. Exit status 0 unless something fails; with
--strict, 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bulk_rows import member_row  # noqa: E402
from handler_throughput import (  # noqa: E402
    DEFAULT_ADMIN_URL,
    Unreachable,
    postgres_database,
    sqlite_database,
)

from capeval.models import Application, Certificate, Person, Society  # noqa: E402
from capeval.models.tables import table_of  # noqa: E402
from capeval.services.bootstrap import bootstrap, init_runtime, opened  # noqa: E402
from capeval.services.renewals import PARTS, run_renewal_sweep, sweep_batch  # noqa: E402
from capeval.services.runtime import Runtime  # noqa: E402
from capeval.settings import Settings  # noqa: E402
from capeval.states.certificates import expiry_date  # noqa: E402
from capeval.states.clock import SHANGHAI, FixedClock  # noqa: E402

SWEEP_DAY = date(2030, 11, 1)
NOTHING_DUE_DAY = SWEEP_DAY - timedelta(days=30)
SHARED_HOLDERS = 2_000
CHUNK = 50_000
RATIO_TARGET = 1.3
MEMORY_TARGET_MB = 300.0
NOTHING_DUE_TARGET_MS = 10.0
FLOW_OVERHEAD_TARGET_MS = 150.0
BENCH_ID_KEY = "capeval bench: a fixed key of ID-number digests, no secret"


def clock_at(day: date) -> FixedClock:
    return FixedClock(datetime.combine(day, datetime.min.time().replace(hour=9), tzinfo=SHANGHAI))


def _certificate_rows(start: int, stop: int, due: int, people: int) -> list[dict[str, object]]:
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
                "person_id": n % people + 1,
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


def reset(runtime: Runtime, due: int, people: int) -> None:
    """Make the same certificates due again, as before the first sweep (messages removed; the history is
    append-only, so its lines stay: the sweep never reads them)."""
    table = table_of(Certificate)
    columns = ("status", "expires_on", "next_reminder_on", "cpd_check_on")
    statement = (
        sa.update(table)
        .where(table.c.registration_number == sa.bindparam("number"))
        .values({name: sa.bindparam(f"new_{name}") for name in columns})
    )
    rows = [
        {"number": row["registration_number"], **{f"new_{name}": row[name] for name in columns}}
        for row in _certificate_rows(0, due, due, people)
    ]
    with runtime.engine.begin() as connection:
        connection.execute(statement, rows)
        connection.exec_driver_sql("DELETE FROM outbox_message")


def fill(runtime: Runtime, certificates: int, due: int, people: int) -> float:
    """Load `people` holders and `certificates` certificates, `due` of them due; returns seconds taken."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.insert(table_of(Society)), [{"code": "BEN", "name_zh": "基准学会", "name_en": "", "email": ""}]
        )
    for start in range(0, people, CHUNK):
        with runtime.engine.begin() as connection:
            connection.execute(
                sa.insert(table_of(Person)),
                [member_row(i, now) for i in range(start + 1, min(people, start + CHUNK) + 1)],
            )
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.insert(table_of(Application)),
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
    for start in range(0, certificates, CHUNK):
        with runtime.engine.begin() as connection:
            rows = _certificate_rows(start, min(start + CHUNK, certificates), due, people)
            connection.execute(sa.insert(table_of(Certificate)), rows)
    return time.perf_counter() - started


def analyze(runtime: Runtime) -> None:
    with runtime.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()


@contextmanager
def database(url_of: Callable[[], Any], certificates: int, due: int, people: int) -> Iterator[Runtime]:
    with url_of() as url:
        settings = Settings.load(database_url=url, id_key=BENCH_ID_KEY)
        runtime = init_runtime(settings, clock=clock_at(SWEEP_DAY))
        fill(runtime, certificates, due, people)
        try:
            yield runtime
        finally:
            runtime.engine.dispose()


def timed_sweep(runtime: Runtime, batch_size: int) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    report = run_renewal_sweep(runtime, batch_size=batch_size)
    return time.perf_counter() - started, report.as_dict()


def nothing_due_ms(runtime: Runtime, batch_size: int) -> float:
    """The median of 5 sweeps as of a day on which nothing is due, in ms (each must find nothing)."""
    quiet = bootstrap(runtime.settings, clock=clock_at(NOTHING_DUE_DAY))
    times = []
    for _ in range(5):
        seconds, report = timed_sweep(quiet, batch_size)
        assert report["examined"] == 0, report
        times.append(seconds)
    quiet.engine.dispose()
    return statistics.median(times) * 1000


def captured_plans(runtime: Runtime, batch_size: int, due: int, people: int) -> list[str]:
    """The plan of every distinct SELECT one sweep sends, explained with the parameters it sent."""
    sent: dict[str, Any] = {}

    def before(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            sent.setdefault(statement, parameters)

    reset(runtime, due, people)
    sa.event.listen(runtime.engine, "before_cursor_execute", before)
    try:
        run_renewal_sweep(runtime, batch_size=batch_size)
    finally:
        sa.event.remove(runtime.engine, "before_cursor_execute", before)
    sqlite = runtime.engine.dialect.name == "sqlite"
    lines = []
    with runtime.engine.connect() as connection:
        for statement, parameters in sent.items():
            explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = connection.exec_driver_sql(explain + statement, parameters).all()
            plan = [str(row[-1]) for row in rows] if sqlite else [str(row[0]).strip() for row in rows]
            shown = " ".join(statement.split())
            lines.append(f"  {shown[:150]}{'...' if len(shown) > 150 else ''}")
            lines.extend(f"      {step}" for step in plan)
    return lines


def memory_pass(runtime: Runtime, batch_size: int, due: int, people: int) -> float:
    """Peak traced MB of one sweep of `runtime` (tracemalloc on for this pass only)."""
    reset(runtime, due, people)
    tracemalloc.start()
    run_renewal_sweep(runtime, batch_size=batch_size)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def pages_written(runtime: Runtime, batch_size: int, due: int, people: int) -> dict[str, float]:
    """SQLite: the pages (WAL frames) each part of one sweep writes, per certificate it examined.

    Automatic checkpoints are off for this pass only (new connections, the pool emptied before and after),
    and the log is emptied before each part, so the log's length after a part is what the part wrote."""
    path = Path(runtime.engine.url.database or "")
    reset(runtime, due, people)
    runtime.engine.dispose()
    sa.event.listen(runtime.engine, "connect", _no_autocheckpoint)
    written: dict[str, float] = {}
    try:
        with runtime.engine.connect() as connection:
            page = int(connection.exec_driver_sql("PRAGMA page_size").scalar_one())
        for part in PARTS:
            with runtime.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").all()
            after, examined = None, 0
            while True:
                after, count, _ = sweep_batch(part, runtime, runtime.policies.renewal, after, batch_size)
                examined += count
                if count < batch_size:
                    break
            frames = (path.with_name(path.name + "-wal").stat().st_size - 32) // (page + 24)
            written[part] = frames / max(examined, 1)
    finally:
        sa.event.remove(runtime.engine, "connect", _no_autocheckpoint)
        runtime.engine.dispose()
    return written


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))


def flow_overhead_ms(runtime: Runtime, runs: int) -> tuple[float, float]:
    """(direct ms, flow ms) per sweep with nothing due: medians over `runs`, the flow's server started first.

    The direct side opens the runtime from the same settings and disposes of it, as the flow's body does.
    """
    from capeval.flows.prefect_setup import fast_flow_runs, prepare_environment

    prepare_environment(Path(os.environ.get("CAPEVAL_BENCH_PREFECT_HOME", ROOT / ".prefect")))
    from capeval.flows.renewal_sweep import renewal_sweep

    url = runtime.settings.database_url
    as_of = NOTHING_DUE_DAY.isoformat()
    os.environ["CAPEVAL_ID_KEY"] = BENCH_ID_KEY
    settings = Settings.load(database_url=url, now=as_of)
    direct, flowed = [], []
    with fast_flow_runs():
        renewal_sweep(database_url=url, as_of=as_of)  # starts the ephemeral server; not counted
        for _ in range(runs):
            started = time.perf_counter()
            with opened(settings) as quiet:  # what the flow does around the sweep, without Prefect
                run_renewal_sweep(quiet)
            direct.append(time.perf_counter() - started)
            started = time.perf_counter()
            renewal_sweep(database_url=url, as_of=as_of)
            flowed.append(time.perf_counter() - started)
    return statistics.median(direct) * 1000, statistics.median(flowed) * 1000


def run_shape(
    name: str, url_of: Callable[[], Any], shape: str, options: argparse.Namespace
) -> tuple[list[str], list[str]]:
    """The rows of one backend and shape, and the targets it missed."""
    lines, missed = [], []
    due, batch = options.due, options.batch_size
    people_of = {"one holder each": lambda n: n, "shared holders": lambda n: SHARED_HOLDERS}[shape]
    small_people, large_people = people_of(options.small), people_of(options.large)
    label = f"{name:<10} {shape:<16}"
    with (
        database(url_of, options.small, due, small_people) as small,
        database(url_of, options.large, due, large_people) as large,
    ):
        quiet_before = nothing_due_ms(large, batch)
        analyze(small)
        analyze(large)
        quiet_after = nothing_due_ms(large, batch)
        small_times, large_times = [], []
        reports: list[dict[str, object]] = []
        for round_number in range(options.rounds):
            if round_number:
                reset(small, due, small_people)
                reset(large, due, large_people)
            pair = [(small, small_times), (large, large_times)]
            for runtime, bucket in pair if round_number % 2 == 0 else pair[::-1]:
                seconds, report = timed_sweep(runtime, batch)
                bucket.append(seconds)
                reports.append({k: v for k, v in report.items() if k != "batches"})
        if any(report != reports[0] for report in reports):
            raise SystemExit(f"{label}: the sweeps did different work, the comparison is void: {reports}")
        traced = memory_pass(large, batch, due, large_people)
        written = []
        if small.engine.dialect.name == "sqlite":
            written = [pages_written(small, batch, due, small_people), pages_written(large, batch, due, large_people)]
        plans = captured_plans(large, batch, due, large_people) if options.plans else []
        flow = flow_overhead_ms(small, 5) if options.flow else None
    ratio = statistics.median(large_times) / statistics.median(small_times)
    quiet = max(quiet_before, quiet_after)
    rows = [
        (f"sweep {options.large:,} vs {options.small:,}, {due:,} due", ratio, RATIO_TARGET, "x"),
        ("peak traced memory of a large sweep", traced, MEMORY_TARGET_MB, " MB"),
        (f"nothing due at {options.large:,} (before/after ANALYZE)", quiet, NOTHING_DUE_TARGET_MS, " ms"),
    ]
    if flow is not None:
        rows.append(("flow overhead per run vs direct", flow[1] - flow[0], FLOW_OVERHEAD_TARGET_MS, " ms"))
    for what, value, target, unit in rows:
        ok = value <= target
        if not ok:
            missed.append(f"{label} {what}")
        lines.append(f"{label} {what:<46} {value:>9.2f}{unit:<3} <= {target:g}{unit:<3} {'PASS' if ok else 'MISS'}")
    lines.append(
        f"{label} medians: small {statistics.median(small_times):.3f} s, large {statistics.median(large_times):.3f} s; "
        f"nothing due {quiet_before:.2f} / {quiet_after:.2f} ms; {reports[0]}"
        + (f"; direct {flow[0]:.0f} ms, flow {flow[1]:.0f} ms" if flow is not None else "")
    )
    if written:
        lines.append(
            f"{label} pages written per due certificate, small / large: "
            + ", ".join(f"{part} {written[0][part]:.2f} / {written[1][part]:.2f}" for part in PARTS)
        )
    if plans:
        lines.append(f"{label} plans of the statements the sweep ran on the large database:")
        lines.extend(plans)
    return lines, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--shape", choices=("one holder each", "shared holders", "both"), default="both")
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=3_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="sweeps per database, interleaved; median taken")
    parser.add_argument("--quick", action="store_true", help="100,000 vs 10,000 certificates, 2 rounds")
    parser.add_argument("--no-plans", dest="plans", action="store_false", help="skip the query plans")
    parser.add_argument("--flow", action="store_true", help="also time the sweep as a Prefect flow")
    parser.add_argument("--strict", action="store_true")
    options = parser.parse_args(argv)
    if options.quick:
        options.large, options.rounds = 100_000, 2
    if options.due > options.small:
        parser.error("--due must not exceed --small")
    admin = os.environ.get("CAPEVAL_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    backends: dict[str, Callable[[], Any]] = {"sqlite": sqlite_database, "postgresql": lambda: postgres_database(admin)}
    shapes = ["one holder each", "shared holders"] if options.shape == "both" else [options.shape]
    chosen = list(backends) if options.backend == "both" else [options.backend]
    print(
        f"renewal sweep, {options.large:,} vs {options.small:,} certificates, {options.due:,} due, "
        f"batches of {options.batch_size}, {options.rounds} rounds"
    )
    missed: list[str] = []
    for name in chosen:
        for shape in shapes:
            try:
                lines, misses = run_shape(name, backends[name], shape, options)
            except Unreachable as error:
                print(f"{name:<10} skipped: {error}")
                break
            missed += misses
            for line in lines:
                print(line, flush=True)
    print(f"peak resident memory of the whole run (data building included): {resident_mb():.0f} MB")
    print("targets met" if not missed else "missed: " + "; ".join(missed))
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
