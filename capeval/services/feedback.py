"""Feedback and complaints to the standards and quality supervision committee (Q&A Q40).

Anyone may write. A member of the supervision committee on the day registers it, appoints investigators and
answers; only an appointed investigator records the findings. Nobody who took part in the matter — the
sender, everyone recorded on the evaluation case it concerns, its examiners and panelists, and everyone who
acted on earlier appeals and feedback about it — investigates or takes any of its steps (Charter art. 11).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from capeval.models import Feedback, Person
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states import feedback as fb
from capeval.states.authority import Actor
from capeval.states.errors import InputError, NotFoundError
from capeval.states.events import FeedbackAnswered, FeedbackEvent, FeedbackReceived, Recipient
from capeval.states.governance import GovernanceFacts, Party
from capeval.states.governance_commands import ActOnFeedback, FileFeedback

from .authority import actor_of, person_acting
from .governance_steps import (
    GovernanceOutcome,
    appoint,
    appointees,
    ensure_may,
    history_rows,
    load_case,
    move_deadline,
    new_reference,
    parse_action,
    record_step,
    refuse_if_took_part,
    seated_parties,
    step_due,
    step_outcome,
)
from .runtime import Runtime

KIND = "feedback"
FeedbackEventT = TypeVar("FeedbackEventT", bound=FeedbackEvent)


def file_feedback(runtime: Runtime, command: FileFeedback) -> GovernanceOutcome:
    """Receive written feedback; the sender gets its reference number to follow it."""
    if not command.sender_name.strip():
        raise InputError("feedback_sender_required")
    if not command.sender_email.strip():
        raise InputError("feedback_email_required")
    if not command.subject.strip():
        raise InputError("feedback_subject_required")
    if not command.body.strip():
        raise InputError("feedback_body_required")
    if "@" not in command.sender_email:
        raise InputError("feedback_email_invalid", email=command.sender_email)
    if command.sender_kind not in {k.value for k in fb.SenderKind}:
        raise InputError("feedback_sender_kind_unknown", choices=[k.value for k in fb.SenderKind])
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        if command.case_id is not None and uow.applications.get(command.case_id) is None:
            raise NotFoundError("governance_evaluation_case_not_found", case_id=command.case_id)
        row = Feedback(
            reference=new_reference(uow, KIND, today),
            sender_name=command.sender_name.strip(),
            sender_email=command.sender_email.strip(),
            sender_kind=command.sender_kind,
            subject=command.subject.strip(),
            body=command.body.strip(),
            application_id=command.case_id,
            stage=fb.WORKFLOW.initial.value,
            created_at=now,
            updated_at=now,
        )
        uow.governance.add(row)
        uow.flush()
        record_step(uow, KIND, row, from_stage=None, action="file", actor=row.sender_name, reason="", now=now)
        next_due = move_deadline(uow, runtime, KIND, row, fb.STEP_DUE, now)
        publish(uow, [_event(FeedbackReceived, row)], now)
        uow.commit()
        return step_outcome(KIND, row, None, next_due)


def feedback_actor(uow: UnitOfWork, person: Person, row: Feedback, today: date) -> Actor:
    """`person` on this feedback: the parties their seats give, and an investigator's if appointed to it."""
    parties: set[Party] = seated_parties(uow, person, today)
    assert row.id is not None and person.id is not None
    if uow.governance.appointed(KIND, row.id, person.id):
        parties.add(Party.INVESTIGATORS)
    return actor_of(person).holding(parties)


def act_on_feedback(runtime: Runtime, command: ActOnFeedback) -> GovernanceOutcome:
    """Register, assign investigators, record findings and decision, or answer the sender."""
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        row: Feedback = load_case(uow, KIND, command.reference)
        stage = fb.FeedbackStage(row.stage)
        action = parse_action(fb.FeedbackAction, command.action, fb.WORKFLOW.allowed(stage))
        actor = feedback_actor(uow, person_acting(uow, command.actor), row, today)
        ensure_may(fb.WORKFLOW, stage, action, actor)
        excluded = participants(uow, row)
        refuse_if_took_part(actor, excluded, row.reference)
        facts = GovernanceFacts(
            today=today,
            reason=command.text,
            appointees=appointees(uow, command.investigators),
            participants=frozenset(excluded),
            policy=runtime.governance,
        )
        step = fb.WORKFLOW.advance(stage, action, facts, actor)
        if action is fb.FeedbackAction.ASSIGN_INVESTIGATORS:
            assert row.id is not None
            appoint(uow, KIND, row.id, facts.appointees, "investigator", now)
        elif action is fb.FeedbackAction.RECORD_FINDINGS:
            row.findings = command.text.strip()
        elif action is fb.FeedbackAction.ANSWER:
            row.answer = command.text.strip()
        row.stage, row.updated_at = step.dest.value, now
        uow.flush()
        record_step(
            uow,
            KIND,
            row,
            from_stage=stage.value,
            action=action.value,
            actor=actor.label,
            actor_id=actor.person_id,
            reason=command.text.strip(),
            now=now,
        )
        next_due = move_deadline(uow, runtime, KIND, row, fb.STEP_DUE, now)
        if action is fb.FeedbackAction.ANSWER:
            publish(uow, [_event(FeedbackAnswered, row, answer=row.answer)], now)
        uow.commit()
        return step_outcome(KIND, row, stage.value, next_due)


def participants(uow: UnitOfWork, row: Feedback) -> set[int]:
    """The ids of everyone who took part in the matter: whoever the sender's name names, everyone recorded on
    the evaluation case it concerns and on earlier appeals and feedback about it."""
    assert row.id is not None
    found = uow.governance.people_behind([(None, row.sender_name)])
    if row.application_id is not None:
        found |= uow.governance.participants_of_application(row.application_id, besides=(KIND, row.id))
    return found


def feedback_status(runtime: Runtime, reference: str) -> dict[str, Any]:
    """Where a piece of feedback stands, for its sender: stage, the current step's due date, history."""
    with runtime.unit_of_work() as uow:
        row: Feedback = load_case(uow, KIND, reference)
        assert row.id is not None
        deadlines = uow.governance.open_deadlines(KIND, row.id)
        return {
            "reference": row.reference,
            "subject": row.subject,
            "sender": row.sender_name,
            "stage": row.stage,
            **step_due(deadlines),
            "investigators": [a.person_name for a in uow.governance.appointments(KIND, row.id)],
            "findings": row.findings,
            "answer": row.answer,
            "history": history_rows(uow, KIND, row),
        }


def _event(event: type[FeedbackEventT], row: Feedback, **extra: Any) -> FeedbackEventT:
    assert row.id is not None
    sender = Recipient(row.sender_name, row.sender_email)
    return event(row.id, row.version, row.reference, sender, row.subject, row.application_id, **extra)
