"""The reminder sweep: lapse warnings before resubmission and supplement deadlines, and the workgroup digest."""

from __future__ import annotations

import dataclasses

from capeval.models import OutboxMessage
from capeval.services.reminders import due_ranges, sweep_digests, sweep_lapse_warnings, sweep_reminders, warning_batch
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from .test_handlers import rows


def messages(runtime: Runtime, template: str) -> list[OutboxMessage]:
    return [row for row in rows(runtime, OutboxMessage) if row.template == template]


def returned_cases(runtime: Runtime, clock: FixedClock) -> list[int]:
    """Three submitted cases; two returned on 2026-09-25, due 2026-10-15 (National Day off, 10-10 worked)."""
    load_society(runtime, members=[1, 2, 3])
    cases = [submitted_case(runtime, serial) for serial in (1, 2, 3)]
    clock.set(at("2026-09-25"))
    for case_id in cases[:2]:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明模糊")
    return cases


def test_applicants_are_warned_two_working_days_before_their_window_closes_and_only_once(
    runtime: Runtime, clock: FixedClock
) -> None:
    cases = returned_cases(runtime, clock)
    clock.set(at("2026-10-12"))
    early = sweep_reminders(runtime, batch_size=1)
    clock.set(at("2026-10-13"))
    due = sweep_reminders(runtime, batch_size=1)
    again = sweep_reminders(runtime, batch_size=1)
    clock.set(at("2026-10-14"))
    next_day = sweep_reminders(runtime, batch_size=1)

    assert early.warnings_due == 0
    assert (due.warnings_due, due.warnings_queued, due.warning_batches) == (2, 2, 2)
    assert (again.warnings_queued, next_day.warnings_queued) == (0, 0)
    warnings = messages(runtime, "application.lapse_warning")
    assert sorted(w.application_id for w in warnings) == cases[:2]
    assert {(w.context["due_on"], w.context["working_days_left"], w.context["kind"]) for w in warnings} == {
        ("2026-10-15", 2, "resubmission")
    }


def test_the_warning_window_follows_the_policy(runtime: Runtime, clock: FixedClock) -> None:
    returned_cases(runtime, clock)
    runtime.policies = dataclasses.replace(
        runtime.policies, pipeline=dataclasses.replace(runtime.policy, lapse_warning_working_days=5)
    )
    clock.set(at("2026-10-09"))  # Friday; 10-10 is a worked Saturday: 10, 12, 13, 14, 15
    assert sweep_reminders(runtime).warnings_queued == 2


def test_no_warning_for_a_case_that_was_resubmitted(runtime: Runtime, clock: FixedClock) -> None:
    cases = returned_cases(runtime, clock)
    clock.set(at("2026-10-12"))
    act(runtime, cases[0], Action.RESUBMIT, actor="申请人1")
    clock.set(at("2026-10-13"))
    assert sweep_reminders(runtime).warnings_queued == 1


def test_each_workgroup_member_gets_one_digest_a_day_listing_waiting_cases_and_near_deadlines(
    runtime: Runtime, clock: FixedClock
) -> None:
    cases = returned_cases(runtime, clock)
    clock.set(at("2026-10-13"))
    first = sweep_reminders(runtime)
    repeat = sweep_reminders(runtime)
    clock.set(at("2026-10-14"))
    tomorrow = sweep_reminders(runtime)

    assert (first.digests_queued, repeat.digests_queued, tomorrow.digests_queued) == (1, 0, 1)
    digest = messages(runtime, "workgroup.daily_digest")[0]
    assert digest.recipient_name == "王秘书" and digest.context["digest_date"] == "2026-10-13"
    assert [item["case_id"] for item in digest.context["waiting"]] == [cases[2]]
    assert sorted(item["case_id"] for item in digest.context["deadlines"]) == cases[:2]


def test_a_sweep_split_into_key_ranges_queues_each_warning_once(runtime: Runtime, clock: FixedClock) -> None:
    returned_cases(runtime, clock)
    clock.set(at("2026-10-13"))
    ranges = due_ranges(runtime, 3)
    held = [[item.deadline_id for item in warning_batch(runtime, 0, 100, key_range)] for key_range in ranges]
    reports = [sweep_lapse_warnings(runtime, key_range=key_range) for key_range in ranges]
    digests = sweep_digests(runtime)

    assert len(ranges) == 2 and all(len(ids) == 1 for ids in held)
    assert all(ids[0] in key_range for ids, key_range in zip(held, ranges, strict=True))
    assert [r.warnings_queued for r in reports] == [1, 1] and digests.digests_queued == 1
    again = [sweep_lapse_warnings(runtime, key_range=key_range) for key_range in ranges]
    assert [r.warnings_due for r in again] == [1, 1] and [r.warnings_queued for r in again] == [0, 0]
