"""Hostile input against the `capeval` command: how many inputs were tried and how many gave an internal error.

    python -m bench.hostile_inputs [--examples N]

Seeded: the same inputs every run (tests/hostile.py draws them), so two checkouts can be compared.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.hostile import TARGETS, prepare, survey
from tests.runtimes import TEST_ID_KEY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=60, help="inputs per command (default 60)")
    options = parser.parse_args()
    os.environ["CAPEVAL_ID_KEY"] = TEST_ID_KEY
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare(f"sqlite:///{Path(folder) / 'hostile.db'}")
        started = time.perf_counter()
        found = survey(prepared, Path(folder), options.examples)
        seconds = time.perf_counter() - started
    by_command = Counter(name for name, _, _ in found.failures)
    print(f"{found.tried} inputs over {len(TARGETS)} file-taking commands and the options, {seconds:.1f} s")
    print(f"{len(found.failures)} internal errors")
    for name, count in by_command.most_common():
        print(f"  {name}: {count}")
    print(found.summary(20))


if __name__ == "__main__":
    main()
