"""The deadline sweep flow: lapse cases whose resubmission or supplement window has closed.

One task run per batch of due deadlines, never one per case; each case goes through the normal command
handler in its own transaction, so the flow can be killed and run again and every case ends as one run
would leave it.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.runtime import Runtime
from capeval.services.sweeps import OverdueItem, lapse_cases, lapse_overdue_cases
from capeval.settings import Settings


@task(name="lapse-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def lapse_batch(runtime: Runtime, batch: list[OverdueItem]) -> list[int]:
    """Lapse the cases of one batch; returns the ids that lapsed."""
    return lapse_cases(runtime, batch)


@flow(name="deadline-sweep")
def deadline_sweep(
    database_url: str | None = None, as_of: str | None = None, batch_size: int = 500, policy_file: str | None = None
) -> dict[str, Any]:
    """Sweep the windows closed as of `as_of` (ISO, Asia/Shanghai; default: now) and report counts."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        report = lapse_overdue_cases(runtime, batch_size=batch_size, process_batch=lapse_batch)
    get_run_logger().info(
        "deadline sweep as of %s: %d due, %d lapsed, %d skipped, %d batches",
        runtime.today(),
        report.examined,
        len(report.lapsed),
        report.skipped,
        report.batches,
    )
    return {
        "as_of": runtime.today().isoformat(),
        "examined": report.examined,
        "lapsed": report.lapsed,
        "skipped": report.skipped,
        "batches": report.batches,
    }
