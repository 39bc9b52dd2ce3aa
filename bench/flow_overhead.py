#!/usr/bin/env python
"""What running a sweep as a Prefect flow adds to the sweep itself.

Run:  python bench/flow_overhead.py [--rounds 15] [--quick] [--strict]

A fresh SQLite database at the current schema with nothing due; the temporary Prefect server the demo
uses (`capeval.flows.ephemeral.temporary_api`, started once and not counted). Interleaved, `--rounds`
times each (median taken):

* direct: `opened(settings)` and `run_renewal_sweep`, what the flow's body does, without Prefect;
* flow: the `renewal-sweep` flow, called as the demo calls it, inside `fast_flow_runs()` (the block is
  entered for each run, as the sides take turns, but timed apart: the demo enters it once around its flows);
* flow, Prefect's client defaults: the same flow with only the heartbeat turned off (what
  `fast_flow_runs()` did before it set the loopback client's TLS file and CSRF support).

The row is flow minus direct, per run (target <= 150 ms). It also prints the HTTP requests one flow run
sends to the API, by method and path. Exit status 0 unless something fails; --strict: 1 on a miss.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

TARGET_MS = 150.0
BENCH_ID_KEY = "capeval bench: a fixed key of ID-number digests, no secret"
AS_OF = "2026-03-02"


@contextmanager
def heartbeat_off_only() -> Iterator[None]:
    """Prefect's client as configured, the heartbeat thread alone turned off."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def count_requests() -> collections.Counter[str]:
    """A counter of the API requests every Prefect client sends from now on ("METHOD /path", ids elided)."""
    import httpx

    counts: collections.Counter[str] = collections.Counter()
    sync_send, async_send = httpx.Client.send, httpx.AsyncClient.send

    def name(request: httpx.Request) -> str:
        path = request.url.path.split("/api", 1)[-1]
        parts = ["{id}" if len(part) == 36 and part.count("-") == 4 else part for part in path.split("/")]
        return f"{request.method} {'/'.join(parts)}"

    def counted_sync(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        counts[name(request)] += 1
        return sync_send(self, request, **kwargs)

    async def counted_async(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        counts[name(request)] += 1
        return await async_send(self, request, **kwargs)

    httpx.Client.send = counted_sync  # type: ignore[method-assign]
    httpx.AsyncClient.send = counted_async  # type: ignore[method-assign]
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="7 rounds")
    parser.add_argument("--strict", action="store_true")
    options = parser.parse_args()
    rounds = 7 if options.quick else options.rounds

    from capeval.flows.prefect_setup import fast_flow_runs, prepare_environment

    prepare_environment(Path(os.environ.get("CAPEVAL_BENCH_PREFECT_HOME", ROOT / ".prefect")))
    os.environ["CAPEVAL_ID_KEY"] = BENCH_ID_KEY
    from capeval.flows.ephemeral import temporary_api
    from capeval.flows.renewal_sweep import renewal_sweep
    from capeval.services.bootstrap import init_runtime, opened
    from capeval.services.renewals import run_renewal_sweep
    from capeval.settings import Settings

    counts = count_requests()
    with tempfile.TemporaryDirectory(prefix="capeval-flow-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = Settings.load(database_url=url, now=AS_OF)
        init_runtime(settings).engine.dispose()

        def direct() -> None:
            with opened(settings) as runtime:
                run_renewal_sweep(runtime)

        def flowed(setup: Callable[[], AbstractContextManager[None]]) -> Callable[[], float]:
            def run() -> float:
                entered = time.perf_counter()
                with setup():
                    started = time.perf_counter()
                    renewal_sweep(database_url=url, as_of=AS_OF)
                    elapsed = time.perf_counter() - started
                blocks[setup.__name__].append(time.perf_counter() - entered - elapsed)
                return elapsed

            return run

        def timed(side: Callable[[], None]) -> Callable[[], float]:
            def run() -> float:
                started = time.perf_counter()
                side()
                return time.perf_counter() - started

            return run

        blocks: dict[str, list[float]] = {"fast_flow_runs": [], "heartbeat_off_only": []}
        sides: dict[str, Callable[[], float]] = {
            "direct": timed(direct),
            "flow": flowed(fast_flow_runs),
            "flow, Prefect's client defaults": flowed(heartbeat_off_only),
        }
        times: dict[str, list[float]] = {name: [] for name in sides}
        requests: dict[str, collections.Counter[str]] = {}
        with temporary_api():
            for side in sides.values():
                side()  # warm: imports, the flow's registration, the server's first queries
            for n in range(rounds):
                order = list(sides.items())
                for name, side in order[n % len(order) :] + order[: n % len(order)]:
                    before = collections.Counter(counts)
                    times[name].append(side())
                    requests[name] = counts - before
    load = os.getloadavg()
    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"renewal sweep as a Prefect flow, nothing due, {rounds} rounds interleaved, load {load[0]:.1f}")
    print(f"direct {median['direct']:.0f} ms per run")
    missed = False
    for name in ("flow", "flow, Prefect's client defaults"):
        overhead = median[name] - median["direct"]
        ok = overhead <= TARGET_MS
        missed |= name == "flow" and not ok
        print(
            f"{name:<34} {median[name]:>6.0f} ms  overhead {overhead:>5.0f} ms  target <= {TARGET_MS:.0f}  "
            f"{'PASS' if ok else 'MISS'}  {sum(requests[name].values())} requests: "
            + ", ".join(f"{path} x{count}" for path, count in sorted(requests[name].items()))
        )
    print(
        "settings blocks, entered and left once per block (the demo enters `fast_flow_runs()` twice), not in the "
        "times above: "
        + ", ".join(f"{name}() {statistics.median(values) * 1000:.0f} ms" for name, values in blocks.items())
    )
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
