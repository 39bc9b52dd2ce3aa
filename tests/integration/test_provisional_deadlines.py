"""Deadlines that reach a year with no published schedule: provisional, shown so, re-projected on import,
extended by the workgroup, and never half-done (issue 12, part 1 and 2)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from capeval.models import Deadline, DeadlineChange, OutboxMessage, ReviewTask, StageHistory
from capeval.services import calendar_store, deadlines, queries, review
from capeval.services.reminders import queue_digests
from capeval.services.runtime import Runtime
from capeval.states.application import Action, Party
from capeval.states.calendar_estimate import ESTIMATE_BASIS
from capeval.states.clock import FixedClock
from capeval.states.errors import DomainError, InputError, NotPermitted, UnpublishedYearError

from ..factories import ACTOR_OF_PARTY, act, applicant_of, at, load_society, submitted_case
from ..review_factories import load_review_society
from .test_handlers import rows, stage_of

WORKGROUP = ACTOR_OF_PARTY[Party.WORKGROUP]

SCHEDULE_2027 = """
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知"
[[holiday]]
name = "元旦"
from = 2027-01-01
to = 2027-01-04
[[holiday]]
name = "春节"
from = 2027-02-05
to = 2027-02-12
"""
"""A 2027 schedule whose New Year holiday runs to Monday 4 January (the estimate has only 1 January off)."""

EARLIER_2027 = """
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知（调休）"
[[holiday]]
name = "元旦"
from = 2027-01-01
to = 2027-01-01
[[adjusted_working_day]]
date = 2027-01-02
for = "元旦"
"""
"""A 2027 schedule that would make the deadline earlier: Saturday 2 January declared a working day."""


def on(clock: FixedClock, day: str) -> None:
    clock.set(at(day))


def returned_case(runtime: Runtime, serial: int) -> int:
    case_id = submitted_case(runtime, serial)
    act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
    return case_id


def open_deadline(runtime: Runtime, case_id: int) -> Deadline:
    [deadline] = rows(runtime, Deadline, application_id=case_id, status="open")
    return deadline


def notices(runtime: Runtime, case_id: int, template: str) -> list[OutboxMessage]:
    return [m for m in rows(runtime, OutboxMessage, application_id=case_id) if m.template == template]


def test_a_return_on_18_december_gets_a_provisional_deadline_in_2027_with_its_basis(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-12-18")
    case_id = submitted_case(runtime, 1)
    outcome = act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
    assert (outcome.due_on, outcome.due_provisional) == (date(2027, 1, 4), True)
    deadline = open_deadline(runtime, case_id)
    assert deadline.provisional and deadline.basis == f"{ESTIMATE_BASIS}; 2027"
    assert (deadline.start_on, deadline.working_days) == (date(2026, 12, 18), 10)
    [notice] = notices(runtime, case_id, "application.return_for_revision")
    assert notice.context["due_provisional"] is True
    [row] = [r for r in queries.board(runtime).rows if r.case_id == case_id]
    assert (row.due_on, row.provisional) == (date(2027, 1, 4), True)
    [shown] = queries.show(runtime, case_id)["deadlines"]
    assert shown["provisional"] and "no adjusted working days" in shown["basis"]


def test_a_return_whose_ten_working_days_stay_in_2026_is_not_provisional(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-12-16")
    case_id = submitted_case(runtime, 1)
    outcome = act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
    assert (outcome.due_on, outcome.due_provisional) == (date(2026, 12, 30), False)
    deadline = open_deadline(runtime, case_id)
    assert (deadline.provisional, deadline.basis) == (False, "")
    assert not [r for r in queries.board(runtime).rows if r.case_id == case_id][0].provisional


def test_with_no_years_estimated_a_return_into_2027_is_refused_whole(runtime: Runtime, clock: FixedClock) -> None:
    runtime.policies = dataclasses.replace(
        runtime.policies, pipeline=dataclasses.replace(runtime.policy, provisional_years_ahead=0)
    )
    load_society(runtime, members=[1])
    on(clock, "2026-12-18")
    case_id = submitted_case(runtime, 1)
    with pytest.raises(UnpublishedYearError, match="2027"):
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
    assert stage_of(runtime, case_id) == "submitted"
    assert rows(runtime, Deadline, application_id=case_id) == []
    assert notices(runtime, case_id, "application.return_for_revision") == []


def test_importing_the_year_moves_a_provisional_deadline_later_records_it_and_tells_the_applicant(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-12-18")
    case_id = returned_case(runtime, 1)
    result = calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
    assert (result.reprojected, result.moved, result.still_provisional) == (1, 1, 0)
    deadline = open_deadline(runtime, case_id)
    assert (deadline.due_on, deadline.provisional, deadline.basis) == (date(2027, 1, 5), False, "")
    [change] = rows(runtime, DeadlineChange, application_id=case_id)
    assert (change.change, change.old_due_on, change.new_due_on) == ("reprojected", date(2027, 1, 4), date(2027, 1, 5))
    [told] = notices(runtime, case_id, "deadline.changed")
    assert (told.context["old_due_on"], told.context["new_due_on"], told.context["provisional"]) == (
        "2027-01-04",
        "2027-01-05",
        False,
    )
    assert not [r for r in queries.board(runtime).rows if r.case_id == case_id][0].provisional


def test_a_reprojection_never_moves_a_notified_deadline_earlier(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-12-18")
    case_id = returned_case(runtime, 1)
    result = calendar_store.store_schedule(runtime, EARLIER_2027, origin="2027.toml", loaded_by="管理员")
    assert (result.reprojected, result.moved) == (1, 0)
    deadline = open_deadline(runtime, case_id)
    assert (deadline.due_on, deadline.provisional) == (date(2027, 1, 4), False)
    [change] = rows(runtime, DeadlineChange, application_id=case_id)
    assert (change.old_due_on, change.new_due_on) == (date(2027, 1, 4), date(2027, 1, 4))


def test_an_import_that_fails_reprojects_nothing(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-12-18")
    case_id = returned_case(runtime, 1)
    with pytest.raises(InputError):
        calendar_store.store_schedule(runtime, SCHEDULE_2027 + "\nyear_typo = 1\n", origin="2027.toml", loaded_by="x")
    deadline = open_deadline(runtime, case_id)
    assert (deadline.due_on, deadline.provisional) == (date(2027, 1, 4), True)
    assert rows(runtime, DeadlineChange, application_id=case_id) == []


def test_accepting_for_review_is_refused_whole_when_review_dates_cannot_be_computed(
    runtime: Runtime, clock: FixedClock
) -> None:
    runtime.policies = dataclasses.replace(
        runtime.policies, pipeline=dataclasses.replace(runtime.policy, provisional_years_ahead=0)
    )
    load_review_society(runtime, members=[1], examiners=3)
    on(clock, "2026-12-18")
    case_id = submitted_case(runtime, 1)
    with pytest.raises(UnpublishedYearError, match="2027"):
        act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    assert stage_of(runtime, case_id) == "submitted"
    assert [h.action for h in rows(runtime, StageHistory, application_id=case_id)] == ["create", "submit"]


def test_accepting_in_december_and_assigning_examiners_both_complete_with_provisional_review_dates(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    on(clock, "2026-12-18")
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    tasks = review.assign(runtime, case_id, WORKGROUP)
    assert tasks and all(t.due_on == date(2027, 1, 4) for t in tasks)
    stored = rows(runtime, ReviewTask, application_id=case_id)
    assert all(t.provisional and ESTIMATE_BASIS in t.basis for t in stored)
    invites = notices(runtime, case_id, "review.invited")
    assert invites and all(m.context["due_provisional"] is True for m in invites)
    calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
    stored = rows(runtime, ReviewTask, application_id=case_id)
    assert all((t.due_on, t.provisional) == (date(2027, 1, 5), False) for t in stored)
    assert len(notices(runtime, case_id, "deadline.changed")) == len(stored)


def test_from_the_first_of_november_administrators_are_warned_that_next_year_is_missing(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    calendar = queries.working_day_calendar(runtime)
    warn_from = runtime.policy.calendar_warning_from
    assert calendar_store.missing_next_year(calendar, date(2026, 10, 31), warn_from) is None
    missing = calendar_store.missing_next_year(calendar, date(2026, 11, 1), warn_from)
    assert missing is not None and missing.year == 2027
    on(clock, "2026-11-02")
    queue_digests(runtime, [1])
    digests = [m for m in rows(runtime, OutboxMessage) if m.template == "workgroup.daily_digest"]
    assert digests and all(m.context["calendar_missing_year"] == 2027 for m in digests)
    on(clock, "2026-12-30")
    case_id = returned_case(runtime, 1)
    on(clock, "2027-01-12")
    queue_digests(runtime, [1])
    seen = {d.id for d in digests}
    later = [m for m in rows(runtime, OutboxMessage) if m.template == "workgroup.daily_digest" and m.id not in seen]
    listed = [item for m in later for item in m.context["deadlines"] if item["case_id"] == case_id]
    assert listed and all(item["provisional"] is True for item in listed)
    calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
    assert calendar_store.missing_next_year(queries.working_day_calendar(runtime), date(2026, 11, 1), warn_from) is None


def test_before_the_warning_date_the_digest_says_nothing_about_the_calendar(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-10-30")
    assert queue_digests(runtime, [1]) == 0


# --- extensions (part 2) --------------------------------------------------------------------------------


def test_the_workgroup_extends_a_resubmission_window_by_working_days_keeping_the_original_date(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    on(clock, "2026-02-06")
    case_id = returned_case(runtime, 1)
    first = open_deadline(runtime, case_id).due_on
    result = deadlines.extend(runtime, case_id, 3, "申请人住院（疾病）", WORKGROUP)
    assert (result.original_due_on, result.old_due_on) == (first, first)
    assert result.new_due_on == queries.working_day_calendar(runtime).add_working_days(first, 3)
    again = deadlines.extend(runtime, case_id, 1, "不可抗力", WORKGROUP)
    assert (again.original_due_on, again.old_due_on) == (first, result.new_due_on)
    deadline = open_deadline(runtime, case_id)
    assert (deadline.original_due_on, deadline.working_days) == (first, 14)
    changes = rows(runtime, DeadlineChange, application_id=case_id)
    assert [(c.change, c.working_days, c.reason) for c in changes] == [
        ("extended", 3, "申请人住院（疾病）"),
        ("extended", 1, "不可抗力"),
    ]
    assert len(notices(runtime, case_id, "deadline.changed")) == 2
    [shown] = queries.show(runtime, case_id)["deadlines"]
    assert shown["original_due_on"] == first


@pytest.mark.parametrize(("days", "reason"), [(0, "疾病"), (-2, "疾病"), (3, "  ")])
def test_an_extension_needs_at_least_one_day_and_a_reason(
    runtime: Runtime, clock: FixedClock, days: int, reason: str
) -> None:
    load_society(runtime, members=[1])
    case_id = returned_case(runtime, 1)
    with pytest.raises(InputError):
        deadlines.extend(runtime, case_id, days, reason, WORKGROUP)
    assert rows(runtime, DeadlineChange, application_id=case_id) == []


def test_only_the_workgroup_extends_and_only_an_open_window(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    case_id = returned_case(runtime, 1)
    with pytest.raises(NotPermitted):
        deadlines.extend(runtime, case_id, 3, "疾病", applicant_of(runtime, case_id))
    act(runtime, case_id, Action.RESUBMIT)
    with pytest.raises(DomainError, match="no open resubmission or supplement window"):
        deadlines.extend(runtime, case_id, 3, "疾病", WORKGROUP)


# --- pauses (part 2) ------------------------------------------------------------------------------------


def test_a_review_task_paused_while_the_case_waits_resumes_with_the_working_days_it_had_left(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    on(clock, "2026-03-02")
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    review.assign(runtime, case_id, WORKGROUP)
    due = rows(runtime, ReviewTask, application_id=case_id)[0].due_on
    on(clock, "2026-03-06")
    calendar = queries.working_day_calendar(runtime)
    left = calendar.working_days_between(date(2026, 3, 6), due)
    with runtime.unit_of_work() as uow:
        assert deadlines.pause_review(uow, runtime, case_id, runtime.today(), runtime.clock.now()) == 2
        uow.commit()
    paused = rows(runtime, ReviewTask, application_id=case_id)
    assert all((t.paused_on, t.working_days_left) == (date(2026, 3, 6), left) for t in paused)
    on(clock, "2026-03-20")
    with runtime.unit_of_work() as uow:
        assert deadlines.pause_review(uow, runtime, case_id, runtime.today(), runtime.clock.now()) == 0
        assert deadlines.resume_review(uow, runtime, case_id, runtime.today(), runtime.clock.now()) == 2
        uow.commit()
    resumed = rows(runtime, ReviewTask, application_id=case_id)
    expected = calendar.add_working_days(date(2026, 3, 20), left)
    assert all((t.due_on, t.paused_on, t.working_days_left) == (expected, None, None) for t in resumed)
    assert expected > due
    changes = [c.change for c in rows(runtime, DeadlineChange, application_id=case_id)]
    assert changes == ["paused", "paused", "resumed", "resumed"]


def test_a_paused_review_task_is_not_due_for_the_review_sweep(runtime: Runtime, clock: FixedClock) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    on(clock, "2026-03-02")
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    review.assign(runtime, case_id, WORKGROUP)
    with runtime.unit_of_work() as uow:
        assert len(uow.review.due_tasks("invited", date(2026, 12, 31), 0, 10)) == 2
        deadlines.pause_review(uow, runtime, case_id, runtime.today(), runtime.clock.now())
        uow.commit()
    with runtime.unit_of_work() as uow:
        assert uow.review.due_tasks("invited", date(2026, 12, 31), 0, 10) == []
