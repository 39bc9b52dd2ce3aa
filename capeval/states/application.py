"""The application workflow: stages, actions, the table of allowed moves and its one shared Machine.

The table `MOVES` is the single definition of the workflow; the transitions `Machine`, the Mermaid
diagram, the list of allowed actions and the tests are all derived from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from transitions import EventData, Machine

from . import guards as g
from .errors import GuardRefused, IllegalTransition, Problem
from .guards import CaseFacts, Guard
from .levels import Route
from .machines import fire


class Stage(StrEnum):
    """Where a case stands (DOMAIN.md, "The evaluation pipeline")."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"
    MATERIAL_REVIEW = "material_review"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    FURTHER_ASSESSMENT = "further_assessment"
    COMMITTEE_REVIEW = "committee_review"
    SECRETARIAT_CONFIRMATION = "secretariat_confirmation"
    APPROVED = "approved"
    REGISTERED = "registered"
    REJECTED = "rejected"
    DISQUALIFIED = "disqualified"


class Action(StrEnum):
    """What a person (or a sweep) can do to a case."""

    SUBMIT = "submit"
    RETURN_FOR_REVISION = "return_for_revision"
    RESUBMIT = "resubmit"
    LAPSE = "lapse"
    WITHDRAW = "withdraw"
    ACCEPT_FOR_REVIEW = "accept_for_review"
    REQUEST_SUPPLEMENT = "request_supplement"
    PROVIDE_SUPPLEMENT = "provide_supplement"
    PASS_MATERIAL_REVIEW = "pass_material_review"
    REFER_TO_FURTHER_ASSESSMENT = "refer_to_further_assessment"
    FAIL_MATERIAL_REVIEW = "fail_material_review"
    PASS_ASSESSMENT = "pass_assessment"
    FAIL_ASSESSMENT = "fail_assessment"
    APPROVE = "approve"
    REFER_BACK = "refer_back"
    REJECT = "reject"
    CONFIRM_TITLE = "confirm_title"
    DECLINE_TITLE = "decline_title"
    REGISTER = "register"
    DISQUALIFY = "disqualify"
    REOPEN_TO_MATERIAL_REVIEW = "reopen_to_material_review"
    REOPEN_TO_FURTHER_ASSESSMENT = "reopen_to_further_assessment"
    REOPEN_TO_COMMITTEE_REVIEW = "reopen_to_committee_review"


class Party(StrEnum):
    """Who is expected to take an action, and so whom a case in a stage waits on."""

    APPLICANT = "applicant"
    WORKGROUP = "workgroup"
    EXAMINERS = "examiners"
    COMMITTEE = "committee"
    SECRETARIAT = "secretariat"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"
    SYSTEM = "system"


@dataclass(frozen=True)
class Move:
    """One allowed move: `action` from `source` to `dest`, taken by `by`, if every guard agrees."""

    action: Action
    source: Stage
    dest: Stage
    by: Party
    guards: tuple[Guard, ...] = ()
    routes: frozenset[Route] = frozenset(Route)

    def applies_to(self, route: Route) -> bool:
        return route in self.routes


S, A, P = Stage, Action, Party
_NOT_INTERNATIONAL = frozenset({Route.STANDARD, Route.UPGRADE})
_INTERNATIONAL = frozenset({Route.INTERNATIONAL})
_WITHDRAWABLE = (
    S.DRAFT,
    S.SUBMITTED,
    S.RETURNED,
    S.MATERIAL_REVIEW,
    S.SUPPLEMENT_REQUESTED,
    S.FURTHER_ASSESSMENT,
    S.COMMITTEE_REVIEW,
    S.SECRETARIAT_CONFIRMATION,
)
_REOPEN_TARGETS = (
    (A.REOPEN_TO_MATERIAL_REVIEW, S.MATERIAL_REVIEW),
    (A.REOPEN_TO_FURTHER_ASSESSMENT, S.FURTHER_ASSESSMENT),
    (A.REOPEN_TO_COMMITTEE_REVIEW, S.COMMITTEE_REVIEW),
)
"""An upheld appeal reopens a rejected case at a stated stage (Charter art. 11)."""

