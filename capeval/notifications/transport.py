"""Choose how mail leaves: `.eml` files in a folder, or an SMTP server, as the settings say."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from capeval.states.errors import InputError

from .files import FileSender
from .message import Sender
from .smtp import SmtpSender, SmtpSettings


@dataclass(frozen=True)
class MailRoute:
    """Where mail goes when a run names no folder of its own: the SMTP server if one is set, else `mail_dir`."""

    smtp: SmtpSettings | None = None
    mail_dir: Path | None = None


def sender_factory(mail_dir: str | Path | None, route: MailRoute) -> Callable[[], Sender]:
    """What makes a fresh sender for each batch.

    A folder given here wins; then the SMTP server of `route`; then its mail folder. With none of them there
    is nowhere to send, and that is said now rather than at the first message.
    """
    folder = Path(mail_dir) if mail_dir is not None else (route.mail_dir if route.smtp is None else None)
    if folder is not None:
        return lambda: FileSender(folder)
    if route.smtp is None:
        raise InputError("smtp_host_missing")
    smtp = route.smtp
    return lambda: SmtpSender(smtp)
