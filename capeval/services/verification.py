"""Verifying facts with the applicant's employer when examiners ask (Q&A Q15: 必要时将委托学会工作组向有关单位
查询核实). An open request holds the review round: the round decides nothing until the workgroup records the
outcome, and recording it concludes a round that is otherwise complete, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from capeval.models import VerificationRequest
from capeval.states.application import Stage
from capeval.states.authority import require
from capeval.states.errors import DomainError, InputError, NotFoundError, NotPermitted
from capeval.states.review import TaskParty

from . import review
from .handlers import Outcome
from .review_support import current_round, task_actor

if TYPE_CHECKING:
    from .runtime import Runtime

REQUEST, ANSWER = "request_verification", "record_verification"


@dataclass(frozen=True)
class VerificationView:
    """A verification request as the CLI shows it."""

    request_id: int
    case_id: int
    round: int
    employer: str
    question: str
    state: str
    outcome: str
    requested_by: str
    requested_at: datetime


def _view(row: VerificationRequest) -> VerificationView:
    assert row.id is not None
    return VerificationView(
        row.id,
        row.application_id,
        row.round,
        row.employer,
        row.question,
        row.state,
        row.outcome,
        row.requested_by,
        row.requested_at,
    )


def request_verification(runtime: Runtime, case_id: int, actor: str, employer: str, question: str) -> VerificationView:
    """An examiner of the case's current round asks the workgroup to verify `question` with `employer`."""
    if not employer.strip() or not question.strip():
        raise InputError("verification_text_missing")
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        uow.review.lock_case(case_id)
        case, _ = review.case_and_applicant(uow, case_id)
        if Stage(case.stage) is not Stage.MATERIAL_REVIEW:
            raise DomainError("verification_wrong_stage", case_id=case_id, stage=case.stage)
        tasks = uow.review.tasks_of_case(case_id)
        number = current_round(tasks)
        examiner = next(
            (
                who
                for t in tasks
                if t.round == number and (who := task_actor(uow, actor, case, t)).may(TaskParty.EXAMINER)
            ),
            None,
        )
        if examiner is None:
            raise NotPermitted("verification_examiners_only", actor=actor, case_id=case_id)
        row = VerificationRequest(
            application_id=case_id,
            round=number,
            employer=employer.strip(),
            question=question.strip(),
            requested_by=examiner.label,
            requested_by_id=examiner.person_id,
            requested_at=now,
        )
        uow.verifications.add(row)
        uow.commit()
        return _view(row)


def record_outcome(
    runtime: Runtime, request_id: int, actor: str, outcome: str
) -> tuple[VerificationView, Outcome | None]:
    """The workgroup of the case's society records what the employer confirmed; a round that waited only on
    this now decides the case."""
    if not outcome.strip():
        raise InputError("verification_outcome_missing")
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        row = uow.verifications.get(request_id)
        if row is None:
            raise NotFoundError("verification_missing", request_id=request_id)
        uow.review.lock_case(row.application_id)
        case, _ = review.case_and_applicant(uow, row.application_id)
        who = task_actor(uow, actor, case)
        require(who, TaskParty.WORKGROUP, ANSWER)
        if row.state != "open":
            raise DomainError("verification_already_answered", request_id=request_id)
        row.state, row.outcome, row.answered_by, row.answered_at = "answered", outcome.strip(), who.label, now
        uow.flush()
        moved = review.conclude_in(uow, runtime, case) if Stage(case.stage) is Stage.MATERIAL_REVIEW else None
        uow.commit()
        return _view(row), moved


def of_case(runtime: Runtime, case_id: int) -> list[VerificationView]:
    """The verification requests of a case, oldest first."""
    with runtime.unit_of_work() as uow:
        return [_view(row) for row in uow.verifications.of_case(case_id)]
