"""Review tasks' transition table, review records, how records combine, and typed conflicts of interest."""

from __future__ import annotations

from datetime import date

import pytest

from capeval.states.application import Action
from capeval.states.authority import Actor
from capeval.states.conflicts import ConflictKind, Employment, Relation, RelationKind, conflicts_between
from capeval.states.errors import IllegalTransition, InputError, NotPermitted
from capeval.states.review import (
    TASK_MOVES,
    Recommendation,
    ReviewRecord,
    TaskAction,
    TaskParty,
    TaskState,
    advance_task,
    combine_records,
)
from capeval.states.review_policy import AREAS, ReviewPolicy

ALLOWED = {
    (TaskState.INVITED, TaskAction.ACCEPT): TaskState.ACCEPTED,
    (TaskState.INVITED, TaskAction.DECLINE): TaskState.DECLINED,
    (TaskState.INVITED, TaskAction.EXPIRE): TaskState.EXPIRED,
    (TaskState.INVITED, TaskAction.CANCEL): TaskState.CANCELLED,
    (TaskState.ACCEPTED, TaskAction.SUBMIT): TaskState.SUBMITTED,
    (TaskState.ACCEPTED, TaskAction.MARK_OVERDUE): TaskState.OVERDUE,
    (TaskState.ACCEPTED, TaskAction.REASSIGN): TaskState.REASSIGNED,
    (TaskState.ACCEPTED, TaskAction.CANCEL): TaskState.CANCELLED,
    (TaskState.OVERDUE, TaskAction.SUBMIT): TaskState.SUBMITTED,
    (TaskState.OVERDUE, TaskAction.REASSIGN): TaskState.REASSIGNED,
    (TaskState.OVERDUE, TaskAction.CANCEL): TaskState.CANCELLED,
    (TaskState.INVITED, TaskAction.CANCEL_ORPHANED): TaskState.CANCELLED,
    (TaskState.ACCEPTED, TaskAction.CANCEL_ORPHANED): TaskState.CANCELLED,
    (TaskState.OVERDUE, TaskAction.CANCEL_ORPHANED): TaskState.CANCELLED,
}
PARTY_OF_TASK_ACTION = {
    TaskAction.ACCEPT: TaskParty.EXAMINER,
    TaskAction.DECLINE: TaskParty.EXAMINER,
    TaskAction.SUBMIT: TaskParty.EXAMINER,
    TaskAction.EXPIRE: TaskParty.SYSTEM,
    TaskAction.MARK_OVERDUE: TaskParty.SYSTEM,
    TaskAction.CANCEL_ORPHANED: TaskParty.SYSTEM,
    TaskAction.REASSIGN: TaskParty.WORKGROUP,
    TaskAction.CANCEL: TaskParty.WORKGROUP,
}
"""Who takes each task action: the task's examiner, the workgroup of the case's society, the sweep."""


@pytest.mark.parametrize("state", list(TaskState))
@pytest.mark.parametrize("action", list(TaskAction))
def test_every_task_state_and_action_pair_matches_the_table(state: TaskState, action: TaskAction) -> None:
    expected = ALLOWED.get((state, action))
    if expected is None:
        with pytest.raises(IllegalTransition):
            advance_task(state, action, "reason")
    else:
        assert advance_task(state, action, "reason").dest is expected


@pytest.mark.parametrize(("state", "action"), sorted(ALLOWED))
def test_each_task_move_is_taken_by_its_party_and_refused_to_every_other(state: TaskState, action: TaskAction) -> None:
    for party in TaskParty:
        actor = Actor("someone", "某人", 7, frozenset({party.value}))
        if party is PARTY_OF_TASK_ACTION[action]:
            assert advance_task(state, action, "reason", actor).dest is ALLOWED[(state, action)]
        else:
            with pytest.raises(NotPermitted, match="only"):
                advance_task(state, action, "reason", actor)


def test_an_actor_holding_no_party_moves_no_task() -> None:
    nobody = Actor("applicant", "申请人1", 3)
    for state, action in ALLOWED:
        with pytest.raises(NotPermitted):
            advance_task(state, action, "reason", nobody)


def test_declining_without_a_reason_is_refused() -> None:
    with pytest.raises(InputError, match="reason is required to decline"):
        advance_task(TaskState.INVITED, TaskAction.DECLINE, " ")


def test_the_table_has_no_duplicate_moves() -> None:
    assert len({(m.source, m.action) for m in TASK_MOVES}) == len(TASK_MOVES)


def areas(**overrides: tuple[bool, str]) -> dict:
    table = {area: {"achieved": True, "justification": "项目证明充分"} for area in AREAS}
    for area, (achieved, text) in overrides.items():
        table[area] = {"achieved": achieved, "justification": text}
    return table


def test_a_record_with_an_empty_justification_is_refused_naming_the_area() -> None:
    with pytest.raises(InputError, match="areas.ethics.justification is empty"):
        ReviewRecord.from_mapping({"areas": areas(ethics=(True, "  ")), "recommendation": "pass"})


def test_a_record_missing_an_area_or_with_an_unknown_recommendation_is_refused() -> None:
    partial = areas()
    del partial["leadership"]
    with pytest.raises(InputError, match="area 'leadership' is missing"):
        ReviewRecord.from_mapping({"areas": partial, "recommendation": "pass"})
    with pytest.raises(InputError, match="'recommendation' must be one of"):
        ReviewRecord.from_mapping({"areas": areas(), "recommendation": "maybe"})


