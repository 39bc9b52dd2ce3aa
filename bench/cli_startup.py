#!/usr/bin/env python
"""What a user waits for when they type a `capeval` command, against the floor of the same work.

Run:  python bench/cli_startup.py [--rounds 7] [--quick] [--source DIR] [--strict]

Each command is run as a fresh process (`python -m capeval.cli ...`), its wall time measured from the
start of the process to its exit, interleaved with its baseline over `--rounds` rounds (median taken):

* commands without a database (`--help`, `calendar is-working-day`, `rules list`, `cpd evaluate`) against
  `python -c 'import sqlite3'`, the cost of starting Python at all (target <= 4x);
* commands on a database (`case show`, `case act ... submit`) against a bare Python script that replays,
  with the standard `sqlite3` module, the very statements and parameters the command sent to the database
  (captured in-process with a SQLAlchemy event listener; commits where the command committed), on a
  fresh copy of the same database file for every run of either side (target <= 6x).

Every process may write and reuse its bytecode (`PYTHONDONTWRITEBYTECODE` is dropped from the environment),
as an installed package's is, and each command runs once before the timed rounds, so no round pays for
compiling capeval's sources.

`--source DIR` runs capeval from another checkout (for the numbers before a change). Exit status 0
unless something fails; with --strict, 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import sqlalchemy as sa  # noqa: E402
from handler_throughput import (  # noqa: E402
    APPLICANT_OF,
    BENCH_ID_KEY,
    BENCH_MOMENT,
    create_drafts,
    make_people,
    society_document,
)

NO_DATABASE_TARGET = 4.0
DATABASE_TARGET = 6.0
BARE_REPLAY = """
import json, sqlite3, sys
statements = json.load(open(sys.argv[1]))
connection = sqlite3.connect(sys.argv[2])
for item in statements:
    if item is None:
        connection.commit()
        continue
    sql, parameters = item
    values = [bytes.fromhex(p["hex"]) if isinstance(p, dict) else p for p in parameters]
    connection.execute(sql, values).fetchall()
connection.close()
"""


def _environment(source: Path | None, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAPEVAL_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["CAPEVAL_ID_KEY"] = BENCH_ID_KEY
    env["HOME"] = str(home)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def wall(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from starting `argv` to its exit; a failing command stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return elapsed


def build_database(folder: Path) -> tuple[Path, int, str]:
    """A SQLite database with one society, two members and their draft cases; (file, case id, applicant)."""
    from capeval.services.bootstrap import init_runtime
    from capeval.services.directory import load_directory
    from capeval.settings import Settings
    from capeval.states.clock import FixedClock

    file = folder / "cli.db"
    settings = Settings.load(database_url=f"sqlite:///{file}", id_key=BENCH_ID_KEY)
    runtime = init_runtime(settings, clock=FixedClock(BENCH_MOMENT))
    workgroup, applicants = make_people(2, seed=14)
    load_directory(runtime, society_document(workgroup, applicants), origin="bench society")
    [case_id, _] = create_drafts(runtime, applicants)
    runtime.engine.dispose()
    return file, case_id, APPLICANT_OF[case_id]


def capture(file: Path, args: list[str]) -> list[Any]:
    """The statements (with their parameters) and commits the CLI sends to `file` running `args`."""
    from sqlalchemy.engine import Engine

    from capeval.cli.main import cli

    sent: list[Any] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        assert not many, "the replay does not do executemany"
        values = [{"hex": p.hex()} if isinstance(p, bytes) else p for p in (parameters or ())]
        sent.append([statement, values])

    def commit(_conn: Any) -> None:
        sent.append(None)

    sa.event.listen(Engine, "before_cursor_execute", before)
    sa.event.listen(Engine, "commit", commit)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["--db", f"sqlite:///{file}", *args], standalone_mode=False)
    finally:
        sa.event.remove(Engine, "before_cursor_execute", before)
        sa.event.remove(Engine, "commit", commit)
    return sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    parser.add_argument("--source", type=Path, help="run capeval from this checkout instead")
    parser.add_argument("--strict", action="store_true")
    options = parser.parse_args()
    rounds = 3 if options.quick else options.rounds
    python = sys.executable
    results: list[tuple[str, float, float, float, float]] = []
    os.environ["CAPEVAL_ID_KEY"] = BENCH_ID_KEY
    with tempfile.TemporaryDirectory(prefix="capeval-cli-") as tmp:
        folder = Path(tmp)
        empty = folder / "empty"
        empty.mkdir()
        env = _environment(options.source, folder)
        record = folder / "record.json"
        record.write_text(
            json.dumps(
                {
                    "member": "会员",
                    "year": 2026,
                    "activities": [{"kind": "training", "date": "2026-03-02", "minutes": 480}],
                }
            )
        )
        base, case_id, applicant = build_database(folder)
        work = folder / "work.db"
        capeval = [python, "-m", "capeval.cli"]
        baseline = [python, "-c", "import sqlite3"]
        light = {
            "--help": [*capeval, "--help"],
            "calendar is-working-day": [*capeval, "calendar", "is-working-day", "2026-10-08"],
            "rules list": [*capeval, "rules", "list"],
            "cpd evaluate": [*capeval, "cpd", "evaluate", "--year", "2026", "--file", str(record)],
        }
        heavy_args = {
            "case show": ["case", "show", str(case_id)],
            "case act (submit)": ["case", "act", str(case_id), "submit", "--actor", applicant],
        }
        replays: dict[str, Path] = {}
        for name, args in heavy_args.items():
            shutil.copyfile(base, work)
            replays[name] = folder / f"{name.split()[1]}.json"
            replays[name].write_text(json.dumps(capture(work, args)))
        statements = {name: sum(1 for s in json.loads(p.read_text()) if s) for name, p in replays.items()}
        for argv in light.values():
            wall(argv, env, empty)
        for name, argv in light.items():
            mine, floor = [], []
            for n in range(rounds):
                pair = [(mine, argv), (floor, baseline)]
                for bucket, command in pair if n % 2 == 0 else pair[::-1]:
                    bucket.append(wall(command, env, empty))
            m, f = statistics.median(mine), statistics.median(floor)
            results.append((name, m, f, m / f, NO_DATABASE_TARGET))
        for name, args in heavy_args.items():
            argv = [*capeval, "--db", f"sqlite:///{work}", *args]
            bare = [python, "-c", BARE_REPLAY, str(replays[name]), str(work)]
            shutil.copyfile(base, work)
            wall(argv, env, folder)
            mine, floor = [], []
            for n in range(rounds):
                pair = [(mine, argv), (floor, bare)]
                for bucket, command in pair if n % 2 == 0 else pair[::-1]:
                    shutil.copyfile(base, work)
                    bucket.append(wall(command, env, folder))
            m, f = statistics.median(mine), statistics.median(floor)
            results.append((f"{name} [{statements[name]} statements]", m, f, m / f, DATABASE_TARGET))
    source = f", capeval from {options.source}" if options.source else ""
    print(f"CLI start-up, {rounds} rounds, median wall time per process{source}")
    print(f"{'command':<40} {'capeval':>9} {'baseline':>9} {'ratio':>7} {'target':>7}")
    missed = False
    for name, m, f, ratio, target in results:
        ok = ratio <= target
        missed |= not ok
        print(
            f"{name:<40} {m * 1000:>7.0f}ms {f * 1000:>7.0f}ms {ratio:>6.2f}x {'<=' + str(target):>7} "
            f"{'PASS' if ok else 'MISS'}"
        )
    print("baseline: `python -c 'import sqlite3'` for the first four; a sqlite3 replay of the same SQL for the rest")
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
