"""The renewal sweep flow: renewal reminders, yearly CPD shortfall warnings, expiry of unrenewed certificates.

The certificates are split into `partitions` key ranges of the certificate id, swept at once: one task run
per partition (one run of the `renewal-sweep-partition` deployment per partition when the sweep runs as a
deployment, see `partitioned`) and, inside it, one task run per batch, never one per certificate. Each batch
is one transaction with dedupe-keyed messages, so the flow can be killed and run again and every message
exists once.
"""

from __future__ import annotations

import dataclasses
from functools import reduce
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.services.bootstrap import opened
from capeval.services.partitions import KeyRange
from capeval.services.renewals import Cursor, RenewalSweepReport, due_ranges, run_renewal_sweep, sweep_batch
from capeval.services.runtime import Runtime
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings
from capeval.states.renewal_policy import RenewalPolicy

from .partitioned import PartitionDeployment, each_partition, sweep_one_range


@task(name="renewal-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def renewal_batch(
    part: str, runtime: Runtime, policy: RenewalPolicy, after: Cursor, batch_size: int, key_range: KeyRange | None
) -> Any:
    """One batch of one part of the sweep: (cursor, examined, result)."""
    return sweep_batch(part, runtime, policy, after, batch_size, key_range)


@task(name="renewal-partition", cache_policy=NO_CACHE)
def renewal_partition(
    runtime: Runtime, policy: RenewalPolicy, key_range: KeyRange, batch_size: int
) -> RenewalSweepReport:
    """All three parts of the sweep over the certificates of one key range, a task run per batch."""
    return run_renewal_sweep(
        runtime, policy=policy, batch_size=batch_size, run_batch=renewal_batch, key_range=key_range
    )


PARTITION_DEPLOYMENT = "renewal-sweep-partition/renewal-sweep-partition"


def _policy(runtime: Runtime, reminder_days: list[int] | None) -> RenewalPolicy:
    policy = runtime.policies.renewal
    return dataclasses.replace(policy, reminder_days=tuple(reminder_days)) if reminder_days else policy


@flow(name="renewal-sweep-partition")
def renewal_sweep_partition(
    low: int,
    high: int,
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    reminder_days: list[int] | None = None,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """The certificates with ids `low`..`high` of a deployed renewal sweep, which starts one run per range."""
    settings = Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)
    return sweep_one_range(
        settings,
        low,
        high,
        lambda runtime, key_range: renewal_partition(runtime, _policy(runtime, reminder_days), key_range, batch_size),
    )


@flow(name="renewal-sweep")
def renewal_sweep(
    database_url: str | None = None,
    as_of: str | None = None,
    batch_size: int = 500,
    reminder_days: list[int] | None = None,
    policy_file: str | None = None,
    partitions: int = 1,
) -> dict[str, Any]:
    """Sweep as of `as_of` (ISO, Asia/Shanghai; default: now) by the `[renewal]` rules of the policy file, in
    `partitions` parallel key ranges.

    `reminder_days` (days before expiry) replaces the policy's reminder points for this run.
    """
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        policy = _policy(runtime, reminder_days)
        ranges = due_ranges(runtime, partitions)
        shared = {
            "database_url": database_url,
            "as_of": as_of,
            "batch_size": batch_size,
            "reminder_days": reminder_days,
            "policy_file": policy_file,
        }
        on_workers = PartitionDeployment(PARTITION_DEPLOYMENT, shared, RenewalSweepReport)
        reports = each_partition(
            renewal_partition, ranges, deployment=on_workers, runtime=runtime, policy=policy, batch_size=batch_size
        )
        report = reduce(RenewalSweepReport.merged, reports, RenewalSweepReport(as_of=runtime.today().isoformat()))
        record_sweep_run(runtime, "renewal-sweep", report.examined)
    get_run_logger().info(
        "renewal sweep as of %s: %d reminders, %d CPD warnings, %d expired, %d examined in %d batches, %d partitions",
        report.as_of,
        report.reminders,
        report.cpd_warnings,
        len(report.expired),
        report.examined,
        report.batches,
        len(ranges),
    )
    return {**report.as_dict(), "expired_numbers": report.expired, "partitions": len(ranges)}
