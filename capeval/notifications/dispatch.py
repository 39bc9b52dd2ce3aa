"""The outbox dispatcher: claim due messages, render them all, send them over one connection, record each.

Delivery is at least once at the SMTP boundary and exactly once everywhere else. Each message is marked
sent in its own commit right after the server accepted it; if the process dies in between, the claim's
lease runs out and the message is sent again, with the same Message-ID (derived from its dedupe key), so a
receiving system can tell the copy. A re-run never sends a message already marked sent, and the file
sender replaces the same `.eml` file, so with it a re-run gives exactly one copy.

The dispatcher takes what it needs, not the services' runtime: anything with `unit_of_work()` and a
`clock` (`OutboxAccess`), a sender factory, the delivery policy and the mail identity.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from capeval.models import OutboxMessage
from capeval.models.outbox_queue import DEAD, PENDING
from capeval.models.repositories import OutboxRepository
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.clock import Clock
from capeval.states.delivery import DeliveryPolicy
from capeval.states.errors import DomainError, InputError, NotFoundError

from .compose import compose, stationery
from .message import DeliveryError, MailIdentity, Sender

SenderFactory = Callable[[], Sender]


class OutboxAccess(Protocol):
    """What the dispatcher needs of its surroundings: units of work on the database, and a clock."""

    @property
    def clock(self) -> Clock: ...

    def unit_of_work(self) -> UnitOfWork: ...


@dataclass
class BatchResult:
    """What one batch did: counts and the ids of the messages sent."""

    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    retrying: int = 0
    dead: int = 0
    lost: int = 0


@dataclass
class DispatchReport:
    """Counts of one dispatch run."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    lost: int = 0
    batches: int = 0

    def add(self, batch: BatchResult) -> None:
        self.batches += 1
        self.claimed += batch.claimed
        self.sent += len(batch.sent)
        self.retrying += batch.retrying
        self.dead += batch.dead
        self.lost += batch.lost


def claim_batch(access: OutboxAccess, policy: DeliveryPolicy, limit: int) -> tuple[str, list[OutboxMessage]]:
    """Claim up to `limit` due messages under a fresh token (one commit)."""
    token = uuid.uuid4().hex
    now = access.clock.now()
    with access.unit_of_work() as uow:
        rows = list(uow.outbox.claim(token, now, now + timedelta(seconds=policy.lease_seconds), limit))
        uow.commit()
    return token, rows


def dispatch_batch(
    access: OutboxAccess,
    make_sender: SenderFactory,
    policy: DeliveryPolicy,
    identity: MailIdentity,
    limit: int | None = None,
) -> BatchResult:
    """Claim one batch, render every message, send them over one connection and record each outcome."""
    token, rows = claim_batch(access, policy, limit or policy.batch_size)
    result = BatchResult(claimed=len(rows))
    if not rows:
        return result
    ready, unrenderable = [], []
    with access.unit_of_work() as uow:
        paper = stationery(uow, rows, identity)
    for row in rows:
        try:
            email = compose(row, paper)
        except (InputError, ValueError) as error:
            unrenderable.append((row, str(error)))
            continue
        ready.append((row, email))
    with access.unit_of_work() as uow:
        queue = uow.outbox
        for row, reason in unrenderable:
            _record_failure(queue, row, token, reason, policy, access.clock.now(), result, permanent=True)
        uow.commit()
        with make_sender() as sender:
            for row, email in ready:
                assert row.id is not None
                try:
                    sender.send(email)
                except DeliveryError as error:
                    _record_failure(
                        queue, row, token, str(error), policy, access.clock.now(), result, permanent=error.permanent
                    )
                else:
                    if queue.mark_sent(row.id, token, access.clock.now()):
                        result.sent.append(row.id)
                    else:
                        result.lost += 1
                uow.commit()
    return result


def _record_failure(
    queue: OutboxRepository,
    row: OutboxMessage,
    token: str,
    error: str,
    policy: DeliveryPolicy,
    now: datetime,
    result: BatchResult,
    *,
    permanent: bool,
) -> None:
    assert row.id is not None
    give_up = permanent or row.attempts >= policy.max_attempts
    retry_at = None if give_up else now + policy.retry_delay(row.attempts)
    note = f"attempt {row.attempts}: {error}"
    if not queue.mark_failed(row.id, token, note, retry_at):
        result.lost += 1
    elif give_up:
        result.dead += 1
    else:
        result.retrying += 1


BatchRunner = Callable[[OutboxAccess, SenderFactory, DeliveryPolicy, MailIdentity], BatchResult]


def dispatch_due(
    access: OutboxAccess,
    make_sender: SenderFactory,
    *,
    identity: MailIdentity,
    policy: DeliveryPolicy | None = None,
    max_batches: int = 1000,
    process_batch: BatchRunner = dispatch_batch,
) -> DispatchReport:
    """Send every message due now, a batch at a time, until none is left (or `max_batches` ran).

    `process_batch` runs one batch; the Prefect flow passes a task here so that each batch is one task run.
    """
    policy = policy or DeliveryPolicy()
    report = DispatchReport()
    while report.batches < max_batches:
        batch = process_batch(access, make_sender, policy, identity)
        if batch.claimed == 0:
            break
        report.add(batch)
    return report


def retry_message(access: OutboxAccess, message_id: int) -> OutboxMessage:
    """Put a dead message back in the queue, due now, with a fresh count of attempts."""
    with access.unit_of_work() as uow:
        row = uow.outbox.get(message_id)
        if row is None:
            raise NotFoundError("outbox_message_not_found", message_id=message_id)
        if row.status != DEAD:
            raise DomainError("outbox_retry_not_dead", message_id=message_id, status=row.status)
        row.status, row.attempts, row.next_attempt_at = PENDING, 0, access.clock.now()
        uow.commit()
        return row
