#!/usr/bin/env python
"""The demo's wall time against its own capeval work, on a cold and on a warm Prefect home.

Run:  python bench/demo.py [--warm-runs 1] [--source DIR] [--strict]

Each run is a fresh process running `run_demo` (what `capeval demo` runs) into the same folder: the
first with no Prefect home (Prefect creates and migrates its database), the next ones with the home the
first left (the demo keeps it). While the demo runs, a sampler thread looks at the main thread's stack
every 5 ms and charges the sample to the innermost frame that is capeval's or Prefect's own code
(library and standard-library frames in between are skipped): a flow's batch running capeval's handler
counts as capeval, Prefect starting its server, sleeping in a retry or writing its bookkeeping counts as
Prefect. Printed per run: wall time, the share of each, and wall / capeval work (target on a warm home
<= 3). `--source DIR` runs the capeval of another checkout (for the numbers before a change). Exit
status 0 unless something fails; with --strict, 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 3.0
INTERVAL = 0.005


def _owner(frame: object) -> str:
    while frame is not None:
        name = frame.f_code.co_filename  # type: ignore[attr-defined]
        if f"{os.sep}capeval{os.sep}" in name and f"{os.sep}bench{os.sep}" not in name:
            return "capeval"
        if f"{os.sep}prefect{os.sep}" in name:
            return "prefect"
        frame = frame.f_back  # type: ignore[attr-defined]
    return "other"


def one_run(out_dir: Path, source: Path) -> None:
    """Run the demo of the checkout `source` here, sampling the main thread; print the result as JSON."""
    sys.path.insert(0, str(source))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    main_id = threading.get_ident()
    samples: Counter[str] = Counter()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(INTERVAL):
            frame = sys._current_frames().get(main_id)
            samples[_owner(frame)] += 1

    from capeval.demo.run import run_demo

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    run_demo(out_dir, lambda _line: None)
    done.set()
    wall = time.perf_counter() - started
    sampler.join()
    total = sum(samples.values()) or 1
    print(json.dumps({"wall": wall, **{k: v / total for k, v in samples.items()}}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--warm-runs", type=int, default=1)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--source", type=Path, default=ROOT, help="run capeval from this checkout instead")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        one_run(options.one, options.source.resolve())
        return 0
    missed = False
    with tempfile.TemporaryDirectory(prefix="capeval-demo-bench-") as folder:
        out_dir = Path(folder) / "demo"
        print(f"{'run':<6} {'wall':>7} {'capeval':>8} {'prefect':>8} {'other':>6} {'wall/capeval':>13}")
        for run in range(1 + options.warm_runs):
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(out_dir), "--source", str(options.source.resolve())],
                capture_output=True,
                text=True,
                cwd=folder,
            )
            if done.returncode != 0:
                raise SystemExit(f"the demo failed: {done.stderr.strip()[-600:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            share = result.get("capeval", 0.0)
            ratio = 1 / share if share else float("inf")
            label = "cold" if run == 0 else "warm"
            verdict = "" if run == 0 else (" PASS" if ratio <= TARGET else " MISS")
            missed |= run > 0 and ratio > TARGET
            print(
                f"{label:<6} {result['wall']:>6.1f}s {share:>8.0%} {result.get('prefect', 0.0):>8.0%} "
                f"{result.get('other', 0.0):>6.0%} {ratio:>12.1f}x{verdict}  (target warm <= {TARGET:g}x)"
            )
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
