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

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.errors import MessageError
from email.message import Message
from typing import Protocol

from capeval.models import OutboxMessage
from capeval.models.outbox_queue import DEAD, PENDING
from capeval.models.repositories import OutboxRepository
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.clock import Clock
from capeval.states.delivery import DeliveryPolicy
from capeval.states.errors import CapevalError, DomainError, NotFoundError, Problem

from .compose import Stationery, compose, stationery
from .message import DeliveryError, MailIdentity, Sender

SenderFactory = Callable[[], Sender]
MESSAGE_FAULTS = (MessageError, UnicodeError, ValueError, TypeError, LookupError)
"""What a sender raises when one message's content cannot go out: that message is dead-lettered, the batch
goes on. Anything else stops the batch like a crash: its claims wait for their lease to run out."""
_LINE_BREAKS = ("\r", "\n", "\x00", "\u2028", "\u2029", "\x85")


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
    released: int = 0


@dataclass
class DispatchReport:
    """Counts of one dispatch run."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    lost: int = 0
    released: int = 0
    batches: int = 0

    def add(self, batch: BatchResult) -> None:
        self.batches += 1
        self.claimed += batch.claimed
        self.sent += len(batch.sent)
        self.retrying += batch.retrying
        self.dead += batch.dead
        self.lost += batch.lost
        self.released += batch.released


def claim_batch(access: OutboxAccess, policy: DeliveryPolicy, limit: int) -> tuple[str, list[OutboxMessage], int]:
    """Dead-letter the due messages with no attempt left, then claim up to `limit` due messages under a fresh
    token (one commit); returns the token, the claimed rows and how many were dead-lettered."""
    token = uuid.uuid4().hex
    now = access.clock.now()
    with access.unit_of_work() as uow:
        spent = uow.outbox.dead_letter_spent(now, policy.max_attempts)
        lease_until = now + timedelta(seconds=policy.lease_seconds)
        rows = list(uow.outbox.claim(token, now, lease_until, limit, policy.max_attempts))
        uow.commit()
    return token, rows, spent


def prepare(row: OutboxMessage, paper: Stationery) -> Message:
    """The email of one message, its headers written once so that one that cannot be written fails here.

    Raises `DeliveryError` (permanent) naming what is wrong: trying again cannot mend the message.
    """
    for label, value in (("recipient_name", row.recipient_name), ("recipient_email", row.recipient_email)):
        if any(mark in value for mark in _LINE_BREAKS):
            raise DeliveryError("delivery_header_unsafe", permanent=True, field=label, value=repr(value))
    try:
        email = compose(row, paper)
        for name, value in email.items():  # the headers as they will be written: CR/LF anywhere fails here
            email.policy.fold_binary(name, value)
    except CapevalError as error:
        raise DeliveryError("delivery_unbuildable", permanent=True, error=str(error)) from None
    except Exception as error:  # noqa: BLE001 - whatever breaks one message must not stop the batch
        raise DeliveryError("delivery_unbuildable", permanent=True, error=f"{type(error).__name__}: {error}") from None
    return email


def dispatch_batch(
    access: OutboxAccess,
    make_sender: SenderFactory,
    policy: DeliveryPolicy,
    identity: MailIdentity,
    limit: int | None = None,
    *,
    monotonic: Callable[[], float] = time.monotonic,
) -> BatchResult:
    """Claim one batch, build every message, send them over one connection and record each outcome.

    Each message stands alone: one that cannot be built is dead-lettered with the reason, one that fails
    to send is retried or dead-lettered, and the batch goes on. Once half the claim's lease is gone it is
    renewed, and a message is sent only if the claim still holds it right then. A batch sends for at most
    half the lease; what is left then is given back, due at once, for the next batch.
    """
    token, rows, spent = claim_batch(access, policy, limit or policy.batch_size)
    result = BatchResult(claimed=len(rows), dead=spent)
    if not rows:
        return result
    started = monotonic()
    budget = policy.lease_seconds / 2
    lease = timedelta(seconds=policy.lease_seconds)
    claim_until = access.clock.now() + lease
    ready: list[tuple[OutboxMessage, Message]] = []
    with access.unit_of_work() as uow:
        paper = stationery(uow, rows, identity)
    with access.unit_of_work() as uow:
        queue = uow.outbox
        for row in rows:
            try:
                ready.append((row, prepare(row, paper)))
            except DeliveryError as error:
                _record_failure(queue, row, token, str(error), policy, access.clock.now(), result, permanent=True)
        uow.commit()
        with make_sender() as sender:
            for row, email in ready:
                assert row.id is not None
                now = access.clock.now()
                if monotonic() - started > budget:
                    result.released += queue.release(token, now)
                    break
                if now >= claim_until - lease / 2:  # the claim's lease is half gone: renew all it holds
                    claim_until = now + lease
                    held = row.id in queue.renew(token, claim_until)
                else:
                    held = queue.holds(row.id, token)
                uow.commit()  # with the renewed lease, the outcome of the message before is recorded
                if not held:
                    result.lost += 1
                    continue
                _send_one(queue, sender, row, email, token, policy, access.clock, result)
            uow.commit()
    return result


def _send_one(
    queue: OutboxRepository,
    sender: Sender,
    row: OutboxMessage,
    email: Message,
    token: str,
    policy: DeliveryPolicy,
    clock: Clock,
    result: BatchResult,
) -> None:
    assert row.id is not None
    try:
        sender.send(email)
    except DeliveryError as error:
        _record_failure(queue, row, token, str(error), policy, clock.now(), result, permanent=error.permanent)
        return
    except MESSAGE_FAULTS as error:
        reason = Problem("delivery_unexpected", {"error": f"{type(error).__name__}: {error}"}).text("en")
        _record_failure(queue, row, token, reason, policy, clock.now(), result, permanent=True)
        return
    if queue.mark_sent(row.id, token, clock.now()):
        result.sent.append(row.id)
    else:
        result.lost += 1


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
            report.dead += batch.dead
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
