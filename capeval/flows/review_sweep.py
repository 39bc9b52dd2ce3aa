"""The review sweep flow: expire unanswered invitations, mark overdue reviews, queue reminders.

One task run per batch of due review tasks, never one per task; each task goes through the review service
in its own transaction, so the flow can be killed and run again and every task ends as one run would leave it.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.review_sweep import DueTask, run_batch, sweep_reviews
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings


@task(name="review-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def review_batch(runtime: Runtime, batch: list[DueTask]) -> list[DueTask]:
    """Do the jobs of one batch of due review tasks; returns those that did something."""
    return run_batch(runtime, batch)


@flow(name="review-sweep")
def review_sweep(
    database_url: str | None = None, as_of: str | None = None, batch_size: int = 500, policy_file: str | None = None
) -> dict[str, Any]:
    """Sweep the review tasks as of `as_of` (ISO, Asia/Shanghai; default: now) and report counts."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        report = sweep_reviews(runtime, batch_size=batch_size, process_batch=review_batch)
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
    }
