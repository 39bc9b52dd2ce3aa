"""The deadline sweep flow: lapse cases whose resubmission or supplement window has closed.

The due deadlines are split into `partitions` key ranges of the deadline id, swept at once: one task run per
partition (one run of the `deadline-sweep-partition` deployment per partition when the sweep runs as a
deployment, see `partitioned`) and, inside it, one task run per batch, never one per case. Each case goes
through the normal command handler in its own transaction, so the flow can be killed and run again and every
case ends as one run would leave it.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.partitions import KeyRange
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.services.sweeps import OverdueItem, SweepReport, due_ranges, lapse_cases, lapse_overdue_cases
from capeval.settings import Settings

from .partitioned import PartitionDeployment, each_partition, sweep_one_range


@task(name="lapse-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def lapse_batch(runtime: Runtime, batch: list[OverdueItem]) -> list[int]:
    """Lapse the cases of one batch; returns the ids that lapsed."""
    return lapse_cases(runtime, batch)


@task(name="deadline-partition", cache_policy=NO_CACHE)
def deadline_partition(runtime: Runtime, key_range: KeyRange, batch_size: int) -> SweepReport:
    """Sweep the overdue deadlines of one key range, a task run per batch."""
    return lapse_overdue_cases(runtime, batch_size=batch_size, process_batch=lapse_batch, key_range=key_range)


PARTITION_DEPLOYMENT = "deadline-sweep-partition/deadline-sweep-partition"


@flow(name="deadline-sweep-partition")
def deadline_sweep_partition(
    low: int,
    high: int,
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """The deadlines with ids `low`..`high` of a deployed deadline sweep, which starts one run per range."""
    settings = Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)
    return sweep_one_range(
        settings, low, high, lambda runtime, key_range: deadline_partition(runtime, key_range, batch_size)
    )


@flow(name="deadline-sweep")
def deadline_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
    partitions: int = 1,
) -> dict[str, Any]:
    """Sweep the windows closed as of `as_of` (ISO, Asia/Shanghai; default: now) in `partitions` parallel key
    ranges and report counts."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        ranges = due_ranges(runtime, partitions)
        shared = {"database_url": database_url, "as_of": as_of, "batch_size": batch_size, "policy_file": policy_file}
        on_workers = PartitionDeployment(PARTITION_DEPLOYMENT, shared, SweepReport)
        reports = each_partition(
            deadline_partition, ranges, deployment=on_workers, runtime=runtime, batch_size=batch_size
        )
        report = reduce(SweepReport.merged, reports, SweepReport())
        record_sweep_run(runtime, "deadline-sweep", report.examined)
    get_run_logger().info(
        "deadline sweep as of %s: %d due, %d lapsed, %d skipped, %d batches in %d partitions",
        runtime.today(),
        report.examined,
        len(report.lapsed),
        report.skipped,
        report.batches,
        len(ranges),
    )
    return {
        "as_of": runtime.today().isoformat(),
        "examined": report.examined,
        "lapsed": report.lapsed,
        "skipped": report.skipped,
        "batches": report.batches,
        "partitions": len(ranges),
    }
