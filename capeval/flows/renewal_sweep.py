"""The renewal sweep flow: renewal reminders, yearly CPD shortfall warnings, expiry of unrenewed certificates.

One task run per batch of due certificates, never one per certificate; each batch is one transaction with
dedupe-keyed messages, so the flow can be killed and run again and every message exists once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.renewals import Cursor, run_renewal_sweep, sweep_batch
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.renewal_policy import RenewalPolicy


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
    policy_file: str | None = None,
) -> dict[str, Any]:
    """Sweep as of `as_of` (ISO, Asia/Shanghai; default: now) by the `[renewal]` rules of the policy file.

    `reminder_days` (days before expiry) replaces the policy's reminder points for this run.
    """
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        policy = runtime.policies.renewal
        if reminder_days:
            policy = dataclasses.replace(policy, reminder_days=tuple(reminder_days))
        report = run_renewal_sweep(runtime, policy=policy, batch_size=batch_size, run_batch=renewal_batch)
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