MOVES: tuple[Move, ...] = (
    Move(A.SUBMIT, S.DRAFT, S.SUBMITTED, P.APPLICANT, g.SUBMISSION_GUARDS),
    Move(A.RETURN_FOR_REVISION, S.SUBMITTED, S.RETURNED, P.WORKGROUP, (g.REASON_GIVEN,)),
    Move(A.RESUBMIT, S.RETURNED, S.SUBMITTED, P.APPLICANT, (g.WITHIN_RESUBMISSION_WINDOW, *g.SUBMISSION_GUARDS)),
    Move(A.LAPSE, S.RETURNED, S.LAPSED, P.SYSTEM, (g.RESUBMISSION_WINDOW_CLOSED,)),
    Move(A.ACCEPT_FOR_REVIEW, S.SUBMITTED, S.MATERIAL_REVIEW, P.WORKGROUP, (g.NOT_BANNED,)),
    Move(A.REQUEST_SUPPLEMENT, S.MATERIAL_REVIEW, S.SUPPLEMENT_REQUESTED, P.EXAMINERS, (g.REASON_GIVEN,)),
    Move(
        A.PROVIDE_SUPPLEMENT,
        S.SUPPLEMENT_REQUESTED,
        S.MATERIAL_REVIEW,
        P.APPLICANT,
        (g.WITHIN_SUPPLEMENT_WINDOW, g.SUPPLEMENT_PROVIDED),
    ),
    Move(A.LAPSE, S.SUPPLEMENT_REQUESTED, S.LAPSED, P.SYSTEM, (g.SUPPLEMENT_WINDOW_CLOSED,)),
    Move(A.PASS_MATERIAL_REVIEW, S.MATERIAL_REVIEW, S.COMMITTEE_REVIEW, P.EXAMINERS),
    Move(A.REFER_TO_FURTHER_ASSESSMENT, S.MATERIAL_REVIEW, S.FURTHER_ASSESSMENT, P.EXAMINERS, (g.REASON_GIVEN,)),
    Move(A.FAIL_MATERIAL_REVIEW, S.MATERIAL_REVIEW, S.REJECTED, P.EXAMINERS, (g.REASON_GIVEN,)),
    Move(A.PASS_ASSESSMENT, S.FURTHER_ASSESSMENT, S.COMMITTEE_REVIEW, P.EXAMINERS),
    Move(A.FAIL_ASSESSMENT, S.FURTHER_ASSESSMENT, S.REJECTED, P.EXAMINERS, (g.REASON_GIVEN,)),
    Move(A.APPROVE, S.COMMITTEE_REVIEW, S.APPROVED, P.COMMITTEE, routes=_NOT_INTERNATIONAL),
    Move(A.APPROVE, S.COMMITTEE_REVIEW, S.SECRETARIAT_CONFIRMATION, P.COMMITTEE, routes=_INTERNATIONAL),
    Move(A.REFER_BACK, S.COMMITTEE_REVIEW, S.MATERIAL_REVIEW, P.COMMITTEE, (g.REASON_GIVEN,)),
    Move(A.REJECT, S.COMMITTEE_REVIEW, S.REJECTED, P.COMMITTEE, (g.REASON_GIVEN,)),
    Move(
        A.CONFIRM_TITLE,
        S.SECRETARIAT_CONFIRMATION,
        S.APPROVED,
        P.SECRETARIAT,
        (g.INTERNATIONAL_TITLE_VALID,),
        _INTERNATIONAL,
    ),
    Move(A.DECLINE_TITLE, S.SECRETARIAT_CONFIRMATION, S.REJECTED, P.SECRETARIAT, (g.REASON_GIVEN,), _INTERNATIONAL),
    Move(A.REGISTER, S.APPROVED, S.REGISTERED, P.WORKGROUP),
    *(Move(A.WITHDRAW, stage, S.WITHDRAWN, P.APPLICANT) for stage in _WITHDRAWABLE),
    *(
        Move(action, S.REJECTED, dest, P.IMPARTIALITY_COMMITTEE, (g.APPEAL_UPHELD, g.REASON_GIVEN))
        for action, dest in _REOPEN_TARGETS
    ),
    *(
        Move(A.DISQUALIFY, stage, S.DISQUALIFIED, P.WORKGROUP, (g.REASON_GIVEN,))
        for stage in S
        if stage is not S.DISQUALIFIED
    ),
)

