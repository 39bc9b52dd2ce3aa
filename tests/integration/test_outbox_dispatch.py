"""The outbox dispatcher: claims with a lease, sends once, retries with back-off, dead-letters, lets operators retry."""

from __future__ import annotations

import threading
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType

import pytest

from capeval.models import OutboxMessage
from capeval.notifications.dispatch import claim_batch, dispatch_due, retry_message
from capeval.notifications.files import FileSender
from capeval.notifications.message import DeliveryError, MailIdentity
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.delivery import DeliveryPolicy, message_id
from capeval.states.errors import DomainError, NotFoundError

from ..factories import act, load_society, submitted_case
from .test_handlers import rows

IDENTITY = MailIdentity("capeval", "noreply@capeval.test")


class ScriptedSender:
    """Records what it is given; fails the n-th send (1-based) with the scripted error."""

    def __init__(self, failures: dict[int, Exception] | None = None) -> None:
        self.failures = failures or {}
        self.sent: list[EmailMessage] = []
        self.calls = 0
        self.batches = 0

    def __enter__(self) -> ScriptedSender:
        self.batches += 1
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None

    def send(self, email: EmailMessage) -> None:
        self.calls += 1
        failure = self.failures.get(self.calls)
        if failure is not None:
            raise failure
        self.sent.append(email)


def queued_notices(runtime: Runtime, count: int) -> list[int]:
    """`count` cases submitted (one application.submit notice each); returns their ids."""
    load_society(runtime, members=list(range(1, count + 1)))
    return [submitted_case(runtime, serial) for serial in range(1, count + 1)]


def outbox(runtime: Runtime) -> list[OutboxMessage]:
    return rows(runtime, OutboxMessage)


def test_dispatch_sends_every_due_message_once_over_one_connection_per_batch(runtime: Runtime) -> None:
    queued_notices(runtime, 5)
    sender = ScriptedSender()
    report = dispatch_due(runtime, lambda: sender, policy=DeliveryPolicy(batch_size=2), identity=IDENTITY)
    again = dispatch_due(runtime, lambda: sender, policy=DeliveryPolicy(batch_size=2), identity=IDENTITY)

    assert (report.sent, report.batches, again.claimed) == (5, 3, 0)
    assert sender.batches == 3 and len(sender.sent) == 5
    assert {row.status for row in outbox(runtime)} == {"sent"}
    keys = {row.dedupe_key for row in outbox(runtime)}
    assert {email["Message-ID"] for email in sender.sent} == {message_id(key, IDENTITY.domain) for key in keys}


def test_a_failed_send_is_retried_with_doubling_waits_then_dead_lettered(runtime: Runtime, clock: FixedClock) -> None:
    queued_notices(runtime, 1)
    policy = DeliveryPolicy(max_attempts=3, backoff_base_seconds=60)
    sender = ScriptedSender({n: DeliveryError("451 try later") for n in (1, 2, 3)})
    waits = []
    for _ in range(3):
        start = clock.now()
        report = dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY)
        assert report.claimed == 1
        message = outbox(runtime)[0]
        waits.append((message.next_attempt_at - start).total_seconds())
        assert dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY).claimed == 0
        clock.set(message.next_attempt_at)

    message = outbox(runtime)[0]
    assert waits[:2] == [60, 120]
    assert message.status == "dead" and message.attempts == 3 and "attempt 3: 451 try later" in message.last_error


def test_a_permanent_refusal_is_dead_lettered_at_once_and_an_operator_can_retry_it(
    runtime: Runtime, clock: FixedClock
) -> None:
    queued_notices(runtime, 2)
    refusing = ScriptedSender({1: DeliveryError("550 no such user", permanent=True)})
    report = dispatch_due(runtime, lambda: refusing, identity=IDENTITY)
    dead = [row for row in outbox(runtime) if row.status == "dead"]
    assert (report.sent, report.dead, len(dead)) == (1, 1, 1)

    retry_message(runtime, dead[0].id or 0)
    working = ScriptedSender()
    assert dispatch_due(runtime, lambda: working, identity=IDENTITY).sent == 1
    assert {row.status for row in outbox(runtime)} == {"sent"}
    assert len(refusing.sent) + len(working.sent) == 2


def test_only_dead_messages_can_be_retried_so_nothing_is_sent_twice(runtime: Runtime) -> None:
    queued_notices(runtime, 1)
    dispatch_due(runtime, ScriptedSender, identity=IDENTITY)
    with pytest.raises(DomainError, match="is sent, not dead"):
        retry_message(runtime, outbox(runtime)[0].id or 0)
    with pytest.raises(NotFoundError, match="no outbox message with id 999"):
        retry_message(runtime, 999)


def test_a_message_with_an_unknown_template_is_dead_lettered_with_the_reason(runtime: Runtime) -> None:
    queued_notices(runtime, 1)
    with runtime.unit_of_work() as uow:
        uow.session.get(OutboxMessage, outbox(runtime)[0].id).template = "application.unheard_of"  # type: ignore[union-attr]
        uow.commit()
    report = dispatch_due(runtime, ScriptedSender, identity=IDENTITY)
    message = outbox(runtime)[0]
    assert (
        report.dead == 1 and message.status == "dead" and "no template 'application.unheard_of'" in message.last_error
    )


def test_a_claim_left_by_a_dead_dispatcher_is_taken_over_after_its_lease_with_the_same_message_id(
    runtime: Runtime, clock: FixedClock
) -> None:
    queued_notices(runtime, 3)
    policy = DeliveryPolicy(lease_seconds=300)
    _, claimed, _ = claim_batch(runtime, policy, 2)  # the dispatcher dies right after claiming
    sender = ScriptedSender()
    first = dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY)
    clock.set(clock.now() + timedelta(seconds=301))
    second = dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY)

    assert (first.sent, second.sent) == (1, 2)
    by_key = {row.dedupe_key: row for row in outbox(runtime)}
    resent = [email for email in sender.sent if email["X-Capeval-Key"] in {row.dedupe_key for row in claimed}]
    assert [email["Message-ID"] for email in resent] == [message_id(r.dedupe_key, IDENTITY.domain) for r in claimed]
    assert all(row.status == "sent" for row in by_key.values())
    assert [by_key[row.dedupe_key].attempts for row in claimed] == [2, 2]


def test_two_dispatchers_at_once_never_claim_the_same_message(runtime: Runtime) -> None:
    queued_notices(runtime, 12)
    policy = DeliveryPolicy(batch_size=3)
    ready = threading.Barrier(4, timeout=30)
    claims: list[list[int]] = []

    def claim() -> None:
        ready.wait()
        claims.append([row.id or 0 for row in claim_batch(runtime, policy, 3)[1]])

    workers = [threading.Thread(target=claim) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    claimed = [message for claim_ in claims for message in claim_]
    assert len(claimed) == len(set(claimed)) == 12


def test_the_file_sender_writes_one_eml_per_message_and_a_resend_replaces_it(runtime: Runtime, tmp_path: Path) -> None:
    cases = queued_notices(runtime, 2)
    act(runtime, cases[0], Action.RETURN_FOR_REVISION, "学历证明模糊")
    folder = tmp_path / "mail"
    report = dispatch_due(runtime, lambda: FileSender(folder), identity=IDENTITY)
    files = sorted(folder.glob("*.eml"))
    assert report.sent == 3 and len(files) == 3
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    assert any("Message-ID: <" in text and "Content-Type: text/html" in text for text in texts)
