"""Build the email of an outbox message, and what every sender promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from capeval.states.calendar import SHANGHAI
from capeval.states.delivery import message_id
from capeval.states.errors import InputError, Problem

if TYPE_CHECKING:
    from .rendering import RenderedMessage

FROM_ENV = "CAPEVAL_MAIL_FROM"
DEFAULT_FROM = "capeval <noreply@capeval.localhost>"


class DeliveryError(Exception):
    """A message was not accepted: `DeliveryError("code", name=value)`, `permanent` when trying again cannot
    help (a 5xx reply). `problem` is the coded reason; `str(error)` its English text, as the outbox records it.
    """

    def __init__(self, code: str, /, *, permanent: bool = False, **params: Any) -> None:
        self.problem = Problem(code, params)
        super().__init__(self.problem.text("en"))
        self.permanent = permanent


class Sender(Protocol):
    """Sends emails, reusing one connection between `__enter__` and `__exit__` (a batch)."""

    def __enter__(self) -> Sender: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def send(self, email: Message) -> None:
        """Hand one email over; raise DeliveryError if it was not accepted."""
        ...


@dataclass(frozen=True)
class MailIdentity:
    """Who capeval's emails come from; the Message-ID domain is the sender address's domain."""

    display_name: str
    address: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "capeval.localhost"

    @classmethod
    def parse(cls, text: str) -> MailIdentity:
        """`Name <user@host>` or `user@host`."""
        name, _, rest = text.partition("<")
        address = rest.rstrip("> ").strip() if rest else name.strip()
        if "@" not in address or " " in address:
            raise InputError("mail_from_invalid", variable=FROM_ENV, text=text)
        return cls(name.strip() if rest else "", address)


def _address(name: str, email: str) -> str:
    return formataddr((name, email.strip()), charset="utf-8")


def build_email(
    *,
    dedupe_key: str,
    recipient_name: str,
    recipient_email: str,
    rendered: RenderedMessage,
    identity: MailIdentity,
    created_at: datetime,
) -> Message:
    """A multipart (text + HTML) email whose Message-ID is derived from the dedupe key, so resends match."""
    email = MIMEMultipart("alternative")
    email["Subject"] = Header(rendered.subject, "utf-8").encode()
    email["From"] = _address(identity.display_name, identity.address)
    email["To"] = _address(recipient_name, recipient_email)
    email["Date"] = format_datetime(created_at.astimezone(SHANGHAI))
    email["Message-ID"] = message_id(dedupe_key, identity.domain)
    email["X-Capeval-Key"] = dedupe_key
    email.attach(MIMEText(rendered.text, "plain", "utf-8"))
    email.attach(MIMEText(rendered.html, "html", "utf-8"))
    return email
