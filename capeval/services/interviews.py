"""Interviews: a conflict-free panel, notice to the applicant, score sheets, the result (Q&A Q16-Q17, Q20)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from capeval.models import Application, Interview, InterviewPanelist
from capeval.models.review_repository import ReviewRepository
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states.application import Action, Party, Stage
from capeval.states.authority import Actor, party_term, require
from capeval.states.calendar import SHANGHAI
from capeval.states.commands import TakeAction
from capeval.states.errors import DomainError, InputError, NotFoundError, NotPermitted
from capeval.states.events import InterviewScheduled, Recipient
from capeval.states.evidence import AssessmentDecided
from capeval.states.interview import Durations, InterviewResult, check_projects, check_scores, judge
from capeval.states.levels import Level

from . import handlers
from .authority import case_actor, person_acting
from .handlers import Outcome
from .review import case_and_applicant, check_examiner, choose_examiners
from .review_support import joined
from .runtime import Runtime

SCHEDULE = "schedule_interview"
"""Scheduling an interview and choosing its panel: the workgroup's step (Q&A Q16)."""


@dataclass(frozen=True)
class InterviewView:
    """An interview as the CLI and the demo show it."""

    interview_id: int
    case_id: int
    state: str
    starts_at: datetime
    place: str
    video_link: str
    panel: list[int]
    total: int | None
    passed: bool | None
    reasons: str


def schedule(
    runtime: Runtime,
    case_id: int,
    starts_at: datetime,
    actor: str,
    *,
    place: str = "",
    video_link: str = "",
    panel: list[int] | None = None,
) -> InterviewView:
    """The workgroup of the case's society schedules an interview with a conflict-free panel and queues
    `interview.notice` to the applicant."""
    policy, now = runtime.review_policy, runtime.clock.now()
    if not place.strip() and not video_link.strip():
        raise InputError("interview_place_missing")
    with runtime.unit_of_work() as uow:
        case, applicant = case_and_applicant(uow, case_id)
        who = _case_actor(uow, runtime, case, actor, Party.WORKGROUP)
        require(who, Party.WORKGROUP, SCHEDULE)
        if Stage(case.stage) is not Stage.FURTHER_ASSESSMENT:
            raise DomainError("interview_wrong_stage", case_id=case_id, stage=case.stage)
        earliest = runtime.calendar(uow).add_working_days(runtime.today(), policy.interview_notice_working_days)
        if starts_at.astimezone(SHANGHAI).date() < earliest:
            raise DomainError(
                "interview_notice_too_short", days=policy.interview_notice_working_days, earliest=earliest
            )
        if panel:
            if len(set(panel)) != len(panel):
                raise InputError("interview_panel_duplicate")
            members = [check_examiner(uow, runtime, case, applicant, examiner_id) for examiner_id in panel]
        else:
            members = choose_examiners(uow, runtime, case, applicant, policy.panel_size, set())
            if len(members) < policy.panel_size:
                raise DomainError(
                    "interview_panel_short", free=len(members), field=case.field_code, size=policy.panel_size
                )
        repo = uow.review
        interview = Interview(
            application_id=case_id,
            starts_at=starts_at,
            place=place.strip(),
            video_link=video_link.strip(),
            scheduled_by=who.label,
            created_at=now,
        )
        repo.add(interview)
        uow.flush()
        for examiner in members:
            repo.add(InterviewPanelist(interview_id=interview.id or 0, examiner_id=examiner.id or 0))
            repo.change_load(examiner.id or 0, 0, assigned_at=now)
        minutes = policy.presentation_minutes + policy.question_minutes_min + policy.deliberation_minutes
        assert interview.id is not None
        scheduled = InterviewScheduled(
            interview_id=interview.id,
            case_id=case_id,
            applicant=Recipient(applicant.name, applicant.email, applicant.language, applicant.id),
            starts_at=starts_at.astimezone(SHANGHAI).isoformat(),
            place=interview.place or interview.video_link,
            video_link=interview.video_link,
            duration_minutes=minutes,
            field_code=case.field_code,
            level=case.level,
        )
        publish(uow, [scheduled], now)
        uow.commit()
        return interview_view(repo, interview)


def record_scores(
    runtime: Runtime, interview_id: int, actor: str, scores: dict[str, int], *, examiner_id: int | None = None
) -> dict[str, int]:
    """A panelist's own score sheet: every area, within the field's and level's maxima.

    `actor` must sit on the panel; `examiner_id`, when given, must be their seat (a cross-check).
    """
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        repo = uow.review
        interview, case_level, field = _interview(uow, repo, interview_id)
        seat = _own_seat(uow, repo.panel(interview_id), actor, interview_id)
        if examiner_id is not None and seat.examiner_id != examiner_id:
            raise NotPermitted("interview_seat_of_another", actor=actor, own=seat.examiner_id, examiner_id=examiner_id)
        checked = check_scores(scores, runtime.review_policy.maxima_for(field, case_level))
        seat.scores, seat.scored_at = checked, now
        uow.commit()
        return checked


