"""Queue messages to people in the outbox, in the same transaction as the change that caused them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from capeval.models import Person
from capeval.models.unit_of_work import UnitOfWork


def case_notice_key(case_id: int, version: int, template: str, person_id: int | None) -> str:
    """The dedupe key of a notice about a case: one per case version, template and recipient."""
    return f"application:{case_id}:v{version}:{template}:{person_id}"


def queue_case_notice(
    uow: UnitOfWork,
    case_id: int,
    version: int,
    person: Person,
    template: str,
    context: dict[str, Any],
    now: datetime,
) -> None:
    """Queue `template` for the applicant of a case at `version`; the dedupe key makes it exist once."""
    uow.outbox.append(
        {
            "dedupe_key": case_notice_key(case_id, version, template, person.id),
            "template": template,
            "recipient_name": person.name,
            "recipient_email": person.email,
            "language": person.language,
            "context": {"case_id": case_id, "applicant_name": person.name, **context},
            "application_id": case_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "last_error": "",
        }
    )
