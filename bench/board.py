#!/usr/bin/env python
"""The case board's first page: as cheap at 100,000 cases as at 1,000, and close to its bare SQL.

Run:  python bench/board.py [--backend sqlite|postgresql|both] [--small 1000] [--large 100000]
                            [--rounds 200] [--quick] [--strict]

For each backend two fresh databases are initialised by `init_runtime` and filled with SQLAlchemy Core
executemany: one society, `--small` (or `--large`) applicants each with one case and its reference, stages spread over
the whole stage table, one case in ten with an open deadline. Timed, interleaved over `--rounds` calls
(median taken), on the same runtime:

* capeval: `queries.board(runtime, limit=50)`, the first page (unit of work, one statement, rows to
  dataclasses); and the same with `counts=True` (adds one grouped count over every case; no target);
* bare:    the same page as one hand-written SQL string run on the driver's own cursor (sqlite3 or
  psycopg) of a connection kept open, rows fetched as tuples, the read transaction ended (rollback):
  the same columns as capeval's (with whether an open deadline is provisional) and the same plan (the
  page's ids off the primary key, then the joins). Shown beside it, not a target: the earlier baseline,
  one column fewer (no provisional flag) as a plain join.

Targets: capeval / bare <= 2 at the large size; capeval(large) / capeval(small) <= 1.3; the peak
resident memory of a fresh process that opens the large database and takes the first page <= 120 MB
(measured in a child process, so building the data does not count). Exit status 0 unless something
fails; with --strict, 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
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
    BENCH_ID_KEY,
    BENCH_MOMENT,
    DEFAULT_ADMIN_URL,
    Unreachable,
    postgres_database,
    sqlite_database,
)

from capeval.models import Application, Deadline, Person, Society  # noqa: E402
from capeval.models.references import CaseReference  # noqa: E402
from capeval.models.tables import table_of  # noqa: E402
from capeval.services import queries  # noqa: E402
from capeval.services.bootstrap import init_runtime  # noqa: E402
from capeval.services.runtime import Runtime  # noqa: E402
from capeval.settings import Settings  # noqa: E402
from capeval.states.application import Stage  # noqa: E402
from capeval.states.clock import FixedClock  # noqa: E402
from capeval.states.references import case_reference  # noqa: E402

PAGE = 50
RATIO_TARGET = 2.0
SCALING_TARGET = 1.3
MEMORY_TARGET_MB = 120.0
CHUNK = 20_000
STAGES = [stage.value for stage in Stage]

BARE_PAGE = """
SELECT a.id, p.name, s.code, a.field_code, a.level, a.route, a.stage,
       (SELECT min(d.due_on) FROM deadline d WHERE d.application_id = a.id AND d.status = 'open'),
       a.version,
       EXISTS (SELECT * FROM deadline d WHERE d.application_id = a.id AND d.status = 'open' AND d.provisional),
       r.reference
FROM (SELECT id FROM application ORDER BY id LIMIT 51) AS page
JOIN application a ON a.id = page.id JOIN person p ON p.id = a.person_id JOIN society s ON s.id = a.society_id
LEFT JOIN case_reference r ON r.application_id = a.id
ORDER BY a.id
"""
"""The page as capeval asks for it, written by hand: the same columns (the earliest open due date, whether
an open deadline is provisional, the case's reference) and the same plan (the page's ids off the primary key
first)."""

BARE_PAGE_WITHOUT_PROVISIONAL = """
SELECT a.id, p.name, s.code, a.field_code, a.level, a.route, a.stage,
       (SELECT min(d.due_on) FROM deadline d WHERE d.application_id = a.id AND d.status = 'open'),
       a.version
