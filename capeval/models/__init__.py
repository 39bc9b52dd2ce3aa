"""Persistence: SQLModel tables, the engine, repositories, the unit of work and migrations."""

from .calendar import CalendarSchedule
from .cases import Application, Deadline, EvidenceItem, StageHistory
from .directory import EngineeringField, Examiner, Person, Society, SocietyField, SocietyMembership, WorkgroupMember
from .governance import (
    Appeal,
    AuthorizationApplication,
    Feedback,
    GovernanceAppointment,
    GovernanceDeadline,
    GovernanceHistory,
    Resolution,
    ResolutionSubject,
)
from .outbox import OutboxMessage
from .registry import (
    Certificate,
    CertificateHistory,
    CpdActivity,
    CpdExemption,
    CpdLecturer,
    LifetimeBan,
    RegistrationCounter,
    SocietyCpdPolicy,
)
from .review import (
    DeclaredRelation,
    EmploymentRecord,
    Interview,
    InterviewPanelist,
    ReviewRecordRow,
    ReviewTask,
    ReviewTaskEvent,
)

__all__ = [
    "Appeal",
    "AuthorizationApplication",
    "Feedback",
    "GovernanceAppointment",
    "GovernanceDeadline",
    "GovernanceHistory",
    "Resolution",
    "ResolutionSubject",
    "Application",
    "CalendarSchedule",
    "Certificate",
    "CertificateHistory",
    "CpdActivity",
    "CpdExemption",
    "CpdLecturer",
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
    # review (issue 3)
    "DeclaredRelation",
    "EmploymentRecord",
    "Interview",
    "InterviewPanelist",
    "ReviewRecordRow",
    "ReviewTask",
    "ReviewTaskEvent",
]
