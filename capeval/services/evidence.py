"""The grounds of a decision: read the record a move cites and say what it decides for this case.

    ReviewRoundDecided   the case's current review round: complete, and what its records decide
    AssessmentDecided    an interview of this case, decided since the case last entered further assessment
    CitedResolution      a valid resolution of the review committee naming the case, held since the case
                         reached committee review, whose motion states the decision (Charter art. 9, 31)

Resolutions are read as recorded (`services.resolutions` judges their validity when they are recorded).
"""

from __future__ import annotations

from datetime import date

from capeval.models import Application
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.application import Action, Stage
from capeval.states.calendar import SHANGHAI
from capeval.states.errors import Problem
from capeval.states.evidence import (
    AssessmentDecided,
    Basis,
    CitedResolution,
    Grounds,
    ReviewRoundDecided,
    motion_decides,
)
from capeval.states.governance import Body, body_term
from capeval.states.review_policy import ReviewPolicy

from .review_support import round_state

APPLICATION_SUBJECT = "application"
"""The kind of resolution subject that names an evaluation case (its ref is the case id)."""


def grounds_of(
    uow: UnitOfWork, case: Application, basis: Basis | None, policy: ReviewPolicy, today: date
) -> Grounds | None:
    """What the record `basis` cites decides for `case` (None when nothing is cited)."""
    if basis is None:
        return None
    if isinstance(basis, ReviewRoundDecided):
        return _round(uow, case, basis, policy)
    if isinstance(basis, AssessmentDecided):
        return _assessment(uow, case, basis)
    return _resolution(uow, case, basis, today)


def _refused(basis: Basis, problem: Problem) -> Grounds:
    return Grounds(basis.describe(), problem=problem)


def _round(uow: UnitOfWork, case: Application, basis: ReviewRoundDecided, policy: ReviewPolicy) -> Grounds:
    assert case.id is not None
    state = round_state(uow, case.id, policy)
    if basis.round != state.round:
        return _refused(basis, Problem("evidence_round_not_current", {"round": basis.round, "current": state.round}))
    if state.stale:
        return _refused(basis, Problem("evidence_round_stale", {"round": basis.round}))
    if state.decision is None:
        needed = max(state.needed, state.standing)
        counts = {"round": basis.round, "submitted": state.submitted, "needed": needed}
        return _refused(basis, Problem("evidence_round_incomplete", counts))
    return Grounds(basis.describe(), frozenset({state.decision.action.value}))


def _assessment(uow: UnitOfWork, case: Application, basis: AssessmentDecided) -> Grounds:
    interview = uow.review.interview(basis.interview_id)
    if interview is None or interview.application_id != case.id:
        params = {"interview_id": basis.interview_id, "case_id": case.id}
        return _refused(basis, Problem("evidence_interview_other_case", params))
    if interview.state != "decided" or interview.passed is None or interview.decided_at is None:
        return _refused(basis, Problem("evidence_interview_undecided", {"interview_id": basis.interview_id}))
    entered = uow.review.last_entry(case.id or 0, Stage.FURTHER_ASSESSMENT.value)
    if entered is not None and interview.decided_at < entered:
        on = entered.astimezone(SHANGHAI).date()
        return _refused(basis, Problem("evidence_interview_stale", {"interview_id": basis.interview_id, "entered": on}))
    decided = Action.PASS_ASSESSMENT if interview.passed else Action.FAIL_ASSESSMENT
    return Grounds(basis.describe(), frozenset({decided.value}))


def _resolution(uow: UnitOfWork, case: Application, basis: CitedResolution, today: date) -> Grounds:
    reference = basis.reference.strip()
    resolution = uow.governance.resolution(reference)
    if resolution is None or resolution.id is None:
        return _refused(basis, Problem("resolution_not_found", {"reference": reference}))
    if resolution.body != Body.REVIEW_COMMITTEE.value:
        body, required = body_term(Body(resolution.body)), body_term(Body.REVIEW_COMMITTEE)
        wrong = {"reference": reference, "body": body, "required": required}
        return _refused(basis, Problem("governance_resolution_wrong_body", wrong))
    subjects = {(s.kind, s.ref) for s in uow.governance.subjects(resolution.id)}
    if (APPLICATION_SUBJECT, str(case.id)) not in subjects:
        return _refused(basis, Problem("governance_resolution_not_about_case", {"reference": reference}))
    if not resolution.valid:
        invalid = {"reference": reference, "summary": resolution.arithmetic}
        return _refused(basis, Problem("governance_resolution_invalid", invalid))
    if resolution.held_on > today:
        later = {"reference": reference, "held_on": resolution.held_on, "today": today}
        return _refused(basis, Problem("evidence_resolution_not_yet_held", later))
    entered = uow.review.last_entry(case.id or 0, Stage.COMMITTEE_REVIEW.value)
    if entered is not None and (
        resolution.held_on < entered.astimezone(SHANGHAI).date() or resolution.created_at < entered
    ):
        on = entered.astimezone(SHANGHAI).date()
        early = {"reference": reference, "held_on": resolution.held_on, "entered": on}
        return _refused(basis, Problem("evidence_resolution_too_early", early))
    decided = motion_decides(resolution.motion)
    if decided is None:
        silent = {"reference": reference, "motion": resolution.motion}
        return _refused(basis, Problem("evidence_resolution_states_nothing", silent))
    return Grounds(basis.describe(), frozenset({decided}))
