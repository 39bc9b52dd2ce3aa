"""Written feedback and complaints to the standards and quality supervision committee (Q&A Q40).

Anyone (a member, a society, an organization, a person) writes; the committee registers it, assigns
investigators who had no part in the matter, records findings and a decision, and answers the sender.
"""

from __future__ import annotations

from enum import StrEnum

from . import governance as gv
from .engine import Move, Workflow


class FeedbackStage(StrEnum):
    RECEIVED = "received"
    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    DECIDED = "decided"
    ANSWERED = "answered"


class FeedbackAction(StrEnum):
    REGISTER = "register"
    ASSIGN_INVESTIGATORS = "assign_investigators"
    RECORD_FINDINGS = "record_findings"
    ANSWER = "answer"


class SenderKind(StrEnum):
    MEMBER = "member"
    SOCIETY = "society"
    ORGANIZATION = "organization"
    PERSON = "person"


S, A = FeedbackStage, FeedbackAction
COMMITTEE, INVESTIGATORS = gv.Party.SUPERVISION_COMMITTEE, gv.Party.INVESTIGATORS

STEPS = (
    Move(A.REGISTER, S.RECEIVED, S.REGISTERED, COMMITTEE),
    Move(A.ASSIGN_INVESTIGATORS, S.REGISTERED, S.INVESTIGATING, COMMITTEE, (gv.APPOINTEES_NAMED, gv.IMPARTIAL)),
    Move(A.RECORD_FINDINGS, S.INVESTIGATING, S.DECIDED, INVESTIGATORS, (gv.REASON_GIVEN,)),
    Move(A.ANSWER, S.DECIDED, S.ANSWERED, COMMITTEE, (gv.REASON_GIVEN,)),
)
CLOSED_STAGES = frozenset({FeedbackStage.ANSWERED})
WORKFLOW = Workflow("feedback", FeedbackStage, FeedbackStage.RECEIVED, STEPS, closed=CLOSED_STAGES)
STEP_DUE: dict[FeedbackStage, str] = {
    S.RECEIVED: "feedback_register_working_days",
    S.REGISTERED: "feedback_assign_working_days",
    S.INVESTIGATING: "feedback_investigate_working_days",
    S.DECIDED: "feedback_answer_working_days",
}
"""The policy rule giving each open stage's time limit; the step's clock starts when the stage is entered."""
