"""The application workflow: stages, actions, the table of allowed moves and its one shared Machine.

The table `MOVES` is the single definition of the workflow; `WORKFLOW` runs it on the one engine
(`states/engine.py`), which derives the shared transitions `Machine`, the Mermaid diagram and the list
of allowed actions from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from . import engine
from . import guards as g
from .authority import Actor
from .errors import Problem
from .guards import CaseFacts, Guard
from .levels import Route


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
    INTERVIEW_PANEL = "interview_panel"
    COMMITTEE = "committee"
    SECRETARIAT = "secretariat"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"
    SYSTEM = "system"


Move = engine.Move[Stage, Action]
"""One allowed move of a case (the engine's move type)."""


def _move(
    action: Action,
    source: Stage,
    dest: Stage,
    by: Party,
    guards: tuple[Guard, ...] = (),
    routes: frozenset[Route] = frozenset(Route),
) -> Move:
    return engine.Move(action, source, dest, by, guards, frozenset(routes))


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


def _round(action: Action, reason: bool = True) -> tuple[Guard, ...]:
    """The guards of a material review decision: a complete review round decides it (and gives its reason)."""
    return (g.decided_by_review_round(action), *((g.REASON_GIVEN,) if reason else ()))


def _assessed(action: Action, reason: bool = True) -> tuple[Guard, ...]:
    """The guards of a further assessment result: the decided interview of the case decides it."""
    return (g.decided_by_assessment(action), *((g.REASON_GIVEN,) if reason else ()))


def _resolved(action: Action, reason: bool = True) -> tuple[Guard, ...]:
    """The guards of a committee decision: a valid resolution of the review committee naming the case."""
    return (g.decided_by_resolution(action), *((g.REASON_GIVEN,) if reason else ()))


MOVES: tuple[Move, ...] = (
    _move(
        A.SUBMIT,
        S.DRAFT,
        S.SUBMITTED,
        P.APPLICANT,
        (*g.SUBMISSION_GUARDS, g.ONE_OPEN_APPLICATION, g.IN_OPEN_BATCH, g.IN_LATER_BATCH),
    ),
    _move(A.RETURN_FOR_REVISION, S.SUBMITTED, S.RETURNED, P.WORKGROUP, (g.REASON_GIVEN,)),
    _move(
        A.RESUBMIT,
        S.RETURNED,
        S.SUBMITTED,
        P.APPLICANT,
        (g.WITHIN_RESUBMISSION_WINDOW, *g.SUBMISSION_GUARDS, g.ONE_OPEN_APPLICATION),
    ),
    _move(A.LAPSE, S.RETURNED, S.LAPSED, P.SYSTEM, (g.RESUBMISSION_WINDOW_CLOSED,)),
    _move(A.ACCEPT_FOR_REVIEW, S.SUBMITTED, S.MATERIAL_REVIEW, P.WORKGROUP, g.ACCEPTANCE_GUARDS),
    _move(A.REQUEST_SUPPLEMENT, S.MATERIAL_REVIEW, S.SUPPLEMENT_REQUESTED, P.EXAMINERS, _round(A.REQUEST_SUPPLEMENT)),
    _move(
        A.PROVIDE_SUPPLEMENT,
        S.SUPPLEMENT_REQUESTED,
        S.MATERIAL_REVIEW,
        P.APPLICANT,
        (g.WITHIN_SUPPLEMENT_WINDOW, g.SUPPLEMENT_PROVIDED),
    ),
    _move(A.LAPSE, S.SUPPLEMENT_REQUESTED, S.LAPSED, P.SYSTEM, (g.SUPPLEMENT_WINDOW_CLOSED,)),
    _move(
        A.PASS_MATERIAL_REVIEW,
        S.MATERIAL_REVIEW,
        S.COMMITTEE_REVIEW,
        P.EXAMINERS,
        _round(A.PASS_MATERIAL_REVIEW, False),
    ),
    _move(
        A.REFER_TO_FURTHER_ASSESSMENT,
        S.MATERIAL_REVIEW,
        S.FURTHER_ASSESSMENT,
        P.EXAMINERS,
        _round(A.REFER_TO_FURTHER_ASSESSMENT),
    ),
    _move(A.FAIL_MATERIAL_REVIEW, S.MATERIAL_REVIEW, S.REJECTED, P.EXAMINERS, _round(A.FAIL_MATERIAL_REVIEW)),
    _move(
        A.PASS_ASSESSMENT,
        S.FURTHER_ASSESSMENT,
        S.COMMITTEE_REVIEW,
        P.INTERVIEW_PANEL,
        _assessed(A.PASS_ASSESSMENT, False),
    ),
    _move(A.FAIL_ASSESSMENT, S.FURTHER_ASSESSMENT, S.REJECTED, P.INTERVIEW_PANEL, _assessed(A.FAIL_ASSESSMENT)),
    _move(
        A.APPROVE,
        S.COMMITTEE_REVIEW,
        S.APPROVED,
        P.COMMITTEE,
        (*_resolved(A.APPROVE, False), *g.APPROVAL_GUARDS),
        _NOT_INTERNATIONAL,
    ),
    _move(
        A.APPROVE,
        S.COMMITTEE_REVIEW,
        S.SECRETARIAT_CONFIRMATION,
        P.COMMITTEE,
        (*_resolved(A.APPROVE, False), *g.APPROVAL_GUARDS),
        _INTERNATIONAL,
    ),
    _move(A.REFER_BACK, S.COMMITTEE_REVIEW, S.MATERIAL_REVIEW, P.COMMITTEE, _resolved(A.REFER_BACK)),
    _move(A.REJECT, S.COMMITTEE_REVIEW, S.REJECTED, P.COMMITTEE, _resolved(A.REJECT)),
    _move(
        A.CONFIRM_TITLE,
        S.SECRETARIAT_CONFIRMATION,
        S.APPROVED,
        P.SECRETARIAT,
        g.APPROVAL_GUARDS,
        _INTERNATIONAL,
    ),
    _move(A.DECLINE_TITLE, S.SECRETARIAT_CONFIRMATION, S.REJECTED, P.SECRETARIAT, (g.REASON_GIVEN,), _INTERNATIONAL),
    _move(A.REGISTER, S.APPROVED, S.REGISTERED, P.WORKGROUP, g.REGISTRATION_GUARDS),
    *(_move(A.WITHDRAW, stage, S.WITHDRAWN, P.APPLICANT) for stage in _WITHDRAWABLE),
    *(
        _move(action, S.REJECTED, dest, P.IMPARTIALITY_COMMITTEE, (g.APPEAL_UPHELD, g.REASON_GIVEN))
        for action, dest in _REOPEN_TARGETS
    ),
    *(
        _move(A.DISQUALIFY, stage, S.DISQUALIFIED, P.WORKGROUP, (g.REASON_GIVEN,))
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
OPEN_STAGES = frozenset(Stage) - CLOSED_STAGES
"""Stages of a case not yet closed (drafts included): disqualifying the person closes them (Q&A Q14)."""
UNDER_WAY_STAGES = OPEN_STAGES - {Stage.DRAFT}
"""Stages of an application under way, from submission to registration: the parallel-application rule
counts these (`PipelinePolicy.parallel_applications`)."""

WAITING_ON: dict[Stage, Party] = {
    Stage.DRAFT: Party.APPLICANT,
    Stage.SUBMITTED: Party.WORKGROUP,
    Stage.RETURNED: Party.APPLICANT,
    Stage.MATERIAL_REVIEW: Party.EXAMINERS,
    Stage.SUPPLEMENT_REQUESTED: Party.APPLICANT,
    Stage.FURTHER_ASSESSMENT: Party.INTERVIEW_PANEL,
    Stage.COMMITTEE_REVIEW: Party.COMMITTEE,
    Stage.SECRETARIAT_CONFIRMATION: Party.SECRETARIAT,
    Stage.APPROVED: Party.WORKGROUP,
}


WORKFLOW: engine.Workflow[Stage, Action] = engine.Workflow(
    "application",
    Stage,
    INITIAL_STAGE,
    MOVES,
    closed=CLOSED_STAGES,
    route_of=lambda facts: facts.route,
    routes=frozenset(Route),
    summarized=(Action.DISQUALIFY, "disqualify (fraud, lifetime ban) is allowed from every other stage"),
)
MACHINE = WORKFLOW.machine
"""The one shared transitions Machine of the application workflow."""


PARTY_OF: dict[Action, Party] = {move.action: Party(move.by) for move in MOVES}
"""The party that takes each action (every move of one action has the same party; a test holds it)."""


def moves_from(stage: Stage, route: Route | None = None) -> Iterator[Move]:
    """The moves leaving `stage`, for one route or for any."""
    return WORKFLOW.moves_from(stage, route)


def allowed_actions(stage: Stage, route: Route | None = None) -> list[Action]:
    """The actions the table allows from `stage` (guards not yet consulted), in table order."""
    return WORKFLOW.allowed_actions(stage, route)


def refusals(move: Move, facts: CaseFacts) -> list[tuple[Guard, Problem]]:
    """Every guard of `move` that refuses, with its coded reason."""
    return WORKFLOW.refusals(move, facts)


def select_move(stage: Stage, action: Action, facts: CaseFacts, actor: Actor | None = None) -> Move:
    """The move `action` takes from `stage` for this case and actor, or the error that says why it cannot."""
    return WORKFLOW.select(stage, action, facts, actor)


def advance(stage: Stage, action: Action, facts: CaseFacts, actor: Actor | None = None) -> Move:
    """Take `action` on a case in `stage` through the shared Machine; return the move made.

    Raises IllegalTransition (with the allowed actions), NotPermitted (the actor does not hold the
    move's party) or GuardRefused (with the reasons); in each case nothing has changed.
    """
    return WORKFLOW.advance(stage, action, facts, actor)