FROM application a JOIN person p ON p.id = a.person_id JOIN society s ON s.id = a.society_id
ORDER BY a.id LIMIT 51
"""
"""The baseline of earlier runs, shown for comparison: one column fewer (no provisional flag), a plain join."""


def fill(runtime: Runtime, cases: int) -> None:
    """One society, `cases` applicants with one case each and its reference, one in ten with an open deadline."""
    now = datetime.now(UTC)
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.insert(table_of(Society)), [{"code": "BEN", "name_zh": "基准学会", "name_en": "", "email": ""}]
        )
        society_id = connection.execute(sa.select(table_of(Society).c.id)).scalar_one()
        for start in range(0, cases, CHUNK):
            stop = min(cases, start + CHUNK)
            connection.execute(
                sa.insert(table_of(Person)),
                [member_row(i, now) for i in range(start + 1, stop + 1)],
            )
            connection.execute(
                sa.insert(table_of(Application)),
                [
                    {
                        "person_id": i,
                        "society_id": society_id,
                        "field_code": "civil",
                        "level": "professional",
                        "route": "standard",
                        "stage": STAGES[i % len(STAGES)],
                        "version": 2,
                        "batch": "",
                        "self_statement": "",
                        "last_reason": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(start + 1, stop + 1)
                ],
            )
            connection.execute(
                sa.insert(table_of(CaseReference)),
                [
                    {
                        "application_id": i,
                        "society_id": society_id,
                        "year": 2026,
                        "sequence": i,
                        "reference": case_reference("BEN", 2026, i),
                    }
                    for i in range(start + 1, stop + 1)
                ],
            )
            connection.execute(
                sa.insert(table_of(Deadline)),
                [
                    {
                        "application_id": i,
                        "kind": "resubmission",
                        "due_on": date(2025, 7, 1) + timedelta(days=i % 30),
                        "status": "open",
                        "created_at": now,
                    }
                    for i in range(start + 1, stop + 1, 10)
                ],
            )
    with runtime.engine.connect() as connection:
        if runtime.engine.dialect.name == "sqlite":
            connection.exec_driver_sql("ANALYZE")
        else:
            connection.execute(sa.text("ANALYZE"))
        connection.commit()


def median_seconds(work: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@contextmanager
def opened(url: str, cases: int) -> Iterator[Runtime]:
    settings = Settings.load(database_url=url, id_key=BENCH_ID_KEY)
    runtime = init_runtime(settings, clock=FixedClock(BENCH_MOMENT))
    fill(runtime, cases)
    try:
        yield runtime
    finally:
        runtime.engine.dispose()


MEMORY_PROBE = """
import sys
from capeval.services import queries
from capeval.services.bootstrap import bootstrap
from capeval.settings import Settings
runtime = bootstrap(Settings.load(database_url=sys.argv[1]))
assert len(queries.board(runtime, limit=50).rows) == 50
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print(int(hwm.split()[1]) / 1024)
"""


def child_memory(url: str) -> float:
    """Peak resident MB (VmHWM: getrusage would carry over the parent's peak through exec) of a fresh Python
    process that opens `url` and takes the first page, and nothing else."""
    env = {**os.environ, "CAPEVAL_ID_KEY": BENCH_ID_KEY}
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, url], env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def run_backend(url_of: Callable[[], Any], name: str, small: int, large: int, rounds: int) -> list[str]:
    lines, misses = [], []
    timings: dict[int, tuple[float, float, float, float]] = {}
    memory = 0.0
    for size in (small, large):
        with url_of() as url, opened(url, size) as runtime:
            raw = runtime.engine.raw_connection()
            cursor = raw.cursor()

            def bare(cursor: Any = cursor, raw: Any = raw) -> list[Any]:
                cursor.execute(BARE_PAGE)
                rows = list(cursor.fetchall())
                raw.rollback()
                return rows

            def bare_without_provisional(cursor: Any = cursor, raw: Any = raw) -> list[Any]:
                cursor.execute(BARE_PAGE_WITHOUT_PROVISIONAL)
                rows = list(cursor.fetchall())
                raw.rollback()
                return rows

            def mine(runtime: Runtime = runtime) -> queries.BoardPage:
                return queries.board(runtime, limit=PAGE)

            def counted(runtime: Runtime = runtime) -> queries.BoardPage:
                return queries.board(runtime, limit=PAGE, counts=True)

            assert [r.case_id for r in mine().rows] == [row[0] for row in bare()[:PAGE]]
            for work in (mine, bare, bare_without_provisional, counted):
                work()
            ours, floor, earlier, with_counts = [], [], [], []
            for n in range(rounds):
                order = [(ours, mine), (floor, bare), (earlier, bare_without_provisional)]
                for bucket, work in order if n % 2 == 0 else order[::-1]:
                    bucket.append(median_seconds(work, 1))
            with_counts.append(median_seconds(counted, max(5, rounds // 10)))
            timings[size] = (
                statistics.median(ours),
                statistics.median(floor),
                with_counts[0],
                statistics.median(earlier),
            )
            raw.close()
            if size == large:
                memory = child_memory(url)
    ours_large, floor_large, counts_large, earlier_large = timings[large]
    ours_small, floor_small, counts_small, _ = timings[small]
    ratio, scaling = ours_large / floor_large, ours_large / ours_small
    for label, value, target, unit in (
        (f"first page of {PAGE} vs bare SQL at {large:,}", ratio, RATIO_TARGET, "x"),
        (f"first page {large:,} vs {small:,} cases", scaling, SCALING_TARGET, "x"),
        (f"peak memory, first page at {large:,}", memory, MEMORY_TARGET_MB, " MB"),
    ):
        ok = value <= target
        if not ok:
            misses.append(label)
        lines.append(
            f"{name:<11} {label:<44} {value:>8.2f}{unit:<3} target <= {target:g}{unit:<3} {'PASS' if ok else 'MISS'}"
        )
    lines.append(
        f"{name:<11} page: {ours_small * 1000:.2f} ms at {small:,}, {ours_large * 1000:.2f} ms at {large:,}; "
        f"bare {floor_small * 1000:.2f} / {floor_large * 1000:.2f} ms; with counts "
        f"{counts_small * 1000:.1f} / {counts_large * 1000:.1f} ms; the earlier baseline (no provisional column) "
        f"{earlier_large * 1000:.2f} ms at {large:,}, capeval / it {ours_large / earlier_large:.2f}x"
    )
    return lines + [f"MISSED {m}" for m in misses]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="1,000 vs 20,000 cases, 60 rounds")
    parser.add_argument("--strict", action="store_true")
    options = parser.parse_args()
    large, rounds = (20_000, 60) if options.quick else (options.large, options.rounds)
    admin = os.environ.get("CAPEVAL_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    backends: dict[str, Callable[[], Any]] = {
        "sqlite": sqlite_database,
        "postgresql": lambda: postgres_database(admin),
    }
    chosen = list(backends) if options.backend == "both" else [options.backend]
    print(f"case board, first page of {PAGE}, median of {rounds} interleaved calls")
    lines: list[str] = []
    for name in chosen:
        try:
            lines += run_backend(backends[name], name, options.small, large, rounds)
        except Unreachable as error:
            lines.append(f"{name:<11} skipped: {error}")
    for line in lines:
        print(line)
    missed = any(line.startswith("MISSED") for line in lines)
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
