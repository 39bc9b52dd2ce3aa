"""Queue messages to people in the outbox, in the same transaction as the change that caused them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from capeval.models import Application, OutboxMessage, Person
from capeval.models.unit_of_work import UnitOfWork


def queue_case_notice(
    uow: UnitOfWork, case: Application, person: Person, template: str, context: dict[str, Any], now: datetime
) -> OutboxMessage:
    """Queue `template` for the applicant of `case`; the key (case, version, template) makes it exist once."""
    assert case.id is not None
    message = OutboxMessage(
        dedupe_key=f"application:{case.id}:v{case.version}:{template}:{person.id}",
        template=template,
        recipient_name=person.name,
        recipient_email=person.email,
        language=person.language,
        context={"case_id": case.id, "applicant_name": person.name, **context},
        application_id=case.id,
        next_attempt_at=now,
        created_at=now,
    )
    uow.outbox.add(message)
    return message