def test_further_assessment_needs_focus_areas_and_supplement_needs_a_list() -> None:
    with pytest.raises(InputError, match="focus_areas"):
        ReviewRecord.from_mapping({"areas": areas(), "recommendation": "further_assessment"})
    with pytest.raises(InputError, match="supplement_items"):
        ReviewRecord.from_mapping({"areas": areas(), "recommendation": "supplement"})


def rec(recommendation: str, **extra: object) -> ReviewRecord:
    return ReviewRecord.from_mapping(
        {"areas": areas(knowledge=(False, "个人贡献不清")), "recommendation": recommendation, **extra}
    )


def test_strictest_rule_any_supplement_wins_then_any_fail_then_further_assessment() -> None:
    policy = ReviewPolicy()
    supplement = rec("supplement", supplement_items=["竣工验收报告"])
    fail, further = rec("fail"), rec("further_assessment", focus_areas=["工程伦理"])
    assert combine_records([rec("pass"), supplement, fail], policy).action is Action.REQUEST_SUPPLEMENT
    assert "竣工验收报告" in combine_records([supplement, fail], policy).reason
    decision = combine_records([rec("pass"), fail], policy)
    assert decision.action is Action.FAIL_MATERIAL_REVIEW and "knowledge: 个人贡献不清" in decision.reason
    assert combine_records([rec("pass"), further], policy).action is Action.REFER_TO_FURTHER_ASSESSMENT
    assert combine_records([rec("pass"), rec("pass")], policy).action is Action.PASS_MATERIAL_REVIEW


def test_majority_rule_takes_the_most_frequent_and_breaks_ties_towards_strict() -> None:
    policy = ReviewPolicy.from_mapping({"combine_rule": "majority"})
    assert combine_records([rec("pass"), rec("pass"), rec("fail")], policy).action is Action.PASS_MATERIAL_REVIEW
    assert combine_records([rec("pass"), rec("fail")], policy).action is Action.FAIL_MATERIAL_REVIEW


def test_unknown_combine_rule_is_refused() -> None:
    with pytest.raises(InputError, match="combine_rule"):
        ReviewPolicy.from_mapping({"combine_rule": "coin"})


TODAY = date(2026, 3, 2)


def conflicts(examiner_jobs=(), applicant_jobs=(), relations=(), same_person=False):  # type: ignore[no-untyped-def]
    return conflicts_between(
        examiner_person_id=1,
        applicant_person_id=1 if same_person else 2,
        examiner_employments=examiner_jobs,
        applicant_employments=applicant_jobs,
        relations=relations,
        today=TODAY,
        policy=ReviewPolicy(),
    )


def test_the_applicant_is_never_their_own_examiner() -> None:
    assert [c.kind for c in conflicts(same_person=True)] == [ConflictKind.SELF]


def test_same_current_or_recent_employer_is_a_conflict_but_an_old_one_is_not() -> None:
    assert [c.kind for c in conflicts([Employment("甲院")], [Employment("甲院")])] == [ConflictKind.EMPLOYER]
    recent = conflicts([Employment("甲院", date(2024, 6, 30))], [Employment("甲院")])
    assert [c.kind for c in recent] == [ConflictKind.EMPLOYER] and "recent" in recent[0].detail
    assert conflicts([Employment("甲院", date(2022, 6, 30))], [Employment("甲院")]) == []


@pytest.mark.parametrize(
    ("relation", "kind"),
    [
        (RelationKind.SUPERVISOR, ConflictKind.SUPERVISOR),
        (RelationKind.STUDENT, ConflictKind.STUDENT),
        (RelationKind.FAMILY, ConflictKind.FAMILY),
        (RelationKind.OTHER, ConflictKind.DECLARED),
        (RelationKind.COLLABORATOR, ConflictKind.COLLABORATOR),
    ],
)
def test_every_declared_relation_is_a_typed_conflict(relation: RelationKind, kind: ConflictKind) -> None:
    assert [c.kind for c in conflicts(relations=[Relation(relation)])] == [kind]


def test_a_collaboration_that_ended_long_ago_is_no_conflict() -> None:
    assert (
        conflicts(relations=[Relation(RelationKind.COLLABORATOR, date(2025, 1, 1))])[0].kind
        is ConflictKind.COLLABORATOR
    )
    assert conflicts(relations=[Relation(RelationKind.COLLABORATOR, date(2022, 1, 1))]) == []
    assert conflicts(relations=[Relation(RelationKind.FAMILY, date(2000, 1, 1))])[0].kind is ConflictKind.FAMILY


def test_recommendation_values_are_the_four_of_the_review_record() -> None:
    assert [r.value for r in Recommendation] == ["pass", "further_assessment", "supplement", "fail"]


def test_review_policy_reads_overrides_from_the_review_table_and_refuses_bad_ones() -> None:
    policy = ReviewPolicy.from_toml(
        "[review]\nexaminers_per_case = 3\narea_maxima = [40, 20, 10, 10, 20]\n", origin="p"
    )
    assert policy.examiners_per_case == 3 and policy.area_maxima == (40, 20, 10, 10, 20)
    with pytest.raises(InputError, match="unknown review rule 'examiners'"):
        ReviewPolicy.from_mapping({"examiners": 2})
    with pytest.raises(InputError, match="five positive whole numbers"):
        ReviewPolicy.from_mapping({"area_maxima": [30, 20]})
    with pytest.raises(InputError, match="at least 1"):
        ReviewPolicy.from_mapping({"panel_size": 0})
