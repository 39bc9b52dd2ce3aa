"""The SMTP sender against a real SMTP server on loopback: reuse, TLS, refusals, 4xx, 5xx, disconnects."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from capeval.models import OutboxMessage
from capeval.notifications.compose import render_message
from capeval.notifications.dispatch import dispatch_due
from capeval.notifications.message import DeliveryError, Envelope, MailIdentity, build_email
from capeval.notifications.samples import sample_context
from capeval.notifications.smtp import SmtpSender, SmtpSettings
from capeval.notifications.transport import sender_factory
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import FixedClock
from capeval.states.delivery import DeliveryPolicy
from capeval.states.errors import InputError

from ..factories import load_society, submitted_case
from ..smtp_server import free_port, self_signed_certificate, smtp_server
from .test_handlers import rows

IDENTITY = MailIdentity("capeval", "noreply@capeval.test")


def email(serial: int, to: str | None = None):  # type: ignore[no-untyped-def]
    context = {**sample_context("application.submit"), "case_id": serial, "case_reference": f"DES-2026-{serial:04d}"}
    rendered = render_message("application.submit", "zh-CN", context)
    envelope = Envelope("capeval", IDENTITY.address, f"申请人{serial}", to or f"p{serial}@example.cn", "zh-CN")
    return build_email(
        dedupe_key=f"test:{serial}",
        envelope=envelope,
        rendered=rendered,
        domain=IDENTITY.domain,
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
    )


def plain(port: int, **options: object) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "plain", timeout=5, **options)  # type: ignore[arg-type]


def test_a_batch_goes_over_one_connection_and_arrives_with_its_message_ids_and_both_bodies() -> None:
    sent = [email(n) for n in (1, 2, 3)]
    with smtp_server() as (server, port), SmtpSender(plain(port)) as sender:
        for message in sent:
            sender.send(message)
        assert sender.connections_opened == 1
    assert server.message_ids() == [str(m["Message-ID"]) for m in sent]
    received = server.messages[0]
    assert str(received["Subject"]) == "申请已提交：案件 DES-2026-0001"
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}
    assert len(server.sessions) == 1


def test_a_refused_connection_is_a_transient_failure_and_the_rest_of_the_batch_fails_at_once() -> None:
    class CountingSender(SmtpSender):
        tries = 0

        def _connect(self):  # type: ignore[no-untyped-def]
            CountingSender.tries += 1
            return super()._connect()

    sender = CountingSender(plain(free_port()))
    with sender, pytest.raises(DeliveryError) as failure:
        sender.send(email(1))
    with sender, pytest.raises(DeliveryError) as second:
        sender.send(email(2))
    assert not failure.value.permanent and "cannot connect to 127.0.0.1" in str(failure.value)
    assert str(second.value) == str(failure.value) and CountingSender.tries == 1


def test_a_4xx_reply_is_transient_and_the_batch_goes_on_over_the_same_connection() -> None:
    with smtp_server() as (server, port), SmtpSender(plain(port)) as sender:
        server.data_replies[1] = "451 4.3.0 temporary failure"
        with pytest.raises(DeliveryError) as failure:
            sender.send(email(1))
        sender.send(email(2))
        assert sender.connections_opened == 1
    assert not failure.value.permanent and "451" in str(failure.value)
    assert server.message_ids() == [str(email(2)["Message-ID"])]


@pytest.mark.parametrize(
    ("recipient", "reply", "permanent"),
    [("refuse5@example.cn", None, True), ("refuse4@example.cn", None, False), (None, "554 5.6.0 rejected", True)],
)
def test_5xx_replies_are_permanent_and_4xx_transient(recipient: str | None, reply: str | None, permanent: bool) -> None:
    with smtp_server() as (server, port), SmtpSender(plain(port)) as sender:
        if reply:
            server.data_replies[1] = reply
        with pytest.raises(DeliveryError) as failure:
            sender.send(email(1, recipient))
    assert failure.value.permanent is permanent


def test_a_disconnect_in_mid_batch_fails_that_message_and_the_next_one_goes_over_a_new_connection() -> None:
    with smtp_server() as (server, port), SmtpSender(plain(port)) as sender:
        server.data_replies[2] = "disconnect"
        sender.send(email(1))
        with pytest.raises(DeliveryError) as failure:
            sender.send(email(2))
        sender.send(email(3))
        assert sender.connections_opened == 2
    assert not failure.value.permanent
    assert server.message_ids() == [str(email(n)["Message-ID"]) for n in (1, 3)]


def test_starttls_with_login(tmp_path: Path) -> None:
    server_tls, client_tls = self_signed_certificate(tmp_path)
    with smtp_server(server_tls, auth=True) as (server, port):
        settings = SmtpSettings("127.0.0.1", port, "starttls", "capeval", "s3cret", 5)
        with SmtpSender(settings, client_tls) as sender:
            sender.send(email(1))
    assert len(server.messages) == 1 and "s3cret" not in repr(settings)


def test_implicit_tls(tmp_path: Path) -> None:
    server_tls, client_tls = self_signed_certificate(tmp_path)
    with (
        smtp_server(server_tls, implicit_tls=True) as (server, port),
        SmtpSender(SmtpSettings("127.0.0.1", port, "ssl", timeout=5), client_tls) as sender,
    ):
        sender.send(email(1))
    assert len(server.messages) == 1


def test_a_wrong_password_is_transient_so_no_message_is_dead_lettered_for_it(tmp_path: Path) -> None:
    server_tls, client_tls = self_signed_certificate(tmp_path)
    with smtp_server(server_tls, auth=True) as (_, port):
        settings = SmtpSettings("127.0.0.1", port, "starttls", "capeval", "wrong", 5)
        with SmtpSender(settings, client_tls) as sender, pytest.raises(DeliveryError) as failure:
            sender.send(email(1))
    assert not failure.value.permanent


def test_settings_come_from_the_environment_and_bad_ones_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPEVAL_SMTP_HOST", "mail.example.cn")
    monkeypatch.setenv("CAPEVAL_SMTP_SECURITY", "ssl")
    settings = Settings.load().smtp()
    assert settings is not None and (settings.port, settings.security) == (465, "ssl")
    monkeypatch.delenv("CAPEVAL_SMTP_HOST")
    with pytest.raises(InputError, match="CAPEVAL_SMTP_HOST"):
        sender_factory(None, Settings.load().mail_route())
    monkeypatch.setenv("CAPEVAL_SMTP_HOST", "h")
    monkeypatch.setenv("CAPEVAL_SMTP_SECURITY", "tls13")
    with pytest.raises(InputError, match="CAPEVAL_SMTP_SECURITY"):
        Settings.load()
    monkeypatch.setenv("CAPEVAL_SMTP_SECURITY", "plain")
    monkeypatch.setenv("CAPEVAL_SMTP_PORT", "smtp")
    with pytest.raises(InputError, match="CAPEVAL_SMTP_PORT"):
        Settings.load()


def test_dispatch_through_smtp_faults_then_a_rerun_delivers_every_message_exactly_once(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1, 2, 3, 4, 5])
    for serial in (1, 2, 3, 4, 5):
        submitted_case(runtime, serial)
    policy = DeliveryPolicy(batch_size=5, backoff_base_seconds=60)
    with smtp_server() as (server, port):
        server.data_replies.update({2: "451 4.3.0 try later", 4: "disconnect"})
        first = dispatch_due(runtime, lambda: SmtpSender(plain(port)), policy=policy, identity=IDENTITY)
        clock.set(clock.now().replace(hour=10))
        second = dispatch_due(runtime, lambda: SmtpSender(plain(port)), policy=policy, identity=IDENTITY)
    assert (first.sent, first.retrying, second.sent) == (3, 2, 2)
    ids = server.message_ids()
    assert len(ids) == len(set(ids)) == 5
    assert {row.status for row in rows(runtime, OutboxMessage)} == {"sent"}
