"""Revoking CPD hours obtained by fraud (CE-2026 art. 27): recorded on the ledger row, told to the employer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from capeval.notifications.outbox import Notice, outbox_row
from capeval.states.authority import require
from capeval.states.certificates import Party
from capeval.states.errors import DomainError, InputError, NotFoundError
from capeval.states.events import Recipient

from .authority import certificate_actor
from .certificates import _holding

if TYPE_CHECKING:
    from .runtime import Runtime

TEMPLATE = "cpd.hours_revoked"


@dataclass(frozen=True)
class Revocation:
    """What a revocation did."""

    registration_number: str
    activity_id: int
    happened_on: date
    kind: str
    employer: str


def revoke_hours(
    runtime: Runtime, number: str, activity_id: int, reason: str, actor: str, employer_email: str
) -> Revocation:
    """Staff of the certificate's society revoke a ledger activity whose hours were obtained by fraud (欺骗、
    贿赂等不正当手段): the row keeps who, when and why and counts no more; the holder's employer is told, and
    the holder too, in the same transaction."""
    if not reason.strip():
        raise InputError("cpd_revocation_reason_missing")
    if "@" not in employer_email or not employer_email.strip():
        raise InputError("cpd_revocation_employer_email", got=employer_email)
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        certificate, person, society = _holding(uow, number)
        who = certificate_actor(uow, actor, certificate)
        require(who, Party.SOCIETY_STAFF, "revoke_cpd_hours")
        row = uow.cpd_policy_changes.activity(activity_id)
        if row is None or row.person_id != person.id:
            raise NotFoundError("cpd_activity_not_in_ledger", activity_id=activity_id, number=number)
        if row.revoked_at is not None:
            raise DomainError("cpd_activity_already_revoked", activity_id=activity_id, on=row.revoked_at.date())
        row.revoked_at, row.revoked_by, row.revoked_reason = now, who.name, reason
        employer = person.employer or person.name
        context = {
            "registration_number": certificate.registration_number,
            "holder_name": person.name,
            "society_name": society.name_zh,
            "activity": f"{row.kind} {row.happened_on.isoformat()} {row.attributes.get('title', '')}".strip(),
            "reason": reason,
            "employer": employer,
        }
        recipients = (
            (Recipient(employer, employer_email.strip()), "employer"),
            (Recipient(person.name, person.email, person.language, person.id), "holder"),
        )
        for recipient, role in recipients:
            key = f"cpd_activity:{activity_id}:{TEMPLATE}:{role}"
            message = Notice(
                key, TEMPLATE, recipient, {**context, "recipient_name": recipient.name}, certificate.application_id
            )
            uow.certificates.queue_once(outbox_row(message, now))
        uow.commit()
        return Revocation(certificate.registration_number, activity_id, row.happened_on, row.kind, employer)
