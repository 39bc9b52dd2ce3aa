"""The renewal sweep flow: renewal reminders, yearly CPD shortfall warnings, expiry of unrenewed certificates.

One task run per batch of due certificates, never one per certificate; each batch is one transaction with
dedupe-keyed messages, so the flow can be killed and run again and every message exists once.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.renewals import Cursor, run_renewal_sweep, sweep_batch
from capeval.services.runtime import Runtime, open_runtime
from capeval.settings import default_database_url, parse_moment
from capeval.states.certificates import RenewalPolicy
from capeval.states.clock import FixedClock, SystemClock


@task(name="renewal-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def renewal_batch(part: str, runtime: Runtime, policy: RenewalPolicy, after: Cursor, batch_size: int) -> Any:
    """One batch of one part of the sweep: (cursor, examined, result)."""
    return sweep_batch(part, runtime, policy, after, batch_size)


@flow(name="renewal-sweep")
def renewal_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    reminder_days: list[int] | None = None,
) -> dict[str, Any]:
    """Sweep as of `as_of` (ISO, Asia/Shanghai; default: now); reminders at `reminder_days` before expiry."""
    clock = FixedClock(parse_moment(as_of)) if as_of else SystemClock()
    runtime = open_runtime(database_url or default_database_url(), clock=clock)
    policy = RenewalPolicy(reminder_days=tuple(reminder_days)) if reminder_days else RenewalPolicy()
    try:
        report = run_renewal_sweep(runtime, policy=policy, batch_size=batch_size, run_batch=renewal_batch)
    finally:
        runtime.engine.dispose()
    get_run_logger().info(
        "renewal sweep as of %s: %d reminders, %d CPD warnings, %d expired, %d examined in %d batches",
        report.as_of,
        report.reminders,
        report.cpd_warnings,
        len(report.expired),
        report.examined,
        report.batches,
    )
    return {**report.as_dict(), "expired_numbers": report.expired}
