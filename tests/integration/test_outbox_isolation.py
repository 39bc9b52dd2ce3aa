"""One message cannot stop or double the mail: each is built, sent and recorded on its own, a spent message
is dead-lettered at claim, the lease follows a long batch and a message the claim lost is not sent."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from email.message import Message
from functools import partial

import pytest

from capeval.models import OutboxMessage
from capeval.notifications.dispatch import claim_batch, dispatch_batch, dispatch_due
from capeval.notifications.smtp import SmtpSender, SmtpSettings
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import FixedClock
from capeval.states.delivery import DeliveryPolicy
from capeval.states.errors import InputError

from ..smtp_server import free_port, smtp_server
from .test_outbox_dispatch import IDENTITY, ScriptedSender, outbox, queued_notices


def plain(port: int, timeout: float = 5) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "plain", timeout=timeout)


def set_columns(runtime: Runtime, message_id: int, **values: object) -> None:
    with runtime.unit_of_work() as uow:
        row = uow.session.get(OutboxMessage, message_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        uow.commit()


def ordered(runtime: Runtime) -> list[OutboxMessage]:
    return sorted(outbox(runtime), key=lambda row: row.id or 0)


def statuses(runtime: Runtime) -> Counter[str]:
    return Counter(row.status for row in outbox(runtime))


@pytest.mark.parametrize(
    ("column", "value"),
    [("recipient_name", "John Doe\r\nX-Injected: yes"), ("recipient_email", "p2@example.cn\r\nBcc: all@example.cn")],
)
def test_a_line_break_in_a_recipient_dead_letters_only_that_message_and_the_batch_goes_on(
    runtime: Runtime, column: str, value: str
) -> None:
    queued_notices(runtime, 5)
    poisoned = ordered(runtime)[1]
    set_columns(runtime, poisoned.id or 0, **{column: value})
    with smtp_server() as (server, port):
        first = dispatch_due(runtime, lambda: SmtpSender(plain(port)), identity=IDENTITY)
        again = dispatch_due(runtime, lambda: SmtpSender(plain(port)), identity=IDENTITY)

    after = {row.id: row for row in outbox(runtime)}
    assert (first.sent, first.dead, again.claimed) == (4, 1, 0)
    assert statuses(runtime) == Counter(sent=4, dead=1)
    assert after[poisoned.id].status == "dead" and "line break" in after[poisoned.id].last_error
    assert after[poisoned.id].attempts == 1
    assert len(server.messages) == 4
    assert not any(m["X-Injected"] or m["Bcc"] for m in server.messages)


def test_a_message_the_sender_cannot_encode_is_dead_lettered_and_the_rest_are_sent(runtime: Runtime) -> None:
    queued_notices(runtime, 3)
    sender = ScriptedSender({2: UnicodeEncodeError("ascii", "张三@例子.cn", 0, 2, "not ASCII")})
    report = dispatch_due(runtime, lambda: sender, identity=IDENTITY)
    failed = [row for row in outbox(runtime) if row.status != "sent"]
    assert (report.sent, report.dead, report.retrying) == (2, 1, 0)
    assert [row.status for row in failed] == ["dead"] and "UnicodeEncodeError" in failed[0].last_error


def test_a_message_with_no_attempt_left_is_dead_lettered_at_claim_and_never_sent_again(
    runtime: Runtime, clock: FixedClock
) -> None:
    queued_notices(runtime, 3)
    first, second, _ = ordered(runtime)
    policy = DeliveryPolicy(max_attempts=6)
    # its last attempt's dispatcher died: the lease ran out with the row still `sending`
    set_columns(runtime, first.id or 0, status="sending", attempts=6, next_attempt_at=clock.now(), claim_token="gone")
    set_columns(runtime, second.id or 0, attempts=9, last_error="attempt 9: 451 try later")
    sender = ScriptedSender()
    report = dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY)
    again = dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY)

    rows = {row.id: row for row in outbox(runtime)}
    assert (report.sent, report.dead, again.claimed, len(sender.sent)) == (1, 2, 0, 1)
    assert rows[first.id].status == rows[second.id].status == "dead"
    assert rows[first.id].attempts == 6 and rows[second.id].attempts == 9
    assert "all 6 attempts" in rows[first.id].last_error and "451 try later" in rows[second.id].last_error


class ClockedSender(ScriptedSender):
    """Each send takes `seconds` of the clock; before the `interrupt`-th send, `meanwhile` runs."""

    def __init__(self, clock: FixedClock, seconds: int, interrupt: int = 0, meanwhile=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.clock, self.seconds, self.interrupt, self.meanwhile = clock, seconds, interrupt, meanwhile
        self.rival_claims: list[int] = []

    def send(self, email: Message) -> None:  # type: ignore[override]
        if self.calls + 1 == self.interrupt and self.meanwhile is not None:
            self.meanwhile()
        self.clock.set(self.clock.now() + timedelta(seconds=self.seconds))
        super().send(email)  # type: ignore[arg-type]


def test_a_batch_longer_than_its_lease_keeps_its_claim_so_a_second_dispatcher_sends_nothing_twice(
    runtime: Runtime, clock: FixedClock
) -> None:
    queued_notices(runtime, 6)
    policy = DeliveryPolicy(lease_seconds=10, batch_size=6)
    rival = ScriptedSender()
    seen: list[int] = []

    def second_dispatcher() -> None:  # 20 s after the claim: the first lease is long over
        report = dispatch_due(runtime, lambda: rival, policy=policy, identity=IDENTITY)
        seen.append(report.claimed)

    sender = ClockedSender(clock, seconds=4, interrupt=6, meanwhile=second_dispatcher)
    report = dispatch_batch(runtime, lambda: sender, policy, IDENTITY, monotonic=lambda: 0.0)

    assert (report.claimed, len(report.sent), seen, len(rival.sent)) == (6, 6, [0], 0)
    assert len({email["Message-ID"] for email in sender.sent}) == 6
    assert statuses(runtime) == Counter(sent=6)


def test_a_message_another_dispatcher_took_over_is_not_sent_by_the_first(runtime: Runtime, clock: FixedClock) -> None:
    queued_notices(runtime, 3)
    third = ordered(runtime)[2]
    sender = ClockedSender(
        clock, seconds=0, interrupt=2, meanwhile=partial(set_columns, runtime, third.id or 0, claim_token="someone")
    )
    report = dispatch_batch(runtime, lambda: sender, DeliveryPolicy(), IDENTITY)
    assert (len(report.sent), report.lost, len(sender.sent)) == (2, 1, 2)
    assert third.dedupe_key not in {email["X-Capeval-Key"] for email in sender.sent}


def test_a_batch_that_runs_past_half_its_lease_gives_the_rest_back_without_spending_an_attempt(
    runtime: Runtime,
) -> None:
    queued_notices(runtime, 5)
    policy = DeliveryPolicy(lease_seconds=10, batch_size=5)
    ticks = iter([0.0, 1.0, 2.0, 6.0, 7.0, 8.0])  # the third send would start 6 s in, past the 5 s budget
    sender = ScriptedSender()
    first = dispatch_batch(runtime, lambda: sender, policy, IDENTITY, monotonic=lambda: next(ticks))
    rest = dispatch_due(runtime, lambda: sender, policy=policy, identity=IDENTITY)

    assert (len(first.sent), first.released, rest.sent) == (2, 3, 3)
    assert [row.attempts for row in outbox(runtime)] == [1, 1, 1, 1, 1]
    assert len({email["Message-ID"] for email in sender.sent}) == len(sender.sent) == 5


def test_a_server_slower_than_the_timeout_costs_the_batch_one_timeout_and_a_rerun_delivers_all(
    runtime: Runtime, clock: FixedClock
) -> None:
    queued_notices(runtime, 4)
    with smtp_server() as (server, port):
        server.delay_seconds = 1.0
        slow = dispatch_due(runtime, lambda: SmtpSender(plain(port, timeout=0.3)), identity=IDENTITY)
        errors = [row.last_error for row in outbox(runtime)]
        server.delay_seconds = 0
        clock.set(clock.now() + timedelta(hours=1))
        fast = dispatch_due(runtime, lambda: SmtpSender(plain(port, timeout=0.3)), identity=IDENTITY)
        copies = Counter(server.message_ids())

    assert (slow.sent, slow.retrying, slow.batches) == (0, 4, 1)
    assert server.data_calls <= 5  # the first one waited for, the other three failed at once, then the rerun's
    assert sum("gave no reply within 0.3 s" in e for e in errors) == 1
    assert all("no reply within 0.3 s" in e for e in errors)
    assert fast.sent == 4 and statuses(runtime) == Counter(sent=4)
    assert len(copies) == 4 and sum(copies.values()) - 4 <= 1  # only the timed-out one may arrive twice


def test_a_refused_connection_and_a_dropped_one_leave_nothing_in_sending(runtime: Runtime, clock: FixedClock) -> None:
    queued_notices(runtime, 4)
    refused = dispatch_due(runtime, lambda: SmtpSender(plain(free_port())), identity=IDENTITY)
    assert (refused.sent, refused.retrying) == (0, 4) and statuses(runtime) == Counter(pending=4)

    clock.set(clock.now() + timedelta(hours=1))
    with smtp_server() as (server, port):
        server.data_replies[2] = "disconnect"
        dropped = dispatch_due(runtime, lambda: SmtpSender(plain(port)), identity=IDENTITY)
    assert (dropped.sent, dropped.retrying) == (3, 1) and statuses(runtime) == Counter(sent=3, pending=1)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("CAPEVAL_SMTP_TIMEOUT", "0", "above 0"),
        ("CAPEVAL_SMTP_TIMEOUT", "-1", "above 0"),
        ("CAPEVAL_SMTP_TIMEOUT", "nan", "above 0"),
        ("CAPEVAL_SMTP_TIMEOUT", "inf", "at most 300"),
        ("CAPEVAL_SMTP_TIMEOUT", "301", "at most 300"),
        ("CAPEVAL_SMTP_PORT", "70000", "between 1 and 65535"),
        ("CAPEVAL_SMTP_HOST", "mail.example.cn\r\nRCPT TO:x", "one line"),
        ("CAPEVAL_SMTP_HOST", "mail example cn", "without spaces"),
        ("CAPEVAL_MAIL_FROM", "capeval <noreply@capeval.cn>\nBcc: x@y.cn", "one line"),
    ],
)
def test_a_bad_smtp_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InputError) as refused:
        Settings.load()
    text = str(refused.value)
    assert text.startswith(f"{variable}: ") and problem in text and "Value error" not in text


def test_a_good_timeout_reaches_the_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPEVAL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CAPEVAL_SMTP_TIMEOUT", "2.5")
    smtp = Settings.load().smtp()
    assert smtp is not None and smtp.timeout == 2.5


def test_claim_counts_one_attempt_and_never_takes_a_spent_message(runtime: Runtime) -> None:
    queued_notices(runtime, 2)
    spent = ordered(runtime)[0]
    set_columns(runtime, spent.id or 0, attempts=2)
    _, claimed, dead = claim_batch(runtime, DeliveryPolicy(max_attempts=2), 10)
    assert [row.attempts for row in claimed] == [1] and dead == 1
