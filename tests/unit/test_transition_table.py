"""The whole application transition table, checked against a table written out by hand.

The expected table below is NOT derived from `MOVES`: it is the pipeline of DOMAIN.md transcribed by
hand, so a move added to, dropped from or re-pointed in `MOVES` makes a test here fail.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from capeval.states.application import (
    CLOSED_STAGES,
    MACHINE,
    MOVES,
    Action,
    Stage,
    advance,
)
from capeval.states.certificates import Status
from capeval.states.errors import GuardRefused, IllegalTransition
from capeval.states.evidence import Grounds
from capeval.states.guards import ApplicationFacts, HeldCertificate, OpenApplication
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy
from capeval.states.statement import StatementMeasure

S, A = Stage, Action
TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)
EVIDENCED = {
    A.REQUEST_SUPPLEMENT,
    A.PASS_MATERIAL_REVIEW,
    A.REFER_TO_FURTHER_ASSESSMENT,
    A.FAIL_MATERIAL_REVIEW,
    A.PASS_ASSESSMENT,
    A.FAIL_ASSESSMENT,
    A.APPROVE,
    A.REFER_BACK,
    A.REJECT,
}
"""Decisions a record makes (a review round, an interview, a committee resolution), by hand."""
EVERY_DECISION = Grounds("the record cited", frozenset(action.value for action in EVIDENCED))

# ---------------------------------------------------------------------------------------------------
# The expected table, by hand.
# ---------------------------------------------------------------------------------------------------
_COMMON: dict[tuple[Stage, Action], Stage] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.RETURN_FOR_REVISION): S.RETURNED,
    (S.SUBMITTED, A.ACCEPT_FOR_REVIEW): S.MATERIAL_REVIEW,
    (S.RETURNED, A.RESUBMIT): S.SUBMITTED,
    (S.RETURNED, A.LAPSE): S.LAPSED,
    (S.MATERIAL_REVIEW, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.MATERIAL_REVIEW, A.PASS_MATERIAL_REVIEW): S.COMMITTEE_REVIEW,
    (S.MATERIAL_REVIEW, A.REFER_TO_FURTHER_ASSESSMENT): S.FURTHER_ASSESSMENT,
    (S.MATERIAL_REVIEW, A.FAIL_MATERIAL_REVIEW): S.REJECTED,
    (S.SUPPLEMENT_REQUESTED, A.PROVIDE_SUPPLEMENT): S.MATERIAL_REVIEW,
    (S.SUPPLEMENT_REQUESTED, A.LAPSE): S.LAPSED,
    (S.FURTHER_ASSESSMENT, A.PASS_ASSESSMENT): S.COMMITTEE_REVIEW,
    (S.FURTHER_ASSESSMENT, A.FAIL_ASSESSMENT): S.REJECTED,
    (S.COMMITTEE_REVIEW, A.REFER_BACK): S.MATERIAL_REVIEW,
    (S.COMMITTEE_REVIEW, A.REJECT): S.REJECTED,
    (S.APPROVED, A.REGISTER): S.REGISTERED,
    # the applicant may withdraw while the case is open
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.RETURNED, A.WITHDRAW): S.WITHDRAWN,
    (S.MATERIAL_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.SUPPLEMENT_REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    (S.FURTHER_ASSESSMENT, A.WITHDRAW): S.WITHDRAWN,
    (S.COMMITTEE_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.SECRETARIAT_CONFIRMATION, A.WITHDRAW): S.WITHDRAWN,
    # fraud found at any time (Q&A Q14), also after the case closed
    (S.DRAFT, A.DISQUALIFY): S.DISQUALIFIED,
    (S.SUBMITTED, A.DISQUALIFY): S.DISQUALIFIED,
    (S.RETURNED, A.DISQUALIFY): S.DISQUALIFIED,
    (S.LAPSED, A.DISQUALIFY): S.DISQUALIFIED,
    (S.WITHDRAWN, A.DISQUALIFY): S.DISQUALIFIED,
    (S.MATERIAL_REVIEW, A.DISQUALIFY): S.DISQUALIFIED,
    (S.SUPPLEMENT_REQUESTED, A.DISQUALIFY): S.DISQUALIFIED,
    (S.FURTHER_ASSESSMENT, A.DISQUALIFY): S.DISQUALIFIED,
    (S.COMMITTEE_REVIEW, A.DISQUALIFY): S.DISQUALIFIED,
    (S.SECRETARIAT_CONFIRMATION, A.DISQUALIFY): S.DISQUALIFIED,
    (S.APPROVED, A.DISQUALIFY): S.DISQUALIFIED,
    (S.REGISTERED, A.DISQUALIFY): S.DISQUALIFIED,
    (S.REJECTED, A.DISQUALIFY): S.DISQUALIFIED,
    # an appeal the impartiality committee upheld reopens a rejected case at a stated stage (Charter art. 11)
    (S.REJECTED, A.REOPEN_TO_MATERIAL_REVIEW): S.MATERIAL_REVIEW,
    (S.REJECTED, A.REOPEN_TO_FURTHER_ASSESSMENT): S.FURTHER_ASSESSMENT,
    (S.REJECTED, A.REOPEN_TO_COMMITTEE_REVIEW): S.COMMITTEE_REVIEW,
}
REOPENING = {A.REOPEN_TO_MATERIAL_REVIEW, A.REOPEN_TO_FURTHER_ASSESSMENT, A.REOPEN_TO_COMMITTEE_REVIEW}
_DOMESTIC_TABLE = {
    **_COMMON,
    (S.COMMITTEE_REVIEW, A.APPROVE): S.APPROVED,
}
_INTERNATIONAL_TABLE = {
    **_COMMON,
    (S.COMMITTEE_REVIEW, A.APPROVE): S.SECRETARIAT_CONFIRMATION,
    (S.SECRETARIAT_CONFIRMATION, A.CONFIRM_TITLE): S.APPROVED,
    (S.SECRETARIAT_CONFIRMATION, A.DECLINE_TITLE): S.REJECTED,
}
EXPECTED: dict[Route, dict[tuple[Stage, Action], Stage]] = {
    Route.STANDARD: _DOMESTIC_TABLE,
    Route.UPGRADE: _DOMESTIC_TABLE,
    Route.INTERNATIONAL: _INTERNATIONAL_TABLE,
}


def expected_actions(stage: Stage, route: Route) -> set[Action]:
    return {action for (source, action) in EXPECTED[route] if source is stage}


# ---------------------------------------------------------------------------------------------------
# Facts factories
# ---------------------------------------------------------------------------------------------------
def facts(route: Route = Route.STANDARD, **overrides: Any) -> ApplicationFacts:
    """Facts satisfying every guard of a standard professional application (or of `route`)."""
    values: dict[str, Any] = dict(
        route=Route.STANDARD,
        level=Level.PROFESSIONAL,
        field_code="civil",
        society_code="CCES",
        today=TODAY,
        self_statement=StatementMeasure(3000, 3000),
        evidence_kinds=frozenset({"id_card_front", "id_card_back", "education"}),
        commitment_signed=True,
        applicant_is_member=True,
        society_authorized_for_field=True,
        resubmission_due=TODAY,
        supplement_due=TODAY,
        supplements_since_request=1,
        reason="the material does not cover teamwork",
        appeal_upheld=True,
        decision_grounds=EVERY_DECISION,
    )
    if route is Route.UPGRADE:
        values.update(route=Route.UPGRADE, active_certificate_level=Level.APPRENTICE)
    elif route is Route.INTERNATIONAL:
        values.update(
            route=Route.INTERNATIONAL,
            international_title="APEC Engineer",
            evidence_kinds=frozenset({"id_card_front", "id_card_back", "education", "title_proof"}),
        )
    values.update(overrides)
    return ApplicationFacts(**values)


def facts_for(action: Action, route: Route) -> ApplicationFacts:
    """Facts that satisfy the guards of `action`: a lapse needs the windows closed, the rest open."""
    if action is Action.LAPSE:
        return facts(route, resubmission_due=YESTERDAY, supplement_due=YESTERDAY)
    return facts(route)


ALL_PAIRS = [(stage, action, route) for route in Route for stage in Stage for action in Action]


@pytest.mark.parametrize(("stage", "action", "route"), ALL_PAIRS, ids=[f"{r}-{s}-{a}" for s, a, r in ALL_PAIRS])
def test_every_stage_action_and_route_lands_where_the_table_says_or_lists_the_allowed_actions(
    stage: Stage, action: Action, route: Route
) -> None:
    destination = EXPECTED[route].get((stage, action))
    machine_models_before = len(MACHINE.models)
    if destination is None:
        with pytest.raises(IllegalTransition) as refused:
            advance(stage, action, facts_for(action, route))
        assert refused.value.stage == stage.value
        assert refused.value.action == action.value
        assert len(refused.value.allowed) == len(set(refused.value.allowed))
        assert set(refused.value.allowed) == {a.value for a in expected_actions(stage, route)}
    else:
        move = advance(stage, action, facts_for(action, route))
        assert (move.source, move.action, move.dest) == (stage, action, destination)
    assert len(MACHINE.models) == machine_models_before


def test_the_expected_table_covers_every_move_in_moves() -> None:
    for move in MOVES:
        for route in move.routes:
            assert EXPECTED[route][(move.source, move.action)] is move.dest, move


# ---------------------------------------------------------------------------------------------------
# Reachability
# ---------------------------------------------------------------------------------------------------
def reachable(start: Stage, route: Route) -> set[Stage]:
    seen, queue = {start}, deque([start])
    while queue:
        stage = queue.popleft()
        for (source, _), dest in EXPECTED[route].items():
            if source is stage and dest not in seen:
                seen.add(dest)
                queue.append(dest)
    return seen


def test_every_stage_is_reachable_from_draft_on_the_international_route() -> None:
    assert reachable(S.DRAFT, Route.INTERNATIONAL) == set(Stage)


@pytest.mark.parametrize("route", [Route.STANDARD, Route.UPGRADE])
def test_every_stage_but_secretariat_confirmation_is_reachable_on_domestic_routes(route: Route) -> None:
    assert reachable(S.DRAFT, route) == set(Stage) - {S.SECRETARIAT_CONFIRMATION}


@pytest.mark.parametrize("route", list(Route))
def test_every_open_stage_can_reach_a_closed_stage(route: Route) -> None:
    for stage in set(Stage) - CLOSED_STAGES:
        assert reachable(stage, route) & CLOSED_STAGES, stage


def test_the_closed_stages_are_lapsed_withdrawn_rejected_registered_and_disqualified() -> None:
    assert {S.LAPSED, S.WITHDRAWN, S.REJECTED, S.REGISTERED, S.DISQUALIFIED} == CLOSED_STAGES


@pytest.mark.parametrize("route", list(Route))
def test_disqualified_has_no_way_out(route: Route) -> None:
    for action in Action:
        with pytest.raises(IllegalTransition) as refused:
            advance(S.DISQUALIFIED, action, facts_for(action, route))
        assert refused.value.allowed == ()
    assert reachable(S.DISQUALIFIED, route) == {S.DISQUALIFIED}


@pytest.mark.parametrize("route", list(Route))
@pytest.mark.parametrize("stage", sorted(CLOSED_STAGES - {S.DISQUALIFIED, S.REJECTED}))
def test_a_closed_stage_allows_only_disqualify(stage: Stage, route: Route) -> None:
    for action in Action:
        if action is A.DISQUALIFY:
            assert advance(stage, action, facts(route)).dest is S.DISQUALIFIED
        else:
            with pytest.raises(IllegalTransition) as refused:
                advance(stage, action, facts_for(action, route))
            assert refused.value.allowed == (A.DISQUALIFY.value,)


@pytest.mark.parametrize("route", list(Route))
def test_a_rejected_case_allows_only_disqualify_and_reopening(route: Route) -> None:
    for action in set(Action) - REOPENING - {A.DISQUALIFY}:
        with pytest.raises(IllegalTransition) as refused:
            advance(S.REJECTED, action, facts_for(action, route))
        assert set(refused.value.allowed) == {a.value for a in REOPENING | {A.DISQUALIFY}}


@pytest.mark.parametrize("action", sorted(REOPENING))
def test_reopening_a_rejected_case_needs_an_upheld_appeal(action: Action) -> None:
    with pytest.raises(GuardRefused, match="appeal the impartiality committee upheld") as refused:
        advance(S.REJECTED, action, facts(appeal_upheld=False))
    assert refused.value.guard == "appeal_upheld"


@pytest.mark.parametrize("action", sorted(REOPENING))
def test_reopening_a_rejected_case_needs_a_reason(action: Action) -> None:
    with pytest.raises(GuardRefused, match="needs a reason"):
        advance(S.REJECTED, action, facts(reason=" "))


@pytest.mark.parametrize("action", sorted(EVIDENCED))
def test_a_decision_moves_only_on_the_record_that_decides_it(action: Action) -> None:
    stage = next(source for (source, act) in _DOMESTIC_TABLE if act is action)
    with pytest.raises(GuardRefused, match="only") as refused:
        advance(stage, action, facts(decision_grounds=None))
    assert refused.value.guard.startswith("decided_by_")
    other = Grounds("review round 1", frozenset({"something_else"}))
    with pytest.raises(GuardRefused, match=f"review round 1 decides something_else, not {action.value}"):
        advance(stage, action, facts(decision_grounds=other))
    assert advance(stage, action, facts(decision_grounds=Grounds("x", frozenset({action.value})))).action is action


# ---------------------------------------------------------------------------------------------------
# The shared Machine
# ---------------------------------------------------------------------------------------------------
def machine_transitions() -> list[tuple[str, str, str]]:
    return [
        (trigger, transition.source, transition.dest)
        for trigger, event in MACHINE.events.items()
        for transitions in event.transitions.values()
        for transition in transitions
    ]


def test_the_shared_machine_has_exactly_the_transitions_of_moves() -> None:
    from_moves = sorted((m.action.value, m.source.value, m.dest.value) for m in MOVES)
    assert sorted(machine_transitions()) == from_moves


def test_every_machine_transition_is_guarded_by_a_condition() -> None:
    for event in MACHINE.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                assert len(transition.conditions) == 1


def test_the_shared_machine_has_no_auto_transitions_and_knows_every_stage() -> None:
    assert MACHINE.auto_transitions is False
    assert not [trigger for trigger in MACHINE.events if trigger.startswith("to_")]
    assert set(MACHINE.events) == {action.value for action in Action}
    assert set(MACHINE.states) == {stage.value for stage in Stage}


def test_advance_leaves_no_model_attached_to_the_shared_machine() -> None:
    before = list(MACHINE.models)
    advance(S.DRAFT, A.SUBMIT, facts())
    advance(S.COMMITTEE_REVIEW, A.APPROVE, facts(Route.INTERNATIONAL))
    with pytest.raises(GuardRefused):
        advance(S.DRAFT, A.SUBMIT, facts(commitment_signed=False))
    with pytest.raises(IllegalTransition):
        advance(S.DRAFT, A.REGISTER, facts())
    assert MACHINE.models == before


def test_advance_picks_the_route_specific_approve_move() -> None:
    assert advance(S.COMMITTEE_REVIEW, A.APPROVE, facts()).dest is S.APPROVED
    assert advance(S.COMMITTEE_REVIEW, A.APPROVE, facts(Route.UPGRADE)).dest is S.APPROVED
    assert advance(S.COMMITTEE_REVIEW, A.APPROVE, facts(Route.INTERNATIONAL)).dest is S.SECRETARIAT_CONFIRMATION


def test_illegal_transition_message_names_the_stage_action_and_allowed_actions() -> None:
    with pytest.raises(IllegalTransition, match=r"'register'.*'draft'.*submit, withdraw, disqualify"):
        advance(S.DRAFT, A.REGISTER, facts())


# ---------------------------------------------------------------------------------------------------
# Stateful: one case driven by random actions with random, sometimes guard-failing facts
# ---------------------------------------------------------------------------------------------------
SUBMISSION_DEFECTS: dict[str, dict[str, Any]] = {
    "banned": {"applicant_banned": True},
    "not_member": {"applicant_is_member": False},
    "society_not_authorized": {"society_authorized_for_field": False},
    "unsigned": {"commitment_signed": False},
    "statement_too_short": {"self_statement": StatementMeasure(1999, 1999)},
    "statement_too_long": {"self_statement": StatementMeasure(4001, 4001)},
    "statement_not_chinese": {"self_statement": StatementMeasure(3000, 1499)},
    "no_education_proof": {"evidence_kinds": frozenset({"id_card_front", "id_card_back", "title_proof"})},
    "parallel_application": {"other_open_applications": (OpenApplication(99, "civil"),)},
    "certificate_suspended": {
        "certificates_in_field": (HeldCertificate("CE-CCES-CIVI-2025-00001", Level.APPRENTICE, Status.SUSPENDED),)
    },
}
ELIGIBILITY_DEFECTS = {"banned", "not_member", "certificate_suspended"}
"""Held again at acceptance, approval, title confirmation and registration (Q&A Q6, Q14, Q34-Q36)."""
OTHER_DEFECTS: dict[str, dict[str, Any]] = {
    "no_reason": {"reason": "   "},
    "no_supplement_yet": {"supplements_since_request": 0},
    "no_upheld_appeal": {"appeal_upheld": False},
    "membership_pending": {
        "applicant_is_member": False,
        "membership_pending": True,
        "policy": PipelinePolicy(accept_concurrent_membership=True),
    },
    "no_record_cited": {"decision_grounds": None},
    "record_decides_nothing": {"decision_grounds": Grounds("review round 1", frozenset())},
}
NEEDS_REASON = {
    A.RETURN_FOR_REVISION,
    A.REQUEST_SUPPLEMENT,
    A.REFER_TO_FURTHER_ASSESSMENT,
    A.FAIL_MATERIAL_REVIEW,
    A.FAIL_ASSESSMENT,
    A.REFER_BACK,
    A.REJECT,
    A.DECLINE_TITLE,
    A.DISQUALIFY,
    *REOPENING,
}
Variant = tuple[frozenset[str], int | None, int | None]
_OFFSETS = (None, -1, 0, 1)  # due date relative to today, or no due date
_DEFECT_SETS = [frozenset()] * 3 + [frozenset({name}) for name in {**SUBMISSION_DEFECTS, **OTHER_DEFECTS}]
_DEFECT_SETS.append(frozenset({"no_reason", "unsigned"}))
VARIANTS = st.sampled_from(
    [(defects, resub, supp) for defects in _DEFECT_SETS for resub in _OFFSETS for supp in _OFFSETS]
)


def guards_should_pass(
    stage: Stage, action: Action, defects: frozenset[str], resub: int | None, supp: int | None
) -> bool:
    """An independent statement of which guards each move has (DOMAIN.md; Q&A Q14, Q15, Q19)."""
    submission_ok = not (defects & set(SUBMISSION_DEFECTS))
    resubmission_open = resub is None or resub >= 0
    supplement_open = supp is None or supp >= 0
    if action in EVIDENCED and defects & {"no_record_cited", "record_decides_nothing"}:
        return False
    if action is A.SUBMIT:
        return submission_ok
    if action is A.RESUBMIT:
        return submission_ok and resubmission_open
    if action is A.LAPSE and stage is S.RETURNED:
        return resub is not None and resub < 0
    if action is A.LAPSE and stage is S.SUPPLEMENT_REQUESTED:
        return supp is not None and supp < 0
    if action is A.ACCEPT_FOR_REVIEW:
        return not defects & (ELIGIBILITY_DEFECTS | {"parallel_application"})
    if action in (A.APPROVE, A.CONFIRM_TITLE):
        return not defects & ELIGIBILITY_DEFECTS
    if action is A.REGISTER:
        return not defects & (ELIGIBILITY_DEFECTS | {"membership_pending"})
    if action is A.PROVIDE_SUPPLEMENT:
        return supplement_open and "no_supplement_yet" not in defects
    if action in REOPENING:
        return not defects & {"no_reason", "no_upheld_appeal"}
    if action in NEEDS_REASON:
        return "no_reason" not in defects
    return True


def replay(history: list[tuple[Stage, Stage, Action]], route: Route) -> Stage:
    stage = S.DRAFT
    for source, dest, action in history:
        assert source is stage
        assert EXPECTED[route][(source, action)] is dest
        stage = dest
    return stage


class OneCase(RuleBasedStateMachine):
    """A case under random actions: the invariants of the workflow hold after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.route = Route.STANDARD
        self.stage = S.DRAFT
        self.history: list[tuple[Stage, Stage, Action]] = []

    @initialize(route=st.sampled_from(list(Route)))
    def choose_route(self, route: Route) -> None:
        self.route = route

    @rule(action=st.sampled_from(list(Action)), variant=VARIANTS)
    def take_any_action(self, action: Action, variant: Variant) -> None:
        self.act(action, *variant)

    @rule(data=st.data(), variant=VARIANTS)
    def take_a_forward_action_the_stage_allows(self, data: st.DataObject, variant: Variant) -> None:
        allowed = expected_actions(self.stage, self.route)
        forward = sorted(allowed - {A.WITHDRAW, A.DISQUALIFY}) or sorted(allowed)
        if forward:
            self.act(data.draw(st.sampled_from(forward)), *variant)

    def act(self, action: Action, defects: frozenset[str], resub: int | None, supp: int | None) -> None:
        overrides: dict[str, Any] = {}
        for defect in sorted(defects):
            overrides.update({**SUBMISSION_DEFECTS, **OTHER_DEFECTS}[defect])
        case_facts = facts(
            self.route,
            resubmission_due=None if resub is None else TODAY + timedelta(days=resub),
            supplement_due=None if supp is None else TODAY + timedelta(days=supp),
        )
        case_facts = replace(case_facts, **overrides)
        before = self.stage
        history_before = self.history[-1:]
        legal = (before, action) in EXPECTED[self.route]
        models_before = len(MACHINE.models)
        refused = True
        try:
            move = advance(before, action, case_facts)
        except IllegalTransition as error:
            assert not legal
            assert set(error.allowed) == {a.value for a in expected_actions(before, self.route)}
        except GuardRefused as error:
            assert legal
            assert not guards_should_pass(before, action, defects, resub, supp), error
        else:
            assert legal and guards_should_pass(before, action, defects, resub, supp)
            assert move.source is before and move.action is action
            refused = False
            self.history.append((before, move.dest, action))
            self.stage = move.dest
        assert len(MACHINE.models) == models_before
        if refused and (self.stage is not before or self.history[-1:] != history_before):
            raise AssertionError(f"a refused {action} moved the case from {before} to {self.stage}")

    @invariant()
    def history_replays_to_the_current_stage(self) -> None:
        assert replay(self.history, self.route) is self.stage

    @invariant()
    def nothing_follows_disqualification(self) -> None:
        stages = [dest for _, dest, _ in self.history]
        if S.DISQUALIFIED in stages:
            assert stages.index(S.DISQUALIFIED) == len(stages) - 1

    @invariant()
    def only_disqualify_or_an_upheld_appeal_leaves_a_closed_stage(self) -> None:
        for source, _, action in self.history:
            if source in CLOSED_STAGES:
                assert action is A.DISQUALIFY or (source is S.REJECTED and action in REOPENING)

    @invariant()
    def a_case_never_reaches_secretariat_confirmation_off_the_international_route(self) -> None:
        if self.route is not Route.INTERNATIONAL:
            assert S.SECRETARIAT_CONFIRMATION not in {dest for _, dest, _ in self.history}


OneCase.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_one_case_under_random_actions_keeps_the_workflow_invariants = OneCase.TestCase
