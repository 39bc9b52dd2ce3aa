"""The one outbox writer: a message to one person becomes one outbox row, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from capeval.models.outbox_queue import PENDING
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.events import Recipient


@dataclass(frozen=True)
class Notice:
    """One message to queue: its dedupe key (it exists, and is sent, once), template, recipient, context."""

    dedupe_key: str
    template: str
    recipient: Recipient
    context: Mapping[str, Any] = field(default_factory=dict)
    application_id: int | None = None


def outbox_row(notice: Notice, now: datetime) -> dict[str, Any]:
    """The `outbox_message` row of `notice`, due at once: the one place an outbox row is built."""
    return {
        "dedupe_key": notice.dedupe_key,
        "template": notice.template,
        "recipient_name": notice.recipient.name,
        "recipient_email": notice.recipient.email,
        "language": notice.recipient.language,
        "context": dict(notice.context),
        "application_id": notice.application_id,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
    }


def write(uow: UnitOfWork, notices: Iterable[Notice], now: datetime) -> None:
    """Queue every notice in `uow`'s transaction, in one insert (the unique dedupe key refuses a second copy)."""
    uow.outbox.append_all([outbox_row(notice, now) for notice in notices])
