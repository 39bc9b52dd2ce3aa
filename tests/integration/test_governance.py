"""Feedback, appeals, society authorization and resolutions against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from capeval.models import GovernanceHistory, OutboxMessage, SocietyField
from capeval.services.appeals import act_on_appeal, lodge_appeal, show_appeal
from capeval.services.authorizations import act_on_authorization, apply_for_authorization, open_cases
from capeval.services.directory import load_directory
from capeval.services.feedback import act_on_feedback, feedback_status, file_feedback
from capeval.services.governance_sweep import sweep_governance_deadlines
from capeval.services.handlers import handle
from capeval.services.resolutions import record_resolution, resolutions_for_case
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, IllegalTransition
from capeval.states.governance import Body
from capeval.states.governance_commands import (
    ActOnAppeal,
    ActOnAuthorization,
    ActOnFeedback,
    ApplyForAuthorization,
    FileFeedback,
    LodgeAppeal,
    RecordResolution,
)
from capeval.states.resolutions import Vote

from ..factories import COMMITTEE_NAMES, COMMITTEES, act, at, committee, load_society, person, submitted_case

EXAMINER = "赵考官"
SECRETARIAT = "秘书处员"
IMPARTIALITY, SUPERVISION = "公正委员1", "监督委员1"
FIRST_SERIAL = dict(COMMITTEES)
IC = Body.IMPARTIALITY_COMMITTEE


def rejected_case(runtime: Runtime, serial: int = 1) -> int:
    load_society(runtime, [serial])
    case_id = submitted_case(runtime, serial)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    act(runtime, case_id, Action.FAIL_MATERIAL_REVIEW, "工程知识未达成")
    return case_id


def seat(runtime: Runtime, body: Body, size: int) -> None:
    """Seat `size` members on `body` (the three of every test directory among them)."""
    document = {"committee": [committee(body.value, FIRST_SERIAL[body.value], size)]}
    load_directory(runtime, document, origin="test committee")


def votes(body: Body, for_: int, against: int = 0, absent: int = 0) -> dict[str, Vote]:
    """Members 1.. of `body` voting in this order; the members of the roster not reached are not listed."""
    kinds = [Vote.FOR] * for_ + [Vote.AGAINST] * against + [Vote.ABSENT] * absent
    return {f"{COMMITTEE_NAMES[body.value]}{n}": kind for n, kind in enumerate(kinds, start=1)}


def resolve(runtime: Runtime, body: Body, subject: tuple[str, str], ballot: dict[str, Vote]) -> str:
    order = RecordResolution(body, "motion", ballot, SECRETARIAT, subjects=(subject,))
    return str(record_resolution(runtime, order)["reference"])


def outbox(runtime: Runtime, template: str) -> list[OutboxMessage]:
    with runtime.unit_of_work() as uow:
        return list(uow.session.exec(select(OutboxMessage).where(OutboxMessage.template == template)).all())


def history_count(runtime: Runtime) -> int:
    with runtime.unit_of_work() as uow:
        return len(uow.session.exec(select(GovernanceHistory)).all())


def lodged_appeal(runtime: Runtime, case_id: int, appellant: str = "申请人1") -> str:
    order = LodgeAppeal(appellant, "failed_evaluation", ("facts_wrong",), "评分有误", case_id=case_id)
    return lodge_appeal(runtime, order).reference


def test_feedback_is_registered_investigated_by_outsiders_and_answered(runtime: Runtime) -> None:
    case_id = rejected_case(runtime)
    filed = file_feedback(runtime, FileFeedback("张三", "z@example.cn", "person", "评审不公", "详见附件", case_id))
    assert (filed.reference, filed.stage) == ("FB-2026-0001", "received")
    act_on_feedback(runtime, ActOnFeedback(filed.reference, "register", SUPERVISION))
    before = history_count(runtime)
    with pytest.raises(GuardRefused, match=f"{EXAMINER} took part"):
        act_on_feedback(
            runtime,
            ActOnFeedback(filed.reference, "assign_investigators", SUPERVISION, investigators=(EXAMINER, "监督委员2")),
        )
    assert history_count(runtime) == before
    act_on_feedback(
        runtime, ActOnFeedback(filed.reference, "assign_investigators", SUPERVISION, investigators=("p942",))
    )
    act_on_feedback(runtime, ActOnFeedback(filed.reference, "record_findings", "监督委员2", "评审程序合规"))
    answered = act_on_feedback(runtime, ActOnFeedback(filed.reference, "answer", SUPERVISION, "经调查，评审合规"))
    assert answered.stage == "answered"
    status = feedback_status(runtime, filed.reference)
    assert (status["stage"], status["investigators"], status["answer"]) == (
        "answered",
        ["监督委员2"],
        "经调查，评审合规",
    )
    assert [line["action"] for line in status["history"]] == [
        "file",
        "register",
        "assign_investigators",
        "record_findings",
        "answer",
    ]
    [received], [sent] = outbox(runtime, "feedback.received"), outbox(runtime, "feedback.answered")
    assert received.context["reference"] == filed.reference and received.recipient_email == "z@example.cn"
    assert sent.context["answer"] == "经调查，评审合规"


def test_an_overdue_step_is_reminded_once_then_escalated_once(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, [])
    filed = file_feedback(runtime, FileFeedback("某学会", "s@example.cn", "society", "建议", "建议增加考点"))
    assert filed.due_on is not None and filed.due_on.isoformat() == "2026-01-12"
    clock.set(at("2026-01-12"))
    assert sweep_governance_deadlines(runtime).examined == 0
    clock.set(at("2026-01-13"))
    first, again = sweep_governance_deadlines(runtime), sweep_governance_deadlines(runtime)
    assert (len(first.reminded), len(again.reminded), len(again.escalated)) == (1, 0, 0)
    clock.set(at("2026-01-19"))
    assert sweep_governance_deadlines(runtime, batch_size=1).escalated == []
    clock.set(at("2026-01-20"))
    assert len(sweep_governance_deadlines(runtime, batch_size=1).escalated) == 1
    assert sweep_governance_deadlines(runtime).escalated == []
    assert len(outbox(runtime, "governance.step_overdue")) == len(outbox(runtime, "governance.step_escalated")) == 1
    act_on_feedback(runtime, ActOnFeedback(filed.reference, "register", SUPERVISION))
    assert sweep_governance_deadlines(runtime).examined == 0


def test_an_upheld_appeal_decided_by_a_valid_resolution_reopens_the_case(runtime: Runtime) -> None:
    case_id = rejected_case(runtime)
    seat(runtime, Body.IMPARTIALITY_COMMITTEE, 9)
    reference = lodged_appeal(runtime, case_id)
    for conflicted in (EXAMINER, "王秘书", "申请人1"):
        with pytest.raises(GuardRefused, match=f"{conflicted} took part"):
            act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", IMPARTIALITY, panel=(conflicted,)))
    panel = ("公正委员7", "公正委员8", "主席团成员1")
    act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", IMPARTIALITY, panel=panel))
    invalid = resolve(runtime, IC, ("appeal", reference), votes(IC, 4, 2))
    uphold = ActOnAppeal(
        reference, "uphold", IMPARTIALITY, "评分有误", resolution=invalid, reopen_stage="further_assessment"
    )
    with pytest.raises(GuardRefused, match="is not valid"):
        act_on_appeal(runtime, uphold)
    valid = resolve(runtime, IC, ("appeal", reference), votes(IC, 5, 1))
    decided = act_on_appeal(runtime, ActOnAppeal(**{**uphold.__dict__, "resolution": valid}))
    assert decided.stage == "upheld"
    assert decided.detail["case_stage"] == "further_assessment"
    assert "3/4 of 6 voting = 4.5, so 5 must agree" in decided.detail["arithmetic"]
    with runtime.unit_of_work() as uow:
        last = uow.history.for_case(case_id)[-1]
        assert (last.from_stage, last.to_stage, last.action) == (
            "rejected",
            "further_assessment",
            "reopen_to_further_assessment",
        )
    assert [m.context["outcome"] for m in outbox(runtime, "appeal.decided")] == ["upheld"]
    assert len(outbox(runtime, "application.reopen_to_further_assessment")) == 1
    assert show_appeal(runtime, reference)["panel"] == list(panel)


def test_a_dismissed_appeal_leaves_the_case_rejected_and_it_cannot_be_reopened_by_hand(runtime: Runtime) -> None:
    case_id = rejected_case(runtime)
    reference = lodged_appeal(runtime, case_id)
    act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", IMPARTIALITY, panel=("公正委员2",)))
    valid = resolve(runtime, IC, ("appeal", reference), votes(IC, 3))
    act_on_appeal(runtime, ActOnAppeal(reference, "dismiss", IMPARTIALITY, "评分有据", resolution=valid))
    with pytest.raises(GuardRefused, match="appeal the impartiality committee upheld"):
        handle(runtime, TakeAction(case_id, Action.REOPEN_TO_MATERIAL_REVIEW, IMPARTIALITY, "please"))
    with pytest.raises(IllegalTransition):
        act_on_appeal(runtime, ActOnAppeal(reference, "uphold", IMPARTIALITY, "x", resolution=valid))


def test_an_appeal_on_the_last_day_of_the_window_is_lodged_and_a_day_later_is_refused(
    runtime: Runtime, clock: FixedClock
) -> None:
    first, second = rejected_case(runtime), rejected_case(runtime, serial=2)
    clock.set(at("2026-02-14"))  # 30 working days after 2026-01-05 (an adjusted working Saturday)
    assert (
        lodge_appeal(runtime, LodgeAppeal("申请人1", "failed_evaluation", ("facts_wrong",), "x", case_id=first)).stage
        == "lodged"
    )
    clock.set(at("2026-02-15"))
    with pytest.raises(GuardRefused, match="appeal window closed on 2026-02-14"):
        lodge_appeal(runtime, LodgeAppeal("申请人2", "failed_evaluation", ("facts_wrong",), "x", case_id=second))
    assert len(outbox(runtime, "appeal.received")) == 1


CHS_STAFF = "水利秘书"


def second_society(runtime: Runtime) -> None:
    """CHS beside the test society (whose directory seats the federation), with a workgroup member."""
    load_society(runtime, [])
    load_directory(
        runtime,
        {
            "society": {"code": "CHS", "name_zh": "中国水利学会", "email": "chs@example.cn"},
            "workgroup": [person(950, CHS_STAFF)],
            "member": [],
        },
        origin="test",
    )
    seat(runtime, Body.REVIEW_COMMITTEE, 7)
    seat(runtime, Body.PRESIDIUM, 7)


def authorize(runtime: Runtime, field: str = "hydro") -> str:
    applied = apply_for_authorization(runtime, ApplyForAuthorization("CHS", field, "规范已发布", CHS_STAFF))
    act_on_authorization(runtime, ActOnAuthorization(applied.reference, "pass_first_review", SECRETARIAT))
    subject = ("authorization", applied.reference)
    committee_resolution = resolve(runtime, Body.REVIEW_COMMITTEE, subject, votes(Body.REVIEW_COMMITTEE, 5, 1))
    act_on_authorization(
        runtime,
        ActOnAuthorization(applied.reference, "pass_committee_review", "审议委员1", resolution=committee_resolution),
    )
    presidium = resolve(runtime, Body.PRESIDIUM, subject, votes(Body.PRESIDIUM, 7))
    act_on_authorization(
        runtime, ActOnAuthorization(applied.reference, "approve", "主席团成员1", "通过", resolution=presidium)
    )
    return applied.reference


def authorization_row(runtime: Runtime) -> SocietyField | None:
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code("CHS")
        assert society is not None and society.id is not None
        return uow.directory.authorization(society.id, "hydro")


def test_an_approved_authorization_lets_the_society_receive_applications_and_withdrawal_lists_open_cases(
    runtime: Runtime, clock: FixedClock
) -> None:
    second_society(runtime)
    load_directory(
        runtime,
        {
            "society": {"code": "CHS", "name_zh": "中国水利学会", "email": "chs@example.cn"},
            "member": [
                {"name": "申请人5", "id_number": _id(5), "email": "p5@example.cn"},
                {"name": "申请人6", "id_number": _id(6), "email": "p6@example.cn"},
            ],
        },
        origin="test",
    )
    with pytest.raises(GuardRefused, match="not authorized"):
        submitted_case(runtime, 5, society="CHS", field="hydro")
    reference = authorize(runtime)
    row = authorization_row(runtime)
    assert row is not None and row.withdrawn_on is None
    case_id = submitted_case(runtime, 6, society="CHS", field="hydro")
    [notice] = outbox(runtime, "authorization.decided")
    assert notice.context["decision"] == "authorized" and notice.recipient_email == "chs@example.cn"
    clock.set(at("2026-02-02"))
    withdrawal = resolve(runtime, Body.PRESIDIUM, ("authorization", reference), votes(Body.PRESIDIUM, 7))
    withdrawn = act_on_authorization(
        runtime, ActOnAuthorization(reference, "withdraw", "主席团成员2", "一致性监督不合格", resolution=withdrawal)
    )
    assert withdrawn.detail["open_cases"] == [case_id - 1, case_id]  # the draft refused earlier is open too
    row = authorization_row(runtime)
    assert row is not None and row.withdrawn_on is not None and row.withdrawn_on.isoformat() == "2026-02-02"
    assert [c["case_id"] for c in open_cases(runtime, "CHS", "hydro")] == [case_id - 1, case_id]


def test_the_review_committee_cannot_pass_a_society_without_its_valid_resolution(runtime: Runtime) -> None:
    second_society(runtime)
    applied = apply_for_authorization(runtime, ApplyForAuthorization("CHS", "hydro", "", CHS_STAFF))
    act_on_authorization(runtime, ActOnAuthorization(applied.reference, "pass_first_review", SECRETARIAT))
    subject = ("authorization", applied.reference)
    invalid = resolve(runtime, Body.REVIEW_COMMITTEE, subject, votes(Body.REVIEW_COMMITTEE, 4))
    for cited, message in ((None, "must cite a resolution"), (invalid, "is not valid")):
        with pytest.raises(GuardRefused, match=message):
            act_on_authorization(
                runtime, ActOnAuthorization(applied.reference, "pass_committee_review", "审议委员1", resolution=cited)
            )
    assert authorization_row(runtime) is None


def test_a_committee_meeting_that_approved_a_batch_is_found_from_each_case(runtime: Runtime) -> None:
    load_society(runtime, [1, 2])
    seat(runtime, Body.REVIEW_COMMITTEE, 9)
    cases = [submitted_case(runtime, serial) for serial in (1, 2)]
    ballot = votes(Body.REVIEW_COMMITTEE, 6, 1)
    record: dict[str, Any] = record_resolution(
        runtime,
        RecordResolution(
            Body.REVIEW_COMMITTEE,
            "approve batch 2026-1",
            ballot,
            SECRETARIAT,
            subjects=tuple(("application", str(c)) for c in cases),
        ),
    )
    assert record["valid"] and (record["members"], record["voted"], record["in_favour"]) == (9, 7, 6)
    for case_id in cases:
        assert [r["reference"] for r in resolutions_for_case(runtime, case_id)] == [record["reference"]]


def _id(serial: int) -> str:
    from ..factories import id_number

    return id_number(serial)


def test_examiners_who_reviewed_the_case_may_not_sit_on_its_appeal_but_one_who_declined_may(runtime: Runtime) -> None:
    from capeval.services import review
    from capeval.states.review import TaskAction

    from ..review_factories import case_in_review, load_review_society, record

    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    first, second = review.assign(runtime, case_id, "王秘书")
    review.act_on_task(runtime, first.task_id, TaskAction.DECLINE, first.examiner_name, "出差")
    tasks = [t for t in review.tasks_of_case(runtime, case_id, "王秘书") if t.state == "invited"]
    for task in tasks:
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(runtime, task.task_id, record("fail", not_achieved=("knowledge",)), task.examiner_name)
    with runtime.unit_of_work() as uow:
        assert uow.applications.get(case_id).stage == "rejected"  # type: ignore[union-attr]
    reference = lodged_appeal(runtime, case_id)

    for task in tasks:
        with pytest.raises(GuardRefused, match=f"{task.examiner_name} took part"):
            act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", IMPARTIALITY, panel=(task.examiner_name,)))
    panel = (first.examiner_name, "公正委员2", "公正委员3")
    act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", IMPARTIALITY, panel=panel))
    assert show_appeal(runtime, reference)["panel"] == list(panel)
