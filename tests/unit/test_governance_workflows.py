"""The feedback, appeal and authorization workflows: their tables, rules and policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capeval.states import appeals, authorization, feedback
from capeval.states.authority import Actor
from capeval.states.engine import Move, Workflow
from capeval.states.errors import GuardRefused, IllegalTransition, InputError, NotPermitted, Problem
from capeval.states.governance import Body, GovernanceFacts, Party, PersonRef, ResolutionFacts
from capeval.states.governance_policy import GovernancePolicy

TODAY = date(2026, 5, 12)
FB, FA = feedback.FeedbackStage, feedback.FeedbackAction
AP, AA = appeals.AppealStage, appeals.AppealAction
AU, UA = authorization.AuthorizationStage, authorization.AuthorizationAction
OUTSIDER, WORKGROUP, EXAMINER = PersonRef(7, "独立专家"), PersonRef(1, "王秘书"), PersonRef(2, "赵考官")

EXPECTED: dict[str, dict[tuple[str, str], str]] = {
    "feedback": {
        ("received", "register"): "registered",
        ("registered", "assign_investigators"): "investigating",
        ("investigating", "record_findings"): "decided",
        ("decided", "answer"): "answered",
    },
    "appeal": {
        ("lodged", "appoint_panel"): "under_review",
        ("under_review", "uphold"): "upheld",
        ("under_review", "dismiss"): "dismissed",
    },
    "authorization": {
        ("first_review", "pass_first_review"): "committee_review",
        ("first_review", "refuse"): "refused",
        ("committee_review", "pass_committee_review"): "presidium_review",
        ("committee_review", "refuse"): "refused",
        ("presidium_review", "approve"): "authorized",
        ("presidium_review", "refuse"): "refused",
        ("authorized", "withdraw"): "withdrawn",
    },
}
WORKFLOWS: dict[str, tuple[Workflow, type, type]] = {
    "feedback": (feedback.WORKFLOW, FB, FA),
    "appeal": (appeals.WORKFLOW, AP, AA),
    "authorization": (authorization.WORKFLOW, AU, UA),
}


def resolution(body: Body, valid: bool = True, about: bool = True) -> ResolutionFacts:
    return ResolutionFacts("RES-2026-0001", body, valid, "the arithmetic", about)


def passing_facts(**overrides: Any) -> GovernanceFacts:
    values: dict[str, Any] = dict(
        today=TODAY,
        reason="reasons given",
        appointees=(OUTSIDER,),
        participants=frozenset({WORKGROUP.person_id, EXAMINER.person_id}),
        resolution=resolution(Body.IMPARTIALITY_COMMITTEE),
        required_body=Body.IMPARTIALITY_COMMITTEE,
        reopen_stage="further_assessment",
        reopen_needed=True,
    )
    values.update(overrides)
    return GovernanceFacts(**values)


def facts_for(name: str, stage: Any) -> GovernanceFacts:
    """Facts every guard of a move from `stage` accepts (the authorization steps cite their own body)."""
    facts = passing_facts()
    if name == "authorization" and stage in authorization.DECIDING_BODY:
        body = authorization.DECIDING_BODY[stage]
        facts = replace(facts, resolution=resolution(body), required_body=body)
    return facts


MOVES = [(name, move) for name, (workflow, _, _) in WORKFLOWS.items() for move in workflow.moves]


def holding(*parties: Party) -> Actor:
    return Actor("someone", "某人", 1, frozenset(party.value for party in parties))


@pytest.mark.parametrize(("name", "move"), MOVES, ids=[f"{n}-{m.source}-{m.action}" for n, m in MOVES])
def test_every_governance_move_is_taken_by_its_party_and_refused_to_every_other(name: str, move: Move) -> None:
    workflow, facts = WORKFLOWS[name][0], facts_for(name, move.source)
    for party in Party:
        if party is move.by:
            assert workflow.advance(move.source, move.action, facts, holding(party)).dest is move.dest
            continue
        with pytest.raises(NotPermitted, match="may not") as refused:
            workflow.advance(move.source, move.action, facts, holding(party))
        assert refused.value.code == "authority_party_needed"


@given(st.sampled_from(MOVES), st.frozensets(st.sampled_from(list(Party))))
def test_random_actors_never_take_a_governance_move_whose_party_they_do_not_hold(
    chosen: tuple[str, Move], parties: frozenset[Party]
) -> None:
    name, move = chosen
    workflow, actor = WORKFLOWS[name][0], holding(*parties)
    if move.by in parties:
        assert workflow.advance(move.source, move.action, facts_for(name, move.source), actor).dest is move.dest
    else:
        with pytest.raises(NotPermitted):
            workflow.advance(move.source, move.action, facts_for(name, move.source), actor)


PAIRS = [
    (name, stage, action) for name, (_, stages, actions) in WORKFLOWS.items() for stage in stages for action in actions
]


@pytest.mark.parametrize(("name", "stage", "action"), PAIRS, ids=[f"{n}-{s}-{a}" for n, s, a in PAIRS])
def test_every_stage_and_action_lands_where_the_table_says_or_lists_the_allowed_actions(
    name: str, stage: Any, action: Any
) -> None:
    workflow = WORKFLOWS[name][0]
    dest = EXPECTED[name].get((stage.value, action.value))
    facts = passing_facts()
    if name == "authorization" and stage in authorization.DECIDING_BODY:
        facts = replace(
            facts,
            resolution=resolution(authorization.DECIDING_BODY[stage]),
            required_body=authorization.DECIDING_BODY[stage],
        )
    models_before = len(workflow.machine.models)
    if dest is None:
        with pytest.raises(IllegalTransition) as refused:
            workflow.advance(stage, action, facts)
        assert set(refused.value.allowed) == {a for (s, a) in EXPECTED[name] if s == stage.value}
    else:
        assert workflow.advance(stage, action, facts).dest.value == dest
    assert len(workflow.machine.models) == models_before


def test_an_investigator_who_took_part_in_the_matter_is_refused_with_the_reason() -> None:
    with pytest.raises(GuardRefused, match="赵考官 took part in the matter") as refused:
        feedback.WORKFLOW.advance(
            FB.REGISTERED, FA.ASSIGN_INVESTIGATORS, passing_facts(appointees=(OUTSIDER, EXAMINER))
        )
    assert refused.value.guard == "no_part_in_the_matter"


def test_impartiality_is_judged_by_person_id_not_by_name() -> None:
    namesake = PersonRef(8, "赵考官")
    facts = passing_facts(appointees=(namesake,))
    assert feedback.WORKFLOW.advance(FB.REGISTERED, FA.ASSIGN_INVESTIGATORS, facts).dest is FB.INVESTIGATING


def test_an_investigator_who_had_no_part_is_accepted() -> None:
    assert feedback.WORKFLOW.advance(FB.REGISTERED, FA.ASSIGN_INVESTIGATORS, passing_facts()).dest is FB.INVESTIGATING


def test_a_panel_member_who_decided_the_original_case_may_not_sit_on_the_appeal() -> None:
    with pytest.raises(GuardRefused, match="王秘书"):
        appeals.WORKFLOW.advance(AP.LODGED, AA.APPOINT_PANEL, passing_facts(appointees=(WORKGROUP,)))


def test_appointing_nobody_is_refused() -> None:
    with pytest.raises(GuardRefused, match="at least one person"):
        appeals.WORKFLOW.advance(AP.LODGED, AA.APPOINT_PANEL, passing_facts(appointees=()))


@pytest.mark.parametrize(
    ("resolution_facts", "message"),
    [
        (None, "must cite a resolution"),
        (resolution(Body.IMPARTIALITY_COMMITTEE, valid=False), "is not valid"),
        (resolution(Body.REVIEW_COMMITTEE), "not of the impartiality_committee"),
        (resolution(Body.IMPARTIALITY_COMMITTEE, about=False), "does not name this case"),
    ],
)
@pytest.mark.parametrize("action", [AA.UPHOLD, AA.DISMISS])
def test_an_appeal_is_decided_only_by_a_valid_resolution_of_the_impartiality_committee(
    action: Any, resolution_facts: ResolutionFacts | None, message: str
) -> None:
    with pytest.raises(GuardRefused, match=message):
        appeals.WORKFLOW.advance(AP.UNDER_REVIEW, action, passing_facts(resolution=resolution_facts))


def test_dismissing_an_appeal_needs_reasons() -> None:
    with pytest.raises(GuardRefused, match="written text"):
        appeals.WORKFLOW.advance(AP.UNDER_REVIEW, AA.DISMISS, passing_facts(reason=""))


def test_upholding_a_failed_evaluation_needs_the_stage_to_reopen_at() -> None:
    with pytest.raises(GuardRefused, match="name the stage"):
        appeals.WORKFLOW.advance(AP.UNDER_REVIEW, AA.UPHOLD, passing_facts(reopen_stage=None))
    upheld = appeals.WORKFLOW.advance(AP.UNDER_REVIEW, AA.UPHOLD, passing_facts(reopen_stage=None, reopen_needed=False))
    assert upheld.dest is AP.UPHELD


def test_the_presidium_approves_only_with_its_own_valid_resolution() -> None:
    facts = passing_facts(resolution=resolution(Body.REVIEW_COMMITTEE), required_body=Body.PRESIDIUM)
    with pytest.raises(GuardRefused, match="not of the presidium"):
        authorization.WORKFLOW.advance(AU.PRESIDIUM_REVIEW, UA.APPROVE, facts)
    facts = replace(facts, resolution=resolution(Body.PRESIDIUM))
    assert authorization.WORKFLOW.advance(AU.PRESIDIUM_REVIEW, UA.APPROVE, facts).dest is AU.AUTHORIZED


def test_the_secretariat_first_review_needs_no_resolution() -> None:
    facts = passing_facts(resolution=None, required_body=None)
    assert authorization.WORKFLOW.advance(AU.FIRST_REVIEW, UA.PASS_FIRST_REVIEW, facts).dest is AU.COMMITTEE_REVIEW


def lodging(**overrides: Any) -> appeals.LodgingFacts:
    values: dict[str, Any] = dict(
        today=TODAY,
        subject="failed_evaluation",
        grounds=("facts_wrong",),
        statement="the scores were misread",
        decided_on=date(2026, 4, 8),
        window_closes_on=TODAY,
        subject_state_ok=None,
        policy=GovernancePolicy(),
    )
    values.update(overrides)
    return appeals.LodgingFacts(**values)


def lodging_refusals(facts: appeals.LodgingFacts) -> list[str]:
    return [rule.name for rule in appeals.LODGING_RULES if rule.refusal(facts)]


def test_an_appeal_on_the_last_day_of_the_window_is_admissible_and_a_day_later_is_not() -> None:
    assert lodging_refusals(lodging()) == []
    late = lodging(window_closes_on=date(2026, 5, 11))
    assert lodging_refusals(late) == ["within_appeal_window"]
    assert "closed on 2026-05-11" in str(appeals.WITHIN_APPEAL_WINDOW.refusal(late) or "")


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"grounds": ()}, "grounds_stated"),
        ({"statement": "  "}, "grounds_stated"),
        ({"grounds": ("dislike",)}, "grounds_stated"),
        ({"subject": "membership_fee"}, "subject_appealable"),
        (
            {"subject_state_ok": Problem("appeal_case_not_rejected", {"case_id": 3, "stage": "registered"})},
            "decision_appealed_stands",
        ),
    ],
)
def test_an_appeal_without_stated_grounds_or_an_appealable_standing_decision_is_refused(
    overrides: dict[str, Any], rule: str
) -> None:
    assert lodging_refusals(lodging(**overrides)) == [rule]


def test_the_governance_policy_is_overridable_and_refuses_nonsense() -> None:
    policy = GovernancePolicy.from_toml(
        '[governance]\nappeal_window_working_days = 15\nresolution_quorum = "1/2"\n', origin="p.toml"
    )
    assert (policy.appeal_window_working_days, str(policy.quorum)) == (15, "1/2")
    for text, message in [
        ("nonsense_rule = 1", "unknown rule 'nonsense_rule'"),
        ("appeal_window_working_days = 0", "whole number >= 1"),
        ('resolution_majority = "5/4"', "at most 1"),
        ('resolution_majority = "three quarters"', "fraction like 2/3"),
        ("appeal_grounds = []", "non-empty list"),
    ]:
        with pytest.raises(InputError, match=message):
            GovernancePolicy.from_toml(f"[governance]\n{text}\n", origin="p.toml")


def test_every_governance_rule_names_its_source() -> None:
    rows = GovernancePolicy().describe()
    assert all(row["source"] and row["meaning"] for row in rows)
    assert {row["rule"]: row["source"] for row in rows}["resolution_quorum"] == "Charter art. 28, 31"


def test_every_open_stage_has_a_time_limit_in_the_policy() -> None:
    policy = GovernancePolicy()
    for module in (feedback, appeals, authorization):
        stages = {step.source for step in module.STEPS} - {authorization.AuthorizationStage.AUTHORIZED}
        assert stages == set(module.STEP_DUE)
        assert all(isinstance(getattr(policy, rule), int) for rule in module.STEP_DUE.values())


def test_the_readme_shows_each_governance_workflow_as_its_table_draws_it() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for module in (feedback, appeals, authorization):
        assert module.WORKFLOW.mermaid() in readme
