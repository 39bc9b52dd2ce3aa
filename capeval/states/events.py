"""Domain events: what happened, in the past tense, as plain values.

A workflow move returns them (through its handler); `capeval.notifications` maps each event to its
template and recipients and queues the messages in the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from .application import Action
from .certificates import Change


@dataclass(frozen=True)
class Recipient:
    """Someone a message goes to."""

    name: str
    email: str
    language: str = "zh-CN"
    person_id: int | None = None


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True)
class ApplicationEvent(Event):
    """A case took a move of the application workflow; `version` is the version the move produced."""

    ACTION: ClassVar[Action]

    case_id: int
    version: int
    applicant: Recipient
    stage: str
    previous_stage: str
    reason: str
    field_code: str
    level: str
    due_on: date | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> Action:
        return self.ACTION


class ApplicationSubmitted(ApplicationEvent):
    ACTION = Action.SUBMIT


class ApplicationReturned(ApplicationEvent):
    ACTION = Action.RETURN_FOR_REVISION


class ApplicationResubmitted(ApplicationEvent):
    ACTION = Action.RESUBMIT


class ApplicationLapsed(ApplicationEvent):
    ACTION = Action.LAPSE


class ApplicationWithdrawn(ApplicationEvent):
    ACTION = Action.WITHDRAW


class ApplicationAcceptedForReview(ApplicationEvent):
    ACTION = Action.ACCEPT_FOR_REVIEW


class SupplementRequested(ApplicationEvent):
    ACTION = Action.REQUEST_SUPPLEMENT


class SupplementProvided(ApplicationEvent):
    ACTION = Action.PROVIDE_SUPPLEMENT


class MaterialReviewPassed(ApplicationEvent):
    ACTION = Action.PASS_MATERIAL_REVIEW


class ReferredToFurtherAssessment(ApplicationEvent):
    ACTION = Action.REFER_TO_FURTHER_ASSESSMENT


class MaterialReviewFailed(ApplicationEvent):
    ACTION = Action.FAIL_MATERIAL_REVIEW


class AssessmentPassed(ApplicationEvent):
    ACTION = Action.PASS_ASSESSMENT


class AssessmentFailed(ApplicationEvent):
    ACTION = Action.FAIL_ASSESSMENT


class ApplicationApproved(ApplicationEvent):
    ACTION = Action.APPROVE


class ApplicationReferredBack(ApplicationEvent):
    ACTION = Action.REFER_BACK


class ApplicationRejected(ApplicationEvent):
    ACTION = Action.REJECT


class TitleConfirmed(ApplicationEvent):
    ACTION = Action.CONFIRM_TITLE


class TitleDeclined(ApplicationEvent):
    ACTION = Action.DECLINE_TITLE


class ApplicationRegistered(ApplicationEvent):
    ACTION = Action.REGISTER


class ApplicationDisqualified(ApplicationEvent):
    ACTION = Action.DISQUALIFY


class ReopenedToMaterialReview(ApplicationEvent):
    ACTION = Action.REOPEN_TO_MATERIAL_REVIEW


class ReopenedToFurtherAssessment(ApplicationEvent):
    ACTION = Action.REOPEN_TO_FURTHER_ASSESSMENT


class ReopenedToCommitteeReview(ApplicationEvent):
    ACTION = Action.REOPEN_TO_COMMITTEE_REVIEW


APPLICATION_EVENTS: dict[Action, type[ApplicationEvent]] = {
    event.ACTION: event for event in ApplicationEvent.__subclasses__()
}
"""The event each application action announces."""


@dataclass(frozen=True)
class CertificateEvent(Event):
    """A certificate's status changed; `history_id` is the line of the register history that records it."""

    CHANGE: ClassVar[Change]

    certificate_id: int
    history_id: int
    registration_number: str
    application_id: int | None
    holder: Recipient
    status: str
    reason: str
    effective_on: date
    expires_on: date | None = None

    @property
    def change(self) -> Change:
        return self.CHANGE


class CertificateSuspended(CertificateEvent):
    CHANGE = Change.SUSPEND


class CertificateRestored(CertificateEvent):
    CHANGE = Change.RESTORE


class CertificateRenewed(CertificateEvent):
    CHANGE = Change.RENEW


class CertificateExpired(CertificateEvent):
    CHANGE = Change.EXPIRE


class CertificateCancelled(CertificateEvent):
    CHANGE = Change.CANCEL


class CertificateRevoked(CertificateEvent):
    CHANGE = Change.REVOKE


class CertificateSuperseded(CertificateEvent):
    CHANGE = Change.SUPERSEDE


CERTIFICATE_EVENTS: dict[Change, type[CertificateEvent]] = {
    event.CHANGE: event for event in CertificateEvent.__subclasses__()
}
"""The event each certificate change announces (issuing is announced by `ApplicationRegistered`)."""


@dataclass(frozen=True)
class ReviewTaskEvent(Event):
    """Something happened to an examiner's review task."""

    task_id: int
    case_id: int
    round: int
    due_on: date
    examiner: Recipient
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewTaskInvited(ReviewTaskEvent):
    """An examiner was invited to review a case."""


@dataclass(frozen=True)
class ReviewTaskCancelled(ReviewTaskEvent):
    """An examiner's review task was cancelled."""


@dataclass(frozen=True)
class ReviewTaskDueSoon(ReviewTaskEvent):
    """An accepted review task comes due (the reminder before its due date)."""


@dataclass(frozen=True)
class ReviewTaskOverdue(ReviewTaskEvent):
    """A review task is overdue on `on` (one reminder per reminder day)."""

    on: date | None = None


@dataclass(frozen=True)
class InterviewScheduled(Event):
    """An interview of a case was scheduled; the applicant is told when, where and how long."""

    interview_id: int
    case_id: int
    applicant: Recipient
    starts_at: str
    place: str
    video_link: str
    duration_minutes: int
    field_code: str
    level: str