INITIAL_STAGE = Stage.DRAFT
TERMINAL_STAGES = frozenset({Stage.DISQUALIFIED})
CLOSED_STAGES = frozenset({Stage.LAPSED, Stage.WITHDRAWN, Stage.REJECTED, Stage.REGISTERED, Stage.DISQUALIFIED})
"""Closed stages take no action but `disqualify` (fraud found at any time, Q&A Q14); disqualified is final.
The one exception: a rejected case is reopened by the impartiality committee when an appeal is upheld."""
REOPEN_ACTIONS: dict[Stage, Action] = {dest: action for action, dest in _REOPEN_TARGETS}
"""The action that reopens a rejected case at each stage an upheld appeal may name."""

WAITING_ON: dict[Stage, Party] = {
    Stage.DRAFT: Party.APPLICANT,
    Stage.SUBMITTED: Party.WORKGROUP,
    Stage.RETURNED: Party.APPLICANT,
    Stage.MATERIAL_REVIEW: Party.EXAMINERS,
    Stage.SUPPLEMENT_REQUESTED: Party.APPLICANT,
    Stage.FURTHER_ASSESSMENT: Party.EXAMINERS,
    Stage.COMMITTEE_REVIEW: Party.COMMITTEE,
    Stage.SECRETARIAT_CONFIRMATION: Party.SECRETARIAT,
    Stage.APPROVED: Party.WORKGROUP,
}


def moves_from(stage: Stage, route: Route | None = None) -> Iterator[Move]:
    """The moves leaving `stage`, for one route or for any."""
    for move in MOVES:
        if move.source is stage and (route is None or move.applies_to(route)):
            yield move


def allowed_actions(stage: Stage, route: Route | None = None) -> list[Action]:
    """The actions the table allows from `stage` (guards not yet consulted), in table order."""
    seen: dict[Action, None] = {}
    for move in moves_from(stage, route):
        seen.setdefault(move.action)
    return list(seen)


def refusals(move: Move, facts: CaseFacts) -> list[tuple[Guard, Problem | str]]:
    """Every guard of `move` that refuses, with its reason."""
    found = []
    for guard in move.guards:
        reason = guard.refusal(facts)
        if reason is not None:
            found.append((guard, reason))
    return found


class ApplicationWorkflow:
    """A plain object the shared Machine drives; it carries the case's facts for the guards."""

    state: str

    def __init__(self, facts: CaseFacts) -> None:
        self.facts = facts

    @property
    def stage(self) -> Stage:
        return Stage(self.state)


def _machine_condition(move: Move):  # type: ignore[no-untyped-def]
    def condition(event: EventData) -> bool:
        facts: CaseFacts = event.model.facts
        return move.applies_to(facts.route) and not refusals(move, facts)

    condition.__name__ = f"guards_of_{move.action.value}_from_{move.source.value}"
    return condition


MACHINE = Machine(
    model=None,
    states=[stage.value for stage in Stage],
    transitions=[
        {
            "trigger": move.action.value,
            "source": move.source.value,
            "dest": move.dest.value,
            "conditions": [_machine_condition(move)],
        }
        for move in MOVES
    ],
    initial=INITIAL_STAGE.value,
    auto_transitions=False,
    send_event=True,
)


def select_move(stage: Stage, action: Action, facts: CaseFacts) -> Move:
    """The move `action` takes from `stage` for this case, or the error that says why it cannot."""
    candidates = [move for move in moves_from(stage, facts.route) if move.action is action]
    if not candidates:
        raise IllegalTransition(stage.value, action.value, [a.value for a in allowed_actions(stage, facts.route)])
    move = candidates[0]
    refused = refusals(move, facts)
    if refused:
        raise GuardRefused([(guard.name, reason) for guard, reason in refused])
    return move


def advance(stage: Stage, action: Action, facts: CaseFacts) -> Move:
    """Take `action` on a case in `stage` through the shared Machine; return the move made.

    Raises IllegalTransition (with the allowed actions) or GuardRefused (with the reasons); in either
    case nothing has changed.
    """
    move = select_move(stage, action, facts)
    fire(MACHINE, ApplicationWorkflow(facts), stage.value, action.value, move.dest.value)
    return move
