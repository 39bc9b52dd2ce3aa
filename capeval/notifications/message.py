"""Build the email of an outbox message, and what every sender promises."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from capeval.states.calendar import SHANGHAI
from capeval.states.delivery import message_id
from capeval.states.errors import InputError, Problem

from .links import DEFAULT_CONSOLE_URL

if TYPE_CHECKING:
    from .rendering import RenderedMessage

FROM_ENV = "CAPEVAL_MAIL_FROM"
DEFAULT_FROM = "capeval <noreply@capeval.localhost>"
AUTO_SUBMITTED = "auto-generated"
"""RFC 3834: every message capeval sends is generated, not written by a person (no auto-replies, please)."""


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
    """How capeval's emails are written and whom they come from.

    `display_name` and `address` are the system's own sender (the Message-ID domain and the fallback From);
    each society, and the federation's secretariat, writes in its own name through `letterheads` (see
    `letterheads.py`). `console_base_url` roots every link, `rules` are the numbers of the policy in force
    that messages state, and `templates_dir` holds the societies' own templates.
    """

    display_name: str
    address: str
    console_base_url: str = DEFAULT_CONSOLE_URL
    letterheads: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Per sender code (`federation`, or a society code): what the settings add to the directory entry."""
    rules: Mapping[str, Any] | None = None
    """The policy numbers templates may state; None means the sources' defaults."""
    templates_dir: Path | None = None

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "capeval.localhost"

    @classmethod
    def parse(cls, text: str, **extra: Any) -> MailIdentity:
        """`Name <user@host>` or `user@host`."""
        name, _, rest = text.partition("<")
        address = rest.rstrip("> ").strip() if rest else name.strip()
        if "@" not in address or " " in address:
            raise InputError("mail_from_invalid", variable=FROM_ENV, text=text)
        return cls(name.strip() if rest else "", address, **extra)


@dataclass(frozen=True)
class Envelope:
    """Who a message is from and to, in which language, and what it carries besides its text."""

    from_name: str
    from_address: str
    to_name: str
    to_address: str
    language: str
    reply_to: str = ""
    reference: str = ""
    attachments: Sequence[Attachment] = ()


@dataclass(frozen=True)
class Attachment:
    """A text file attached to an email (`text/<subtype>`): a `text/calendar` invitation, for instance."""

    filename: str
    subtype: str
    content: str
    params: Mapping[str, str] = field(default_factory=dict)


def _address(name: str, email: str) -> Address:
    username, _, domain = email.strip().rpartition("@")
    return Address(display_name=name, username=username, domain=domain)


def build_email(
    *,
    dedupe_key: str,
    envelope: Envelope,
    rendered: RenderedMessage,
    domain: str,
    created_at: datetime,
) -> EmailMessage:
    """A multipart (text + HTML, and any attachment) email whose Message-ID is derived from the dedupe key.

    Headers are encoded by the standard library's SMTP policy: a long or Chinese subject becomes encoded
    words that decode back to exactly the subject, with no folding space.
    """
    email = EmailMessage(policy=SMTP)
    email["Subject"] = rendered.subject
    email["From"] = _address(envelope.from_name, envelope.from_address)
    email["To"] = _address(envelope.to_name, envelope.to_address)
    if envelope.reply_to:
        email["Reply-To"] = _address(envelope.from_name, envelope.reply_to)
    email["Date"] = format_datetime(created_at.astimezone(SHANGHAI))
    email["Message-ID"] = message_id(dedupe_key, domain)
    email["Auto-Submitted"] = AUTO_SUBMITTED
    email["X-Capeval-Key"] = dedupe_key
    if envelope.reference:
        email["X-Capeval-Reference"] = envelope.reference
    email.set_content(rendered.text, charset="utf-8")
    email.add_alternative(rendered.html, subtype="html", charset="utf-8")
    if envelope.attachments:
        email.make_mixed()
        for item in envelope.attachments:
            email.add_attachment(
                item.content, subtype=item.subtype, charset="utf-8", filename=item.filename, params=dict(item.params)
            )
    email["Content-Language"] = envelope.language  # after the body: setting content clears Content-* headers
    return email
