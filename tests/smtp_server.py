"""A real SMTP server on loopback (aiosmtpd) whose replies a test can script, and a self-signed certificate."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ScriptedHandler:
    """Keeps every accepted message; `data_replies[n]` answers the n-th DATA (1-based) instead:
    an SMTP reply such as "451 4.3.0 try later", or "disconnect" to drop the connection without a reply.
    Recipients starting with "refuse4" or "refuse5" are refused with a 4xx or 5xx reply."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.data_replies: dict[int, str] = {}
        self.data_calls = 0
        self.sessions: set[int] = set()
        self.delay_seconds = 0.0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("refuse5"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("refuse4"):
            return "450 4.2.1 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        self.data_calls += 1
        self.sessions.add(id(session))
        reply = self.data_replies.get(self.data_calls)
        if reply == "disconnect":
            server.transport.close()
            return "421 gone"
        if reply:
            return reply
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK queued"

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (b"capeval", b"s3cret")
    return AuthResult(success=good, handled=False)


@contextmanager
def smtp_server(
    tls_context: ssl.SSLContext | None = None, *, implicit_tls: bool = False, auth: bool = False
) -> Iterator[tuple[ScriptedHandler, int]]:
    """Run a scripted SMTP server on 127.0.0.1; yields its handler and port."""
    handler = ScriptedHandler()
    port = free_port()
    options: dict[str, Any] = {}
    if auth:
        options.update(authenticator=_authenticate, auth_require_tls=tls_context is None)
    if tls_context is not None and not implicit_tls:
        options.update(tls_context=tls_context, require_starttls=True)
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        ssl_context=tls_context if implicit_tls else None,
        server_hostname="127.0.0.1" if implicit_tls else None,
        **options,
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def self_signed_certificate(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A certificate for 127.0.0.1: the server's context and a client context that trusts it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client
