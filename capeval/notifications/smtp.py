"""Send through an SMTP server: STARTTLS, SSL or plain, optional login, one connection per batch."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from types import TracebackType

from .message import DeliveryError

SECURITY_MODES = ("starttls", "ssl", "plain")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "plain": 25}
MAX_TIMEOUT_SECONDS = 300.0
"""The longest wait for one reply the settings accept: a send must stay well inside the claim's lease."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; `password` is never printed."""

    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = ""
    timeout: float = 30.0

    def __repr__(self) -> str:
        return f"SmtpSettings({self.host}:{self.port}, {self.security}, user={self.user or '-'})"


class SmtpSender:
    """Sends over one SMTP connection, opened on the first message and reopened after a disconnect."""

    def __init__(self, settings: SmtpSettings, ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._ssl_context = ssl_context
        self._connection: smtplib.SMTP | None = None
        self._unreachable: str | None = None
        self.connections_opened = 0

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """The given TLS context, or the system's default (made only when TLS is used)."""
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        connection: smtplib.SMTP
        if s.security == "ssl":
            connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self.ssl_context)
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            connection.ehlo()
            if s.security == "starttls":
                connection.starttls(context=self.ssl_context)
                connection.ehlo()
            if s.user:
                connection.login(s.user, s.password)
        except BaseException:
            connection.close()
            raise
        self.connections_opened += 1
        return connection

    def send(self, email: Message) -> None:
        """Send one email; 4xx replies and connection trouble are transient, 5xx replies to it permanent.

        A failure to connect or log in is always transient: it is the server's, not the message's; the rest
        of the batch then fails at once instead of waiting for the server again and again. So does a server
        that gives no reply within the timeout: one slow message costs the batch one timeout, not one each.
        """
        where = f"{self.settings.host}:{self.settings.port}"
        if self._unreachable is not None:
            raise DeliveryError("delivery_unreachable", where=where, error=self._unreachable)
        if self._connection is None:
            try:
                self._connection = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                self._unreachable = f"{type(error).__name__}: {error}"
                raise DeliveryError("delivery_unreachable", where=where, error=self._unreachable) from None
        try:
            refused = self._connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryError(
                "delivery_recipient_refused",
                where=where,
                replies=_replies(error.recipients),
                permanent=all(c >= 500 for c in codes),
            ) from None
        except smtplib.SMTPResponseException as error:
            self._drop_if_closing(error.smtp_code)
            reply = (
                error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
            )
            raise DeliveryError(
                "delivery_replied",
                where=where,
                reply_code=error.smtp_code,
                reply=reply,
                permanent=error.smtp_code >= 500,
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            if _timed_out(error):
                self._unreachable = f"no reply within {self.settings.timeout:g} s"
                raise DeliveryError("delivery_timed_out", where=where, seconds=f"{self.settings.timeout:g}") from None
            raise DeliveryError("delivery_failed", where=where, error=f"{type(error).__name__}: {error}") from None
        if refused:
            raise DeliveryError("delivery_recipients_refused", where=where, replies=_replies(refused), permanent=True)

    def _drop_if_closing(self, code: int) -> None:
        if code == 421:
            self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def _timed_out(error: BaseException) -> bool:
    """A socket timeout, also when smtplib reports it as a disconnect."""
    return isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)


def _replies(recipients: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{who}: {code} {text.decode('utf-8', 'replace')}" for who, (code, text) in recipients.items())
