"""Examiners ask the workgroup to verify facts with the employer (Q&A Q15): recorded, and the round waits."""

from __future__ import annotations

import pytest

from capeval.models import VerificationRequest
from capeval.services import review, verification
from capeval.services.runtime import Runtime
from capeval.states.errors import DomainError, InputError, NotPermitted
from capeval.states.review import TaskAction

from ..factories import applicant_of
from ..review_factories import case_in_review, load_review_society, record
from .test_handlers import rows, stage_of

WORKGROUP = "王秘书"


def assigned(runtime: Runtime) -> tuple[int, list[review.TaskView]]:
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    tasks = review.assign(runtime, case_id, WORKGROUP)
    for task in tasks:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
    return case_id, tasks


def test_an_open_verification_holds_the_round_until_the_workgroup_records_its_outcome(runtime: Runtime) -> None:
    case_id, tasks = assigned(runtime)
    asked = verification.request_verification(
        runtime, case_id, tasks[0].examiner_name, "甲设计院", "申请人是否为某变电站工程的设计负责人"
    )
    assert (asked.state, asked.round) == ("open", 1)
    for task in tasks:
        _, moved = review.submit_record(runtime, task.task_id, record("pass"), task.examiner_name)
        assert moved is None
    assert stage_of(runtime, case_id) == "material_review"
    answered, moved = verification.record_outcome(runtime, asked.request_id, WORKGROUP, "单位书面确认属实")
    assert answered.state == "answered" and moved is not None and moved.stage == "committee_review"
    [stored] = rows(runtime, VerificationRequest, application_id=case_id)
    assert (stored.outcome, stored.answered_by) == ("单位书面确认属实", WORKGROUP)


def test_without_a_verification_the_complete_round_decides_at_once(runtime: Runtime) -> None:
    case_id, tasks = assigned(runtime)
    outcomes = [review.submit_record(runtime, t.task_id, record("pass"), t.examiner_name)[1] for t in tasks]
    assert outcomes[-1] is not None and outcomes[-1].stage == "committee_review"


def test_only_an_examiner_of_the_round_asks_and_only_the_workgroup_answers(runtime: Runtime) -> None:
    case_id, tasks = assigned(runtime)
    for outsider in (applicant_of(runtime, case_id), WORKGROUP):
        with pytest.raises(NotPermitted):
            verification.request_verification(runtime, case_id, outsider, "甲设计院", "核实任职")
    with pytest.raises(InputError):
        verification.request_verification(runtime, case_id, tasks[0].examiner_name, " ", "核实任职")
    asked = verification.request_verification(runtime, case_id, tasks[0].examiner_name, "甲设计院", "核实任职")
    with pytest.raises(NotPermitted):
        verification.record_outcome(runtime, asked.request_id, tasks[1].examiner_name, "属实")
    verification.record_outcome(runtime, asked.request_id, WORKGROUP, "属实")
    with pytest.raises(DomainError, match="already has its outcome"):
        verification.record_outcome(runtime, asked.request_id, WORKGROUP, "属实")
