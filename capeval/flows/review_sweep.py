"""The review sweep flow: expire unanswered invitations, mark overdue reviews, queue reminders.

The review tasks are split into `partitions` key ranges of the task id, swept at once: one task run per
partition (one run of the `review-sweep-partition` deployment per partition when the sweep runs as a
deployment, see `partitioned`) and, inside it, one per batch of due review tasks, never one per task; each
task goes through the review service in its own transaction, so the flow can be killed and run again and
every task ends as one run would leave it.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.partitions import KeyRange
from capeval.services.review_sweep import DueTask, ReviewSweepReport, due_ranges, run_batch, sweep_reviews
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings

from .partitioned import PartitionDeployment, each_partition, sweep_one_range


@task(name="review-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def review_batch(runtime: Runtime, batch: list[DueTask]) -> list[DueTask]:
    """Do the jobs of one batch of due review tasks; returns those that did something."""
    return run_batch(runtime, batch)


@task(name="review-partition", cache_policy=NO_CACHE)
def review_partition(runtime: Runtime, key_range: KeyRange, batch_size: int) -> ReviewSweepReport:
    """Every job over the review tasks of one key range, a task run per batch."""
    return sweep_reviews(runtime, batch_size=batch_size, process_batch=review_batch, key_range=key_range)


PARTITION_DEPLOYMENT = "review-sweep-partition/review-sweep-partition"


@flow(name="review-sweep-partition")
def review_sweep_partition(
    low: int,
    high: int,
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """The review tasks with ids `low`..`high` of a deployed review sweep, which starts one run per range."""
    settings = Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)
    return sweep_one_range(
        settings, low, high, lambda runtime, key_range: review_partition(runtime, key_range, batch_size)
    )


@flow(name="review-sweep")
def review_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    policy_file: str | None = None,
    partitions: int = 1,
) -> dict[str, Any]:
    """Sweep the review tasks as of `as_of` (ISO, Asia/Shanghai; default: now) in `partitions` parallel key
    ranges and report counts."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        ranges = due_ranges(runtime, partitions)
        shared = {"database_url": database_url, "as_of": as_of, "batch_size": batch_size, "policy_file": policy_file}
        on_workers = PartitionDeployment(PARTITION_DEPLOYMENT, shared, ReviewSweepReport)
        reports = each_partition(
            review_partition, ranges, deployment=on_workers, runtime=runtime, batch_size=batch_size
        )
        report = reduce(ReviewSweepReport.merged, reports, ReviewSweepReport())
        examined = sum(map(len, (report.cancelled, report.expired, report.overdue, report.reminded)))
        record_sweep_run(runtime, "review-sweep", examined + report.skipped)
    get_run_logger().info(
        "review sweep as of %s: %d expired, %d overdue, %d reminders, %d skipped, %d batches",
        runtime.today(),
        len(report.expired),
        len(report.overdue),
        len(report.reminded),
        report.skipped,
        report.batches,
    )
    return {
        "as_of": runtime.today().isoformat(),
        "cancelled": report.cancelled,
        "expired": report.expired,
        "overdue": report.overdue,
        "reminded": report.reminded,
        "skipped": report.skipped,
        "batches": report.batches,
        "partitions": len(ranges),
    }
