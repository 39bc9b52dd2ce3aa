"""Persistence: SQLModel tables, the engine, repositories, the unit of work and migrations."""

from .accounts import ApiToken, LoginAttempt, WebAccount, WebSession
from .batches import EvaluationBatch
from .calendar import CalendarSchedule
from .cases import Application, Deadline, EvidenceItem, StageHistory
from .cpd_plans import CpdPlanItem, FederationCpdPlanItem
from .cpd_policies import SocietyCpdPolicyChange
from .deadlines import DeadlineChange
from .directory import (
    CommitteeSeat,
    EngineeringField,
    Examiner,
    Person,
    Society,
    SocietyField,
    SocietyMembership,
    StaffAssignment,
)
from .documents import Document
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
from .marks import DatabaseMark
from .outbox import OutboxMessage
from .references import CaseReference
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
from .sweep_runs import SweepRun
from .verification import VerificationRequest
from .work_experience import WorkExperience

__all__ = [
    "CpdPlanItem",
    "FederationCpdPlanItem",
    "EvaluationBatch",
    "ApiToken",
    "LoginAttempt",
    "WebAccount",
    "WebSession",
    "Appeal",
    "AuthorizationApplication",
    "Feedback",
    "GovernanceAppointment",
    "GovernanceDeadline",
    "GovernanceHistory",
    "Resolution",
    "ResolutionSubject",
    "Application",
    "DatabaseMark",
    "CalendarSchedule",
    "CaseReference",
    "Certificate",
    "CertificateHistory",
    "CommitteeSeat",
    "CpdActivity",
    "CpdExemption",
    "CpdLecturer",
    "Deadline",
    "Document",
    "DeadlineChange",
    "EngineeringField",
    "EvidenceItem",
    "Examiner",
    "LifetimeBan",
    "OutboxMessage",
    "Person",
    "RegistrationCounter",
    "SocietyCpdPolicy",
    "SocietyCpdPolicyChange",
    "StaffAssignment",
    "Society",
    "SocietyField",
    "SocietyMembership",
    "StageHistory",
    "SweepRun",
    "VerificationRequest",
    # review (issue 3)
    "DeclaredRelation",
    "EmploymentRecord",
    "Interview",
    "InterviewPanelist",
    "ReviewRecordRow",
    "ReviewTask",
    "ReviewTaskEvent",
    "WorkExperience",
]
