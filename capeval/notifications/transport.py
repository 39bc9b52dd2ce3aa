"""Choose how mail leaves: `.eml` files in a folder, or the SMTP server named in the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .files import FileSender
from .message import Sender
from .smtp import SmtpSender, SmtpSettings

MAIL_DIR_ENV = "CAPEVAL_MAIL_DIR"


def sender_factory(mail_dir: str | None = None) -> Callable[[], Sender]:
    """What makes a fresh sender for each batch.

    A folder given here wins; then `CAPEVAL_SMTP_HOST` (with the other `CAPEVAL_SMTP_*` settings, checked
    now rather than at the first message); then a folder in `CAPEVAL_MAIL_DIR`.
    """
    if mail_dir is None and not os.environ.get("CAPEVAL_SMTP_HOST") and os.environ.get(MAIL_DIR_ENV):
        mail_dir = os.environ[MAIL_DIR_ENV]
    if mail_dir is not None:
        folder = Path(mail_dir)
        return lambda: FileSender(folder)
    settings = SmtpSettings.from_env()
    return lambda: SmtpSender(settings)
