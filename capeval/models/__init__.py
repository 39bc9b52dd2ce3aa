"""Persistence: SQLModel tables, the engine, repositories, the unit of work and migrations.

Each table class is imported from its module on first use (`from capeval.models import Application`
loads `cases` alone), so that a command creates only the model classes it touches; `load_every_table()`
puts the whole schema on `SQLModel.metadata` (migrations, schema comparisons).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .accounts import ApiToken, LoginAttempt, WebAccount, WebSession
    from .batches import EvaluationBatch
    from .board import StageCount
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

TABLE_MODULES: dict[str, tuple[str, ...]] = {
    "accounts": ("ApiToken", "LoginAttempt", "WebAccount", "WebSession"),
    "batches": ("EvaluationBatch",),
    "board": ("StageCount",),
    "calendar": ("CalendarSchedule",),
    "cases": ("Application", "Deadline", "EvidenceItem", "StageHistory"),
    "cpd_plans": ("CpdPlanItem", "FederationCpdPlanItem"),
    "cpd_policies": ("SocietyCpdPolicyChange",),
    "deadlines": ("DeadlineChange",),
    "directory": (
        "CommitteeSeat",
        "EngineeringField",
        "Examiner",
        "Person",
        "Society",
        "SocietyField",
        "SocietyMembership",
        "StaffAssignment",
    ),
    "documents": ("Document",),
    "governance": (
        "Appeal",
        "AuthorizationApplication",
        "Feedback",
        "GovernanceAppointment",
        "GovernanceDeadline",
        "GovernanceHistory",
        "Resolution",
        "ResolutionSubject",
    ),
    "marks": ("DatabaseMark",),
    "outbox": ("OutboxMessage",),
    "references": ("CaseReference",),
    "registry": (
        "Certificate",
        "CertificateHistory",
        "CpdActivity",
        "CpdExemption",
        "CpdLecturer",
        "LifetimeBan",
        "RegistrationCounter",
        "SocietyCpdPolicy",
    ),
    "review": (
        "DeclaredRelation",
        "EmploymentRecord",
        "Interview",
        "InterviewPanelist",
        "ReviewRecordRow",
        "ReviewTask",
        "ReviewTaskEvent",
    ),
    "sweep_runs": ("SweepRun",),
    "verification": ("VerificationRequest",),
    "work_experience": ("WorkExperience",),
}
"""Each module of table classes -> the classes it defines that this package exports."""
_MODULE_OF = {name: module for module, names in TABLE_MODULES.items() for name in names}

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
    "StageCount",
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def load_every_table() -> None:
    """Import every module of table classes, so that `SQLModel.metadata` holds the whole schema."""
    for module in TABLE_MODULES:
        importlib.import_module(f".{module}", __name__)
