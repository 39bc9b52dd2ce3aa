"""Appeals against a failed evaluation, a refused renewal, a suspension or a revocation (Charter art. 11).

The impartiality committee appoints a panel of people who took no part in the original decision; the panel
dismisses the appeal with reasons or upholds it, each by a valid resolution (Charter art. 31). An upheld
appeal against a failed evaluation reopens the case at a stated stage of its workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from . import governance as gv
from .engine import Guard, Move, Workflow
from .errors import Problem
from .governance_policy import GovernancePolicy
from .messages import Term


class AppealStage(StrEnum):
    LODGED = "lodged"
    UNDER_REVIEW = "under_review"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class AppealAction(StrEnum):
    APPOINT_PANEL = "appoint_panel"
    UPHOLD = "uphold"
    DISMISS = "dismiss"


class Subject(StrEnum):
    FAILED_EVALUATION = "failed_evaluation"
    REFUSED_RENEWAL = "refused_renewal"
    SUSPENSION = "suspension"
    REVOCATION = "revocation"


REOPEN_STAGES = ("material_review", "further_assessment", "committee_review")
"""Where an upheld appeal may reopen an evaluation case (the `reopen_to_*` moves of the application table)."""

S, A = AppealStage, AppealAction
COMMITTEE = gv.Party.IMPARTIALITY_COMMITTEE

STEPS = (
    Move(A.APPOINT_PANEL, S.LODGED, S.UNDER_REVIEW, COMMITTEE, (gv.APPOINTEES_NAMED, gv.IMPARTIAL)),
    Move(A.UPHOLD, S.UNDER_REVIEW, S.UPHELD, COMMITTEE, (gv.REASON_GIVEN, gv.RESOLUTION_VALID, gv.REOPEN_STAGE_NAMED)),
    Move(A.DISMISS, S.UNDER_REVIEW, S.DISMISSED, COMMITTEE, (gv.REASON_GIVEN, gv.RESOLUTION_VALID)),
)
CLOSED_STAGES = frozenset({AppealStage.UPHELD, AppealStage.DISMISSED})
WORKFLOW = Workflow("appeal", AppealStage, AppealStage.LODGED, STEPS, closed=CLOSED_STAGES)
STEP_DUE: dict[AppealStage, str] = {
    S.LODGED: "appeal_panel_working_days",
    S.UNDER_REVIEW: "appeal_decision_working_days",
}


@dataclass(frozen=True)
class LodgingFacts:
    """What an appeal is judged admissible by; `decided_on` is the date of the decision as recorded in its
    history, and `subject_state_ok` why the decision appealed does not stand (no window runs then)."""

    today: date
    subject: str
    grounds: tuple[str, ...]
    statement: str
    decided_on: date | None
    window_closes_on: date | None
    subject_state_ok: Problem | None
    policy: GovernancePolicy


def subject_term(subject: str) -> Term:
    """The name of a decision that can be appealed as a word of the message catalog."""
    return Term(f"appeal_subject_{subject}")


def _subject_appealable(facts: LodgingFacts) -> Problem | None:
    if facts.subject in facts.policy.appealable_subjects:
        return None
    return Problem(
        "appeal_subject_not_appealable", {"subject": facts.subject, "choices": list(facts.policy.appealable_subjects)}
    )


def _grounds_stated(facts: LodgingFacts) -> Problem | None:
    choices = list(facts.policy.appeal_grounds)
    unknown = [g for g in facts.grounds if g not in facts.policy.appeal_grounds]
    if unknown:
        return Problem("appeal_grounds_unknown", {"unknown": unknown, "choices": choices})
    if not facts.grounds or not facts.statement.strip():
        return Problem("appeal_grounds_missing", {"choices": choices})
    return None


def _within_window(facts: LodgingFacts) -> Problem | None:
    if facts.subject_state_ok is not None:
        return None
    if facts.window_closes_on is None or facts.decided_on is None:
        return Problem("appeal_decision_date_unknown")
    if facts.today <= facts.window_closes_on:
        return None
    return Problem(
        "appeal_window_closed",
        {
            "closed_on": facts.window_closes_on,
            "days": facts.policy.appeal_window_working_days,
            "decided_on": facts.decided_on,
        },
    )


def _decision_stands(facts: LodgingFacts) -> Problem | None:
    return facts.subject_state_ok


SUBJECT_APPEALABLE = Guard[LodgingFacts]("subject_appealable", "Charter art. 11", _subject_appealable)
GROUNDS_STATED = Guard[LodgingFacts]("grounds_stated", "Charter art. 11; grounds are policy", _grounds_stated)
WITHIN_APPEAL_WINDOW = Guard[LodgingFacts]("within_appeal_window", "policy appeal_window_working_days", _within_window)
DECISION_STANDS = Guard[LodgingFacts]("decision_appealed_stands", "Charter art. 11", _decision_stands)
LODGING_RULES = (SUBJECT_APPEALABLE, GROUNDS_STATED, DECISION_STANDS, WITHIN_APPEAL_WINDOW)
