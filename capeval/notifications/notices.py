"""Which message each domain event sends, to whom, under which dedupe key; `publish` queues them.

The dedupe keys are part of the outbox's contract: one message per case version, template and recipient;
per certificate history line; per review task, template and reminder day; per governance case version and
template; per governance step deadline and kind of reminder (or schedule import that re-projected it). A
sweep run twice, or a command retried, therefore queues each message once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import singledispatch

from capeval.models.unit_of_work import UnitOfWork
from capeval.states.events import (
    AppealDecided,
    AppealEvent,
    AppealLodged,
    ApplicationEvent,
    AuthorizationDecided,
    CertificateEvent,
    DeadlineMoved,
    Event,
    FeedbackAnswered,
    FeedbackEvent,
    FeedbackReceived,
    GovernanceStepEscalated,
    GovernanceStepEvent,
    GovernanceStepOverdue,
    GovernanceStepReprojected,
    InterviewScheduled,
    ReviewTaskCancelled,
    ReviewTaskDueSoon,
    ReviewTaskEvent,
    ReviewTaskInvited,
    ReviewTaskOverdue,
)

from .outbox import Notice, write


def case_notice_key(case_id: int, version: int, template: str, person_id: int | None) -> str:
    """The dedupe key of a notice about a case: one per case version, template and recipient."""
    return f"application:{case_id}:v{version}:{template}:{person_id}"


def task_notice_key(task_id: int | None, template: str, suffix: str = "") -> str:
    """The dedupe key of a notice about a review task."""
    return f"review_task:{task_id}:{template}{':' + suffix if suffix else ''}"


@singledispatch
def notices(event: Event) -> list[Notice]:
    """The messages `event` sends."""
    raise TypeError(f"no notices are defined for {type(event).__name__}")


@notices.register
def _application(event: ApplicationEvent) -> list[Notice]:
    template = f"application.{event.action.value}"
    applicant = event.applicant
    context = {
        "case_id": event.case_id,
        "applicant_name": applicant.name,
        "action": event.action.value,
        "stage": event.stage,
        "previous_stage": event.previous_stage,
        "reason": event.reason,
        "field_code": event.field_code,
        "level": event.level,
        "due_on": event.due_on.isoformat() if event.due_on else None,
        "due_provisional": event.due_provisional,
        **event.details,
    }
    key = case_notice_key(event.case_id, event.version, template, applicant.person_id)
    return [Notice(key, template, applicant, context, event.case_id)]


@notices.register
def _certificate(event: CertificateEvent) -> list[Notice]:
    context: dict[str, object] = {
        "registration_number": event.registration_number,
        "holder_name": event.holder.name,
        "status": event.status,
        "reason": event.reason,
        "effective_on": event.effective_on.isoformat(),
        "change": event.change.value,
    }
    if event.expires_on is not None:
        context["expires_on"] = event.expires_on.isoformat()
    key = f"certificate:{event.certificate_id}:h{event.history_id}:status_changed"
    return [Notice(key, "certificate.status_changed", event.holder, context, event.application_id)]


_TASK_TEMPLATES: dict[type[ReviewTaskEvent], str] = {
    ReviewTaskInvited: "review.invited",
    ReviewTaskCancelled: "review.cancelled",
    ReviewTaskDueSoon: "review.reminder_before_due",
    ReviewTaskOverdue: "review.reminder_overdue",
}


@notices.register
def _review_task(event: ReviewTaskEvent) -> list[Notice]:
    template = _TASK_TEMPLATES[type(event)]
    suffix = event.on.isoformat() if isinstance(event, ReviewTaskOverdue) and event.on else ""
    context = {
        "case_id": event.case_id,
        "examiner_name": event.examiner.name,
        "task_id": event.task_id,
        "round": event.round,
        "due_on": event.due_on.isoformat(),
        **event.details,
    }
    return [Notice(task_notice_key(event.task_id, template, suffix), template, event.examiner, context, event.case_id)]


@notices.register
def _interview(event: InterviewScheduled) -> list[Notice]:
    applicant = event.applicant
    context = {
        "case_id": event.case_id,
        "applicant_name": applicant.name,
        "starts_at": event.starts_at,
        "place": event.place,
        "video_link": event.video_link,
        "duration_minutes": event.duration_minutes,
        "field_code": event.field_code,
        "level": event.level,
    }
    key = f"interview:{event.interview_id}:interview.notice:{applicant.person_id}"
    return [Notice(key, "interview.notice", applicant, context, event.case_id)]


# --- governance cases ---------------------------------------------------------------------------------

_FEEDBACK_TEMPLATES: dict[type[FeedbackEvent], str] = {
    FeedbackReceived: "feedback.received",
    FeedbackAnswered: "feedback.answered",
}


@notices.register
def _feedback(event: FeedbackEvent) -> list[Notice]:
    template = _FEEDBACK_TEMPLATES[type(event)]
    context = {"reference": event.reference, "sender_name": event.sender.name, "subject": event.subject}
    if isinstance(event, FeedbackAnswered):
        context["answer"] = event.answer
    key = f"feedback:{event.feedback_id}:v{event.version}:{template}"
    return [Notice(key, template, event.sender, context, event.application_id)]


_APPEAL_TEMPLATES: dict[type[AppealEvent], str] = {
    AppealLodged: "appeal.received",
    AppealDecided: "appeal.decided",
}


@notices.register
def _appeal(event: AppealEvent) -> list[Notice]:
    template = _APPEAL_TEMPLATES[type(event)]
    context: dict[str, object] = {
        "reference": event.reference,
        "appellant_name": event.appellant.name,
        "subject": event.subject,
        "reason": event.reason,
    }
    if isinstance(event, AppealDecided):
        context.update(outcome=event.outcome, reopened_at_stage=event.reopened_at_stage)
    key = f"appeal:{event.appeal_id}:v{event.version}:{template}"
    return [Notice(key, template, event.appellant, context, event.application_id)]


@notices.register
def _authorization(event: AuthorizationDecided) -> list[Notice]:
    template = "authorization.decided"
    context = {
        "society_code": event.society_code,
        "field_code": event.field_code,
        "decision": event.decision,
        "reason": event.reason,
        "reference": event.reference,
    }
    key = f"authorization:{event.authorization_id}:v{event.version}:{template}"
    return [Notice(key, template, event.society, context)]


_STEP_TEMPLATES: dict[type[GovernanceStepEvent], tuple[str, str]] = {
    GovernanceStepOverdue: ("governance.step_overdue", "reminder"),
    GovernanceStepEscalated: ("governance.step_escalated", "escalation"),
}


@notices.register
def _governance_step(event: GovernanceStepEvent) -> list[Notice]:
    template, suffix = _STEP_TEMPLATES[type(event)]
    context = {
        "reference": event.reference,
        "case_kind": event.case_kind,
        "step": event.step,
        "due_on": event.due_on.isoformat(),
    }
    if isinstance(event, GovernanceStepEscalated) and event.reminded_on is not None:
        context["reminded_on"] = event.reminded_on.isoformat()
    return [Notice(f"governance-deadline:{event.deadline_id}:{suffix}", template, event.recipient, context)]


STEP_REPROJECTED = "governance.step_reprojected"


@notices.register
def _governance_step_reprojected(event: GovernanceStepReprojected) -> list[Notice]:
    context = {
        "reference": event.reference,
        "case_kind": event.case_kind,
        "step": event.step,
        "old_due_on": event.old_due_on.isoformat(),
        "new_due_on": event.due_on.isoformat(),
        "provisional": event.provisional,
        "basis": event.basis,
    }
    key = f"governance-deadline:{event.deadline_id}:{STEP_REPROJECTED}:{event.occasion}"
    return [Notice(key, STEP_REPROJECTED, event.recipient, context)]


@notices.register
def _deadline_moved(event: DeadlineMoved) -> list[Notice]:
    template = "deadline.changed"
    context = {
        "case_id": event.case_id,
        "recipient_name": event.recipient.name,
        "kind": event.kind,
        "change": event.change,
        "old_due_on": event.old_due_on.isoformat(),
        "new_due_on": event.new_due_on.isoformat(),
        "provisional": event.provisional,
        "reason": event.reason,
    }
    key = f"{event.subject}:{template}:{event.occasion}"
    return [Notice(key, template, event.recipient, context, event.case_id)]


def publish(uow: UnitOfWork, events: Iterable[Event], now: datetime) -> None:
    """Queue the messages of every event in `uow`'s transaction, through the one outbox writer."""
    write(uow, (notice for event in events for notice in notices(event)), now)
