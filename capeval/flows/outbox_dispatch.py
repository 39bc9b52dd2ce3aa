"""The outbox dispatch flow: send every due message, one task run per batch (one SMTP connection each).

Safe to kill and run again: a message marked sent is never claimed again, and a claim left behind by a
killed run is taken over when its lease runs out (see `capeval.notifications.dispatch` for the SMTP boundary).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from capeval.notifications.dispatch import BatchResult, OutboxAccess, SenderFactory, dispatch_batch, dispatch_due
from capeval.notifications.message import MailIdentity
from capeval.notifications.transport import sender_factory
from capeval.services.bootstrap import opened
from capeval.services.sweep_runs import record_sweep_run
from capeval.settings import Settings
from capeval.states.delivery import DeliveryPolicy


@task(name="dispatch-batch", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def dispatch_batch_task(
    access: OutboxAccess, make_sender: SenderFactory, policy: DeliveryPolicy, identity: MailIdentity
) -> BatchResult:
    """Claim, render and send one batch; retried when the database itself fails."""
    return dispatch_batch(access, make_sender, policy, identity)


@flow(name="outbox-dispatch")
def outbox_dispatch(
    database_url: str | None = None,
    as_of: str | None = None,
    mail_dir: str | None = None,
    batch_size: int | None = None,
    max_batches: int = 1000,
    policy_file: str | None = None,
) -> dict[str, Any]:
    """Send the messages due as of `as_of` (default now) to `mail_dir` as .eml files, or by SMTP (`CAPEVAL_SMTP_*`)."""
    with opened(Settings.load(database_url=database_url, now=as_of, policy_file=policy_file)) as runtime:
        policy = runtime.policies.delivery
        if batch_size is not None:
            policy = dataclasses.replace(policy, batch_size=batch_size)
        make_sender = sender_factory(mail_dir, runtime.mail_route)
        report = dispatch_due(
            runtime,
            make_sender,
            policy=policy,
            identity=runtime.mail_identity,
            max_batches=max_batches,
            process_batch=dispatch_batch_task,
        )
        record_sweep_run(runtime, "outbox-dispatch", report.claimed)
    get_run_logger().info(
        "outbox dispatch: %d claimed, %d sent, %d to retry, %d dead-lettered, %d lost to another claim, "
        "%d given back at the batch's time limit, %d batches",
        report.claimed,
        report.sent,
        report.retrying,
        report.dead,
        report.lost,
        report.released,
        report.batches,
    )
    return dataclasses.asdict(report)
