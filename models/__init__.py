"""Persistence: SQLModel tables, the engine, repositories, the unit of work and migrations."""

from .calendar import CalendarSchedule
from .cases import Application, Deadline, EvidenceItem, StageHistory
from .directory import EngineeringField, Examiner, Person, Society, SocietyField, SocietyMembership, WorkgroupMember
from .outbox import OutboxMessage
from .registry import (
    Certificate,
    CertificateHistory,
    CpdActivity,
    CpdExemption,
    LifetimeBan,
    RegistrationCounter,
    SocietyCpdPolicy,
)

__all__ = [
    "Application",
    "CalendarSchedule",
    "Certificate",
    "CertificateHistory",
    "CpdActivity",
    "CpdExemption",
    "Deadline",
    "EngineeringField",
    "EvidenceItem",
    "Examiner",
    "LifetimeBan",
    "OutboxMessage",
    "Person",
    "RegistrationCounter",
    "SocietyCpdPolicy",
    "Society",
    "SocietyField",
    "SocietyMembership",
    "StageHistory",
    "WorkgroupMember",
]
