"""The reminder sweep flow: lapse warnings before resubmission and supplement deadlines, and the workgroup digest.

One task run per batch, never one per case. Every message has a dedupe key, so the flow can be killed and
run again: each warning and each day's digest is queued once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.reminders import Partition, WarningItem, queue_digests, queue_lapse_warnings, sweep_reminders
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings


@task(name="lapse-warning-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def lapse_warning_batch(runtime: Runtime, batch: list[WarningItem]) -> int:
    """Queue the lapse warnings of one batch of deadlines; returns how many were new."""
    return queue_lapse_warnings(runtime, batch)


@task(name="digest-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def digest_batch(runtime: Runtime, society_ids: list[int]) -> int:
    """Queue today's workgroup digests of one batch of societies; returns how many were new."""
    return queue_digests(runtime, society_ids)


@flow(name="reminder-sweep")
def reminder_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    partition: int = 0,
    partitions: int = 1,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """Queue the lapse warnings due as of `as_of` (ISO, Asia/Shanghai; default now) and the daily digests."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        report = sweep_reminders(
            runtime,
            batch_size=batch_size,
            partition=Partition(partition, partitions),
            warn=lapse_warning_batch,
            digest=digest_batch,
        )
        record_sweep_run(runtime, "reminder-sweep", report.warnings_due + report.societies)
    get_run_logger().info(
        "reminder sweep as of %s: %d deadlines near, %d warnings queued (%d batches); "
        "%d societies, %d digests queued (%d batches)",
        report.as_of,
        report.warnings_due,
        report.warnings_queued,
        report.warning_batches,
        report.societies,
        report.digests_queued,
        report.digest_batches,
    )
    return dataclasses.asdict(report)
