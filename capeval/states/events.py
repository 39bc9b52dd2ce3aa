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
    due_provisional: bool = False
    """`due_on` reaches a year whose holiday schedule is not published: it is 暂定 (provisional)."""

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


class CertificateReinstated(CertificateEvent):
    CHANGE = Change.REINSTATE


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


# --- governance cases: feedback, appeals, society authorization, their step deadlines ---------------------


@dataclass(frozen=True)
class FeedbackEvent(Event):
    """Something happened to a piece of written feedback; `version` is the version the step produced."""

    feedback_id: int
    version: int
    reference: str
    sender: Recipient
    subject: str
    application_id: int | None = None


@dataclass(frozen=True)
class FeedbackReceived(FeedbackEvent):
    """Written feedback was received; the sender is told its reference."""


@dataclass(frozen=True)
class FeedbackAnswered(FeedbackEvent):
    """The supervision committee answered the sender."""

    answer: str = ""


@dataclass(frozen=True)
class AppealEvent(Event):
    """Something happened to an appeal; `version` is the version the step produced."""

    appeal_id: int
    version: int
    reference: str
    appellant: Recipient
    subject: str
    reason: str
    application_id: int | None = None


@dataclass(frozen=True)
class AppealLodged(AppealEvent):
    """An admissible appeal was lodged; `reason` is the appellant's statement."""


@dataclass(frozen=True)
class AppealDecided(AppealEvent):
    """The panel upheld or dismissed an appeal (`outcome`); `reason` is its decision."""

    outcome: str = ""
    reopened_at_stage: str | None = None


@dataclass(frozen=True)
class AuthorizationDecided(Event):
    """A society's application for a field, or its authorization, was decided (`decision` is the stage)."""

    DECISION: ClassVar[str]

    authorization_id: int
    version: int
    reference: str
    society: Recipient
    society_code: str
    field_code: str
    reason: str

    @property
    def decision(self) -> str:
        return self.DECISION


class AuthorizationGranted(AuthorizationDecided):
    DECISION = "authorized"


class AuthorizationRefused(AuthorizationDecided):
    DECISION = "refused"


class AuthorizationWithdrawn(AuthorizationDecided):
    DECISION = "withdrawn"


AUTHORIZATION_EVENTS: dict[str, type[AuthorizationDecided]] = {
    event.DECISION: event for event in AuthorizationDecided.__subclasses__()
}
"""The event each decision of the authorization workflow announces, by the stage it reaches."""


@dataclass(frozen=True)
class GovernanceStepEvent(Event):
    """A governance step passed its time limit; `deadline_id` is the deadline row that remembers it."""

    deadline_id: int
    reference: str
    case_kind: str
    step: str
    due_on: date
    recipient: Recipient


@dataclass(frozen=True)
class GovernanceStepOverdue(GovernanceStepEvent):
    """The responsible body is reminded of an overdue step."""


@dataclass(frozen=True)
class GovernanceStepEscalated(GovernanceStepEvent):
    """An overdue step still open `escalation_working_days` after the reminder goes to the secretariat."""

    reminded_on: date | None = None


@dataclass(frozen=True)
class GovernanceStepReprojected(GovernanceStepEvent):
    """A provisional step deadline was recomputed with a newly imported holiday schedule (never earlier):
    `due_on` is the date that now stands, `old_due_on` the one notified before; `occasion` names the import."""

    old_due_on: date
    provisional: bool
    basis: str
    occasion: str


# --- stored deadlines: re-projected after a schedule import, extended by the workgroup ------------------


@dataclass(frozen=True)
class DeadlineMoved(Event):
    """A stored deadline changed (`change`: `reprojected` or `extended`); `subject` names the row
    (`deadline:ID` or `review_task:ID`) and `occasion` makes the notice unique per change."""

    case_id: int
    recipient: Recipient
    subject: str
    kind: str
    change: str
    old_due_on: date
    new_due_on: date
    provisional: bool
    reason: str
    occasion: str
