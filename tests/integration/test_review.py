"""Examiner review against real databases: conflicts, load balancing, decline and expiry, rounds, interviews."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from capeval.models import Examiner, Interview, OutboxMessage, ReviewTaskEvent, StageHistory
from capeval.services import interviews, review
from capeval.services.review_sweep import sweep_reviews
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import SHANGHAI, FixedClock
from capeval.states.commands import EvidenceRef
from capeval.states.errors import DomainError, InputError
from capeval.states.interview import Durations
from capeval.states.review import TaskAction

from ..factories import at, committee_resolution, person
from ..review_factories import (
    EXAMINER_SERIAL,
    case_in_review,
    examiner_id,
    examiner_number,
    load_review_society,
    record,
)
from .test_handlers import rows, stage_of

ACTOR = "王秘书"
PROJECTS = ("某220kV变电站扩建工程", "某城市配电网改造项目")
"""The engineering projects the applicant presents at the interview (Q&A Q16: 2-3)."""


def examiners_of(runtime: Runtime, case_id: int, state: str | None = None) -> list[int]:
    return [
        examiner_number(runtime, t.examiner_id)
        for t in review.tasks_of_case(runtime, case_id, ACTOR)
        if state is None or t.state == state
    ]


def declare(runtime: Runtime, **document: object) -> None:
    review.declare(runtime, dict(document), origin="test declarations")


def examiner_id_number(n: int) -> str:
    return str(person(EXAMINER_SERIAL + n)["id_number"])


@pytest.mark.parametrize(
    ("relation", "named"),
    [
        ("supervisor", "supervisor"),
        ("student", "student"),
        ("collaborator", "collaborator"),
        ("family", "family"),
        ("other", "declared"),
    ],
)
def test_declared_relations_exclude_the_examiner_and_name_the_conflict(
    runtime: Runtime, relation: str, named: str
) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    declare(
        runtime,
        relation=[
            {
                "examiner_id_number": examiner_id_number(1),
                "other_id_number": person(1)["id_number"],
                "kind": relation,
                "until": "2025-12-31",
            }
        ],
    )
    review.assign(runtime, case_id, ACTOR)
    assert sorted(examiners_of(runtime, case_id)) == [2, 3]
    with pytest.raises(DomainError, match=f"conflict of interest .*: {named} "):
        review.assign(runtime, case_id, ACTOR, examiner_id(runtime, 1))


def test_same_current_employer_and_recent_former_employer_are_conflicts(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=4, e1="甲设计院", m1="甲设计院", e2="乙公司")
    declare(
        runtime,
        employment=[
            {"id_number": examiner_id_number(2), "employer": "甲设计院", "ended_on": "2025-06-30"},
            {"id_number": examiner_id_number(3), "employer": "甲设计院", "ended_on": "2019-06-30"},
        ],
    )
    case_id = case_in_review(runtime, 1)
    review.assign(runtime, case_id, ACTOR)
    assert sorted(examiners_of(runtime, case_id)) == [3, 4]
    with pytest.raises(DomainError, match="employer \\(current employer 甲设计院\\)"):
        review.assign(runtime, case_id, ACTOR, examiner_id(runtime, 1))
    with pytest.raises(DomainError, match="employer \\(recent employer 甲设计院\\)"):
        review.assign(runtime, case_id, ACTOR, examiner_id(runtime, 2))


def test_an_applicant_who_is_also_an_examiner_is_never_assigned_their_own_case(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=2)
    from capeval.services.directory import load_directory

    from ..factories import society_document

    document = society_document([1])
    document["examiner"] = [{**person(1), "field": "electrical", "level": "senior"}]
    load_directory(runtime, document, origin="applicant as examiner")
    case_id = case_in_review(runtime, 1)
    with runtime.unit_of_work() as uow:
        own = uow.session.execute(sa.select(Examiner.id).order_by(Examiner.id.desc())).scalars().first()
    with pytest.raises(DomainError, match="self \\(the examiner is the applicant\\)"):
        review.assign(runtime, case_id, ACTOR, own)
    review.assign(runtime, case_id, ACTOR)
    assert sorted(examiners_of(runtime, case_id)) == [1, 2]


def test_examiners_are_chosen_by_fewest_open_tasks_then_longest_since_assignment(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_review_society(runtime, members=[1, 2, 3], examiners=4)
    first = case_in_review(runtime, 1)
    second = case_in_review(runtime, 2)
    review.assign(runtime, first, ACTOR)
    clock.set(at("2026-01-05T10:00"))
    review.assign(runtime, second, ACTOR)
    assert sorted(examiners_of(runtime, first)) == [1, 2]
    assert sorted(examiners_of(runtime, second)) == [3, 4]
    for task in review.tasks_of_case(runtime, first, ACTOR):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(runtime, task.task_id, record(), task.examiner_name)
    clock.set(at("2026-01-05T11:00"))
    third = case_in_review(runtime, 3)
    review.assign(runtime, third, ACTOR)
    assert sorted(examiners_of(runtime, third)) == [1, 2]
    with runtime.unit_of_work() as uow:
        loads = {examiner_number(runtime, e.id): e.open_tasks for e in uow.session.exec(sa.select(Examiner)).scalars()}
    assert loads == {1: 1, 2: 1, 3: 1, 4: 1}


def test_a_declined_examiner_is_replaced_and_never_invited_to_the_case_again(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    tasks = review.assign(runtime, case_id, ACTOR)
    declined = tasks[0]
    views = review.act_on_task(
        runtime, declined.task_id, TaskAction.DECLINE, declined.examiner_name, "出差无法按期评审"
    )
    assert [v.state for v in views] == ["declined", "invited"]
    assert examiners_of(runtime, case_id, "invited") == sorted(examiners_of(runtime, case_id, "invited"))
    assert examiner_number(runtime, declined.examiner_id) not in examiners_of(runtime, case_id, "invited")
    with pytest.raises(DomainError, match="was declined on case .* not invited to it again"):
        review.assign(runtime, case_id, ACTOR, declined.examiner_id)
    events = rows(runtime, ReviewTaskEvent, task_id=declined.task_id)
    assert [(e.from_state, e.to_state) for e in events] == [(None, "invited"), ("invited", "declined")]


def test_unanswered_invitation_expires_after_three_working_days_and_is_replaced(
    runtime: Runtime, clock: FixedClock
) -> None:
    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    first, second = review.assign(runtime, case_id, ACTOR)
    assert first.respond_by.isoformat() == "2026-03-05" and first.due_on.isoformat() == "2026-03-16"
    review.act_on_task(runtime, second.task_id, TaskAction.ACCEPT, second.examiner_name)
    clock.set(at("2026-03-05T18:00"))
    assert sweep_reviews(runtime).expired == []
    clock.set(at("2026-03-06"))
    report = sweep_reviews(runtime)
    again = sweep_reviews(runtime)
    assert report.expired == [first.task_id] and again.expired == []
    assert sorted(examiners_of(runtime, case_id, "invited") + examiners_of(runtime, case_id, "accepted")) == [2, 3]
    assert examiners_of(runtime, case_id, "expired") == [examiner_number(runtime, first.examiner_id)]


def test_reminders_before_and_after_the_due_date_are_queued_once(runtime: Runtime, clock: FixedClock) -> None:
    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1], examiners=2)
    case_id = case_in_review(runtime, 1)
    tasks = review.assign(runtime, case_id, ACTOR)
    for task in tasks:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
    clock.set(at("2026-03-12"))
    sweep_reviews(runtime)
    sweep_reviews(runtime)
    clock.set(at("2026-03-17"))
    report = sweep_reviews(runtime)
    sweep_reviews(runtime)
    assert sorted(report.overdue) == sorted(t.task_id for t in tasks)
    templates = [m.template for m in rows(runtime, OutboxMessage, application_id=case_id)]
    assert templates.count("review.reminder_before_due") == 2
    assert templates.count("review.reminder_overdue") == 2
    clock.set(at("2026-03-20"))
    sweep_reviews(runtime)
    templates = [m.template for m in rows(runtime, OutboxMessage, application_id=case_id)]
    assert templates.count("review.reminder_overdue") == 4
    views = review.act_on_task(runtime, tasks[0].task_id, TaskAction.REASSIGN, ACTOR, "逾期未提交")
    assert [v.state for v in views] == ["reassigned"]


def test_supplement_round_goes_back_to_the_same_examiners_and_keeps_every_version(
    runtime: Runtime, clock: FixedClock
) -> None:
    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1], examiners=4)
    case_id = case_in_review(runtime, 1)
    tasks = review.assign(runtime, case_id, ACTOR)
    reviewers = sorted(t.examiner_id for t in tasks)
    for task in tasks:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
    _, none_yet = review.submit_record(runtime, tasks[0].task_id, record(), tasks[0].examiner_name)
    assert none_yet is None
    _, outcome = review.submit_record(
        runtime, tasks[1].task_id, record("supplement", supplement_items=["项目竣工验收报告"]), tasks[1].examiner_name
    )
    assert outcome is not None and outcome.stage == "supplement_requested"
    history = rows(runtime, StageHistory, application_id=case_id)
    assert "项目竣工验收报告" in history[-1].reason
    clock.set(at("2026-03-09"))
    outcome, round_two = review.provide_supplement(runtime, case_id, "申请人1", (EvidenceRef("supplement", "v1.pdf"),))
    assert outcome.stage == "material_review"
    assert sorted(t.examiner_id for t in round_two) == reviewers and {t.round for t in round_two} == {2}
    for task in round_two:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        _, outcome = review.submit_record(
            runtime, task.task_id, record("further_assessment", focus_areas=["工程伦理与职业道德"]), task.examiner_name
        )
    assert outcome is not None and outcome.stage == "further_assessment"
    with runtime.unit_of_work() as uow:
        assert [e.reference for e in uow.applications.evidence(case_id) if e.kind == "supplement"] == ["v1.pdf"]


def test_failing_records_fail_the_material_review_with_the_not_achieved_areas(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=2)
    case_id = case_in_review(runtime, 1)
    for task in review.assign(runtime, case_id, ACTOR):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(runtime, task.task_id, record("fail", not_achieved=("leadership",)), task.examiner_name)
    assert stage_of(runtime, case_id) == "rejected"
    notice = rows(runtime, OutboxMessage, application_id=case_id)[-1]
    assert notice.template == "application.fail_material_review" and "leadership" in notice.context["reason"]


def interview_case(runtime: Runtime, clock: FixedClock, level: str = "professional") -> tuple[int, int]:
    from capeval.states.levels import Level

    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1], examiners=5)
    case_id = case_in_review(runtime, 1, level=Level(level))
    for task in review.assign(runtime, case_id, ACTOR):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(
            runtime, task.task_id, record("further_assessment", focus_areas=["伦理"]), task.examiner_name
        )
    view = interviews.schedule(
        runtime, case_id, datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), ACTOR, place="学会三楼会议室"
    )
    return case_id, view.interview_id


def panelist(runtime: Runtime, panel: list[int] | tuple[int, ...]) -> str:
    """The name of the first examiner on the panel (考官n)."""
    return f"考官{examiner_number(runtime, panel[0])}"


SCORES = {"knowledge": 25, "ethics": 15, "teamwork": 10, "learning": 10, "leadership": 10}


def test_interview_notice_needs_the_configured_working_days(runtime: Runtime, clock: FixedClock) -> None:
    case_id, interview_id = interview_case(runtime, clock)
    notice = [m for m in rows(runtime, OutboxMessage, application_id=case_id) if m.template == "interview.notice"]
    assert len(notice) == 1 and notice[0].context["duration_minutes"] == 50
    assert notice[0].context["place"] == "学会三楼会议室"
    with pytest.raises(DomainError, match="5 working days' notice: schedule the interview on 2026-03-09"):
        interviews.schedule(runtime, case_id, datetime(2026, 3, 6, 9, tzinfo=SHANGHAI), ACTOR, place="x")


def test_interview_failed_on_ethics_fails_the_case_naming_the_part(runtime: Runtime, clock: FixedClock) -> None:
    case_id, interview_id = interview_case(runtime, clock)
    clock.set(at("2026-03-10T11:00"))
    panel = interviews.interviews_of_case(runtime, case_id)[0].panel
    assert len(panel) == 3
    with pytest.raises(DomainError, match="have not filled in their score sheets"):
        interviews.decide(
            runtime, interview_id, SCORES, Durations(10, 30, 10), panelist(runtime, panel), projects=PROJECTS
        )
    for examiner in panel:
        interviews.record_scores(runtime, interview_id, panelist(runtime, [examiner]), {**SCORES, "ethics": 11})
    chair = panelist(runtime, panel)
    agreed = {**SCORES, "ethics": 11}
    result, outcome = interviews.decide(runtime, interview_id, agreed, Durations(10, 32, 10), chair, projects=PROJECTS)
    assert not result.passed and outcome.stage == "rejected"
    notice = rows(runtime, OutboxMessage, application_id=case_id)[-1]
    assert notice.template == "application.fail_assessment"
    assert "ethics and professional conduct 11 is below 12" in notice.context["reason"]


def test_interview_pass_then_committee_approval(runtime: Runtime, clock: FixedClock) -> None:
    case_id, interview_id = interview_case(runtime, clock)
    clock.set(at("2026-03-10T11:00"))
    panel = interviews.interviews_of_case(runtime, case_id)[0].panel
    for examiner in panel:
        interviews.record_scores(runtime, interview_id, panelist(runtime, [examiner]), SCORES)
    chair = panelist(runtime, panel)
    result, outcome = interviews.decide(runtime, interview_id, SCORES, Durations(10, 31, 10), chair, projects=PROJECTS)
    assert result.passed and outcome.stage == "committee_review"
    resolution = committee_resolution(runtime, case_id, Action.APPROVE)
    decided = review.committee_decision(runtime, case_id, Action.APPROVE, "审议委员1", resolution)
    assert decided.stage == "approved"


def test_committee_referral_back_reopens_review_for_the_same_examiners(runtime: Runtime, clock: FixedClock) -> None:
    load_review_society(runtime, members=[1], examiners=4)
    case_id = case_in_review(runtime, 1)
    first = review.assign(runtime, case_id, ACTOR)
    for task in first:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(runtime, task.task_id, record(), task.examiner_name)
    assert stage_of(runtime, case_id) == "committee_review"
    clock.set(at("2026-01-06"))
    resolution = committee_resolution(runtime, case_id, Action.REFER_BACK)
    review.committee_decision(runtime, case_id, Action.REFER_BACK, "审议委员1", resolution, "请核实获奖证明")
    second = [t for t in review.tasks_of_case(runtime, case_id, ACTOR) if t.round == 2]
    assert sorted(t.examiner_id for t in second) == sorted(t.examiner_id for t in first)
    assert stage_of(runtime, case_id) == "material_review"


def test_open_tasks_of_a_withdrawn_case_are_cancelled_by_the_sweep_and_examiners_told(runtime: Runtime) -> None:
    from ..factories import act

    load_review_society(runtime, members=[1], examiners=2)
    case_id = case_in_review(runtime, 1)
    tasks = review.assign(runtime, case_id, ACTOR)
    act(runtime, case_id, Action.WITHDRAW, actor="申请人1")
    report = sweep_reviews(runtime)
    assert sorted(report.cancelled) == sorted(t.task_id for t in tasks)
    assert sweep_reviews(runtime).cancelled == []
    cancelled = [m for m in rows(runtime, OutboxMessage, application_id=case_id) if m.template == "review.cancelled"]
    assert len(cancelled) == 2 and "withdrawn" in cancelled[0].context["reason"]
    with runtime.unit_of_work() as uow:
        assert {e.open_tasks for e in uow.session.exec(sa.select(Examiner)).scalars()} == {0}


def test_an_examiner_below_the_applicants_level_is_passed_over_and_refused_by_name(runtime: Runtime) -> None:
    from capeval.services.directory import load_directory
    from capeval.states.levels import Level

    from ..factories import society_document
    from ..review_factories import examiner_entry

    document = society_document([1])
    document["examiner"] = [examiner_entry(1, level="professional"), examiner_entry(2), examiner_entry(3)]
    load_directory(runtime, document, origin="levels")
    case_id = case_in_review(runtime, 1, level=Level.SENIOR)
    review.assign(runtime, case_id, ACTOR)
    assert sorted(examiners_of(runtime, case_id)) == [2, 3]
    with pytest.raises(DomainError, match="professional member and may not examine a senior applicant"):
        review.assign(runtime, case_id, ACTOR, examiner_id(runtime, 1))


def test_a_complete_round_left_unconcluded_is_concluded_once_on_request(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capeval.services import review as service

    load_review_society(runtime, members=[1], examiners=2)
    case_id = case_in_review(runtime, 1)
    for task in review.assign(runtime, case_id, ACTOR):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
    monkeypatch.setattr(service, "_conclude", lambda *args: None)
    for task in review.tasks_of_case(runtime, case_id, ACTOR):
        review.submit_record(runtime, task.task_id, record(), task.examiner_name)
    monkeypatch.undo()
    assert stage_of(runtime, case_id) == "material_review"
    outcome = review.conclude(runtime, case_id, ACTOR)
    assert outcome is not None and outcome.stage == "committee_review"
    assert review.conclude(runtime, case_id, ACTOR) is None


@pytest.mark.parametrize("projects", [(), ("只有一个项目",), ("甲", "乙", "丙", "丁"), ("甲", " 甲 ")])
def test_an_interview_result_names_two_or_three_distinct_projects_or_is_refused(
    runtime: Runtime, clock: FixedClock, projects: tuple[str, ...]
) -> None:
    case_id, interview_id = interview_case(runtime, clock)
    clock.set(at("2026-03-10T11:00"))
    panel = interviews.interviews_of_case(runtime, case_id)[0].panel
    for examiner in panel:
        interviews.record_scores(runtime, interview_id, panelist(runtime, [examiner]), SCORES)
    chair = panelist(runtime, panel)
    with pytest.raises(InputError, match="presents 2 to 3"):
        interviews.decide(runtime, interview_id, SCORES, Durations(10, 31, 10), chair, projects=projects)
    assert stage_of(runtime, case_id) == "further_assessment"
    three = ("甲工程", "乙工程", "丙工程")
    interviews.decide(runtime, interview_id, SCORES, Durations(10, 31, 10), chair, projects=three)
    [interview] = rows(runtime, Interview, application_id=case_id)
    assert interview.projects == list(three)