def decide(
    runtime: Runtime,
    interview_id: int,
    agreed: dict[str, int],
    durations: Durations,
    actor: str,
    *,
    short_reason: str = "",
    written_exam_score: int | None = None,
    projects: Sequence[str] = (),
) -> tuple[InterviewResult, Outcome]:
    """A member of the interview's panel records the agreed scores and the actual durations; the pass rule
    passes or fails the case, citing the interview.

    The result, the stage change, its history and the result notice (naming every failed part) commit together.
    """
    policy, now = runtime.review_policy, runtime.clock.now()
    durations.check(policy, short_reason)
    presented = check_projects(projects, policy.interview_projects_min, policy.interview_projects_max)
    with runtime.unit_of_work() as uow:
        repo = uow.review
        interview, level, field = _interview(uow, repo, interview_id)
        _own_seat(uow, repo.panel(interview_id), actor, interview_id)
        missing = [p.examiner_id for p in repo.panel(interview_id) if p.scores is None]
        if missing:
            raise DomainError("interview_sheets_missing", examiners=missing, interview_id=interview_id)
        checked = check_scores(agreed, policy.maxima_for(field, level))
        result = judge(level, checked, policy)
        failures = list(result.failures)
        if field in policy.written_exam_fields:
            if written_exam_score is None:
                raise InputError("interview_written_exam_missing", field=field)
            if written_exam_score < policy.written_exam_pass_mark:
                failures.append(f"written exam {written_exam_score} is below {policy.written_exam_pass_mark}")
        passed = not failures
        reason = "; ".join(failures)
        interview.state, interview.agreed_scores, interview.total = "decided", checked, result.total
        interview.passed, interview.reasons, interview.decided_at = passed, reason, now
        interview.presentation_minutes = durations.presentation
        interview.question_minutes = durations.questions
        interview.deliberation_minutes = durations.deliberation
        interview.short_reason = short_reason.strip()
        interview.written_exam_score = written_exam_score
        interview.projects = list(presented)
        uow.flush()
        action = Action.PASS_ASSESSMENT if passed else Action.FAIL_ASSESSMENT
        text = f"interview total {result.total}" if passed else f"interview not passed: {reason}"
        order = TakeAction(interview.application_id, action, actor, text, basis=AssessmentDecided(interview_id))
        outcome = handlers.take_action(joined(runtime, uow), order)
        uow.commit()
        return InterviewResult(passed, result.total, tuple(failures)), outcome


def _case_actor(uow: UnitOfWork, runtime: Runtime, case: Application, actor: str, wanted: Party) -> Actor:
    context = uow.applications.context(case.id or 0)
    assert context is not None
    return case_actor(uow, actor, context, runtime.today(), {wanted})


def _own_seat(uow: UnitOfWork, panel: Sequence[InterviewPanelist], actor: str, interview_id: int) -> InterviewPanelist:
    """The seat `actor` holds on the interview's panel; anyone else is refused."""
    person = person_acting(uow, actor)
    mine = {e.id for e in uow.review.examiner_roles(person.id or 0)}
    seat = next((p for p in panel if p.examiner_id in mine), None)
    if seat is None:
        raise NotPermitted(
            "interview_not_on_panel",
            actor=person.name,
            interview_id=interview_id,
            party=party_term(Party.INTERVIEW_PANEL),
        )
    return seat


def _interview(uow: Any, repo: ReviewRepository, interview_id: int) -> tuple[Interview, Level, str]:
    interview = repo.interview(interview_id)
    if interview is None:
        raise NotFoundError("lookup_interview_missing", interview_id=interview_id)
    if interview.state != "scheduled":
        raise DomainError("interview_not_scheduled", interview_id=interview_id, state=interview.state)
    case, _ = case_and_applicant(uow, interview.application_id)
    return interview, Level(case.level), case.field_code


def interview_view(repo: ReviewRepository, interview: Interview) -> InterviewView:
    """What an interview shows to its reader."""
    return InterviewView(
        interview.id or 0,
        interview.application_id,
        interview.state,
        interview.starts_at,
        interview.place,
        interview.video_link,
        [p.examiner_id for p in repo.panel(interview.id or 0)],
        interview.total,
        interview.passed,
        interview.reasons,
    )


def interviews_of_case(runtime: Runtime, case_id: int) -> list[InterviewView]:
    """Every interview of a case."""
    with runtime.unit_of_work() as uow:
        repo = uow.review
        return [interview_view(repo, i) for i in repo.interviews_of_case(case_id)]
