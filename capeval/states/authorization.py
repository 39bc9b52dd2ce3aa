"""A member society's authorization to run evaluations in a field (Charter art. 13, 16-17, 20).

The secretariat does a first review, the review committee reviews (art. 9, 16), the presidium approves
(art. 16); committee and presidium steps cite a valid resolution (art. 28, 31). An authorization can be
withdrawn with reasons by the presidium (the sources name only the removal of a member, art. 20).
"""

from __future__ import annotations

from enum import StrEnum

from . import governance as gv
from .engine import Move, Workflow


class AuthorizationStage(StrEnum):
    FIRST_REVIEW = "first_review"
    COMMITTEE_REVIEW = "committee_review"
    PRESIDIUM_REVIEW = "presidium_review"
    AUTHORIZED = "authorized"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class AuthorizationAction(StrEnum):
    PASS_FIRST_REVIEW = "pass_first_review"
    PASS_COMMITTEE_REVIEW = "pass_committee_review"
    APPROVE = "approve"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"


S, A = AuthorizationStage, AuthorizationAction
SECRETARIAT, COMMITTEE, PRESIDIUM = gv.Party.SECRETARIAT, gv.Party.REVIEW_COMMITTEE, gv.Party.PRESIDIUM
_DECIDED = (gv.REASON_GIVEN, gv.RESOLUTION_VALID)

STEPS = (
    Move(A.PASS_FIRST_REVIEW, S.FIRST_REVIEW, S.COMMITTEE_REVIEW, SECRETARIAT),
    Move(A.REFUSE, S.FIRST_REVIEW, S.REFUSED, SECRETARIAT, (gv.REASON_GIVEN,)),
    Move(A.PASS_COMMITTEE_REVIEW, S.COMMITTEE_REVIEW, S.PRESIDIUM_REVIEW, COMMITTEE, (gv.RESOLUTION_VALID,)),
    Move(A.REFUSE, S.COMMITTEE_REVIEW, S.REFUSED, COMMITTEE, _DECIDED),
    Move(A.APPROVE, S.PRESIDIUM_REVIEW, S.AUTHORIZED, PRESIDIUM, (gv.RESOLUTION_VALID,)),
    Move(A.REFUSE, S.PRESIDIUM_REVIEW, S.REFUSED, PRESIDIUM, _DECIDED),
    Move(A.WITHDRAW, S.AUTHORIZED, S.WITHDRAWN, PRESIDIUM, _DECIDED),
)
CLOSED_STAGES = frozenset({S.REFUSED, S.WITHDRAWN})
WORKFLOW = Workflow("authorization", AuthorizationStage, AuthorizationStage.FIRST_REVIEW, STEPS, closed=CLOSED_STAGES)
DECIDING_BODY: dict[AuthorizationStage, gv.Body] = {
    S.COMMITTEE_REVIEW: gv.Body.REVIEW_COMMITTEE,
    S.PRESIDIUM_REVIEW: gv.Body.PRESIDIUM,
    S.AUTHORIZED: gv.Body.PRESIDIUM,
}
"""Whose resolution a step from this stage must cite."""
STEP_DUE: dict[AuthorizationStage, str] = {
    S.FIRST_REVIEW: "authorization_first_review_working_days",
    S.COMMITTEE_REVIEW: "authorization_committee_working_days",
    S.PRESIDIUM_REVIEW: "authorization_presidium_working_days",
}
