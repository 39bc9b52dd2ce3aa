"""The governance sweep flow: remind, then escalate, overdue steps of feedback, appeals and authorizations.

The due steps are split into `partitions` key ranges of the deadline id, swept at once: one task run per
partition (one run of the `governance-sweep-partition` deployment per partition when the sweep runs as a
deployment, see `partitioned`) and, inside it, one per batch of due steps, never one per case; each step is
its own transaction and every notice has a dedupe key, so the flow can be killed and run again without
sending anything twice.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.governance_sweep import (
    DueStep,
    GovernanceSweepReport,
    due_ranges,
    remind_steps,
    sweep_governance_deadlines,
)
from capeval.services.partitions import KeyRange
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings

from .partitioned import PartitionDeployment, each_partition, sweep_one_range


@task(name="governance-remind-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def remind_batch(runtime: Runtime, batch: list[DueStep]) -> tuple[list[int], list[int]]:
    """Remind or escalate the steps of one batch."""
    return remind_steps(runtime, batch)


@task(name="governance-partition", cache_policy=NO_CACHE)
def governance_partition(runtime: Runtime, key_range: KeyRange, batch_size: int) -> GovernanceSweepReport:
    """Remind or escalate the overdue steps of one key range, a task run per batch."""
    return sweep_governance_deadlines(runtime, batch_size=batch_size, process_batch=remind_batch, key_range=key_range)


PARTITION_DEPLOYMENT = "governance-sweep-partition/governance-sweep-partition"


@flow(name="governance-sweep-partition")
def governance_sweep_partition(
    low: int,
    high: int,
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """The step deadlines with ids `low`..`high` of a deployed governance sweep, which starts one run per range."""
    settings = Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)
    return sweep_one_range(
        settings, low, high, lambda runtime, key_range: governance_partition(runtime, key_range, batch_size)
    )


@flow(name="governance-sweep")
def governance_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
    partitions: int = 1,
) -> dict[str, Any]:
    """Sweep the governance steps overdue as of `as_of` (ISO, Asia/Shanghai; default: now) in `partitions`
    parallel key ranges and report counts."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        ranges = due_ranges(runtime, partitions)
        shared = {"database_url": database_url, "as_of": as_of, "batch_size": batch_size, "policy_file": policy_file}
        on_workers = PartitionDeployment(PARTITION_DEPLOYMENT, shared, GovernanceSweepReport)
        reports = each_partition(
            governance_partition, ranges, deployment=on_workers, runtime=runtime, batch_size=batch_size
        )
        report = reduce(GovernanceSweepReport.merged, reports, GovernanceSweepReport())
        record_sweep_run(runtime, "governance-sweep", report.examined)
    get_run_logger().info(
        "governance sweep as of %s: %d overdue steps, %d reminded, %d escalated, %d batches",
        runtime.today(),
        report.examined,
        len(report.reminded),
        len(report.escalated),
        report.batches,
    )
    return {
        "as_of": runtime.today().isoformat(),
        "examined": report.examined,
        "reminded": report.reminded,
        "escalated": report.escalated,
        "batches": report.batches,
        "partitions": len(ranges),
    }
