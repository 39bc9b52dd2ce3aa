"""A decision cites its record, and the record is read, not trusted: a round that is not complete or not
current, an interview of another case or without a result, decide nothing. Task history keeps the person."""

from __future__ import annotations

from datetime import datetime

import pytest

from capeval.models import ReviewTaskEvent, StageHistory
from capeval.services import interviews, review
from capeval.services.handlers import handle
from capeval.services.review_sweep import sweep_reviews
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import SHANGHAI, FixedClock
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, NotPermitted
from capeval.states.evidence import AssessmentDecided, ReviewRoundDecided
from capeval.states.review import TaskAction

from ..factories import at
from ..review_factories import case_in_review, load_review_society, record
from .test_handlers import rows, stage_of

WORKGROUP = "王秘书"


def person_id(runtime: Runtime, name: str) -> int:
    with runtime.unit_of_work() as uow:
        [person] = uow.directory.people_named(name)
        assert person.id is not None
        return person.id


def test_a_round_cited_before_it_is_complete_or_not_the_current_one_decides_nothing(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    first, second = review.assign(runtime, case_id, WORKGROUP)
    for task in (first, second):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
    review.submit_record(runtime, first.task_id, record(), first.examiner_name)
    cite = TakeAction(case_id, Action.PASS_MATERIAL_REVIEW, first.examiner_name, basis=ReviewRoundDecided(1))
    with pytest.raises(GuardRefused, match="review round 1 is not complete: 1 of 2 review records are submitted"):
        handle(runtime, cite)
    with pytest.raises(GuardRefused, match="review round 2 is not the case's current round \\(1\\)"):
        handle(
            runtime, TakeAction(case_id, Action.PASS_MATERIAL_REVIEW, first.examiner_name, basis=ReviewRoundDecided(2))
        )
    assert stage_of(runtime, case_id) == "material_review"
    review.submit_record(runtime, second.task_id, record("fail", not_achieved=("ethics",)), second.examiner_name)
    history = rows(runtime, StageHistory, application_id=case_id)[-1]
    assert (history.action, history.basis, history.actor_id) == (
        "fail_material_review",
        "review round 1",
        person_id(runtime, second.examiner_name),
    )


def test_a_complete_round_decides_only_what_its_records_say(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    from capeval.services import review as service

    load_review_society(runtime, members=[1], examiners=2)
    case_id = case_in_review(runtime, 1)
    tasks = review.assign(runtime, case_id, WORKGROUP)
    monkeypatch.setattr(service, "_conclude", lambda *args: None)
    for task in tasks:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(runtime, task.task_id, record("fail", not_achieved=("ethics",)), task.examiner_name)
    monkeypatch.undo()
    forged = TakeAction(case_id, Action.PASS_MATERIAL_REVIEW, tasks[0].examiner_name, basis=ReviewRoundDecided(1))
    with pytest.raises(GuardRefused, match="review round 1 decides fail_material_review, not pass_material_review"):
        handle(runtime, forged)
    assert stage_of(runtime, case_id) == "material_review"


def _interviewed(runtime: Runtime, clock: FixedClock, serial: int) -> tuple[int, int, list[str]]:
    """A case of 申请人<serial> in further assessment with a scheduled interview: (case, interview, panel)."""
    case_id = case_in_review(runtime, serial)
    for task in review.assign(runtime, case_id, WORKGROUP):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(
            runtime, task.task_id, record("further_assessment", focus_areas=["伦理"]), task.examiner_name
        )
    view = interviews.schedule(
        runtime, case_id, datetime(2026, 3, 10, 9 + serial, 0, tzinfo=SHANGHAI), WORKGROUP, place="会议室"
    )
    names = {row["examiner_id"]: row["name"] for row in review.examiners(runtime, "CES")}
    return case_id, view.interview_id, [names[examiner] for examiner in view.panel]


def test_an_interview_of_another_case_or_without_a_result_decides_nothing(runtime: Runtime, clock: FixedClock) -> None:
    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1, 2], examiners=6)
    case_id, interview_id, panel = _interviewed(runtime, clock, 1)
    other_case, other_interview, _ = _interviewed(runtime, clock, 2)
    pass_it = TakeAction(case_id, Action.PASS_ASSESSMENT, panel[0], basis=AssessmentDecided(interview_id))
    with pytest.raises(GuardRefused, match=f"interview {interview_id} has no result yet"):
        handle(runtime, pass_it)
    borrowed = TakeAction(case_id, Action.PASS_ASSESSMENT, panel[0], basis=AssessmentDecided(other_interview))
    with pytest.raises(GuardRefused, match=f"interview {other_interview} is not an interview of case {case_id}"):
        handle(runtime, borrowed)
    assert stage_of(runtime, case_id) == "further_assessment" and stage_of(runtime, other_case) == "further_assessment"


def test_every_task_event_keeps_the_person_who_acted_and_the_sweep_acts_as_itself(
    runtime: Runtime, clock: FixedClock
) -> None:
    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    first, second = review.assign(runtime, case_id, WORKGROUP)
    review.act_on_task(runtime, first.task_id, TaskAction.ACCEPT, first.examiner_name)
    clock.set(at("2026-03-06"))
    report = sweep_reviews(runtime)
    assert report.expired == [second.task_id]
    accepted = rows(runtime, ReviewTaskEvent, task_id=first.task_id)
    assert [(e.action, e.actor, e.actor_id) for e in accepted] == [
        ("invite", WORKGROUP, person_id(runtime, WORKGROUP)),
        ("accept", first.examiner_name, person_id(runtime, first.examiner_name)),
    ]
    expired = rows(runtime, ReviewTaskEvent, task_id=second.task_id)
    assert [(e.action, e.actor, e.actor_id) for e in expired][-1] == ("expire", "review sweep", None)
    replacement = next(t for t in review.tasks_of_case(runtime, case_id, WORKGROUP) if t.state == "invited")
    invited = rows(runtime, ReviewTaskEvent, task_id=replacement.task_id)
    assert [(e.action, e.actor, e.actor_id) for e in invited] == [("invite", "review sweep", None)]


def test_a_replacement_for_a_declined_invitation_is_invited_by_the_rule_not_the_examiner(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    first, _ = review.assign(runtime, case_id, WORKGROUP)
    _, replacement = review.act_on_task(runtime, first.task_id, TaskAction.DECLINE, first.examiner_name, "出差")
    invited = rows(runtime, ReviewTaskEvent, task_id=replacement.task_id)
    assert [(e.action, e.actor, e.actor_id) for e in invited] == [("invite", "review assignment rule", None)]


def test_only_the_workgroup_or_an_examiner_of_the_case_asks_for_a_round_to_be_concluded(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=2)
    case_id = case_in_review(runtime, 1)
    review.assign(runtime, case_id, WORKGROUP)
    for who in ("申请人1", "审议委员1"):
        with pytest.raises(NotPermitted, match=f"{who} may not see the review of case {case_id}"):
            review.conclude(runtime, case_id, who)
    assert review.conclude(runtime, case_id, WORKGROUP) is None
