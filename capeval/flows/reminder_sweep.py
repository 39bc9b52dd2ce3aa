"""The reminder sweep flow: lapse warnings before resubmission and supplement deadlines, and the workgroup digest.

The deadlines to warn about are split into `partitions` key ranges of the deadline id, swept at once: one
task run per partition (one run of the `reminder-sweep-partition` deployment per partition when the sweep
runs as a deployment, see `partitioned`) and, inside it, one task run per batch, never one per case; the
digests follow, a task run per batch of societies. Every message has a dedupe key, so the flow can be killed
and run again: each warning and each day's digest is queued once.
"""

from __future__ import annotations

import dataclasses
from functools import reduce
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.partitions import KeyRange
from capeval.services.reminders import (
    ReminderReport,
    WarningItem,
    due_ranges,
    queue_digests,
    queue_lapse_warnings,
    sweep_digests,
    sweep_lapse_warnings,
)
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings

from .partitioned import PartitionDeployment, each_partition, sweep_one_range

PARTITION_DEPLOYMENT = "reminder-sweep-partition/reminder-sweep-partition"


@task(name="lapse-warning-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def lapse_warning_batch(runtime: Runtime, batch: list[WarningItem]) -> int:
    """Queue the lapse warnings of one batch of deadlines; returns how many were new."""
    return queue_lapse_warnings(runtime, batch)


@task(name="digest-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def digest_batch(runtime: Runtime, society_ids: list[int]) -> int:
    """Queue today's workgroup digests of one batch of societies; returns how many were new."""
    return queue_digests(runtime, society_ids)


@task(name="reminder-partition", cache_policy=NO_CACHE)
def reminder_partition(runtime: Runtime, key_range: KeyRange, batch_size: int) -> ReminderReport:
    """Queue the lapse warnings of the deadlines of one key range, a task run per batch."""
    return sweep_lapse_warnings(runtime, batch_size=batch_size, key_range=key_range, warn=lapse_warning_batch)


@flow(name="reminder-sweep-partition")
def reminder_sweep_partition(
    low: int,
    high: int,
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """The lapse warnings of the deadlines with ids `low`..`high` of a deployed reminder sweep, which starts
    one run per range."""
    settings = Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)
    return sweep_one_range(
        settings, low, high, lambda runtime, key_range: reminder_partition(runtime, key_range, batch_size)
    )


@flow(name="reminder-sweep")
def reminder_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    partitions: int = 1,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """Queue the lapse warnings due as of `as_of` (ISO, Asia/Shanghai; default now) in `partitions` parallel
    key ranges, then the daily digests."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        ranges = due_ranges(runtime, partitions)
        shared = {"database_url": database_url, "as_of": as_of, "batch_size": batch_size, "policy_file": policy_file}
        on_workers = PartitionDeployment(PARTITION_DEPLOYMENT, shared, ReminderReport)
        reports = each_partition(
            reminder_partition, ranges, deployment=on_workers, runtime=runtime, batch_size=batch_size
        )
        digests = sweep_digests(runtime, batch_size=batch_size, digest=digest_batch)
        report = reduce(ReminderReport.merged, reports, digests)
        record_sweep_run(runtime, "reminder-sweep", report.warnings_due + report.societies)
    get_run_logger().info(
        "reminder sweep as of %s: %d deadlines near, %d warnings queued (%d batches, %d partitions); "
        "%d societies, %d digests queued (%d batches)",
        report.as_of,
        report.warnings_due,
        report.warnings_queued,
        report.warning_batches,
        len(ranges),
        report.societies,
        report.digests_queued,
        report.digest_batches,
    )
    return {**dataclasses.asdict(report), "partitions": len(ranges)}
