"""Sweeps split into key ranges: every due item lies in exactly one partition, and a partition killed
halfway, run again, finds what it already handled done."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

from capeval.models import OutboxMessage, StageHistory
from capeval.services import review
from capeval.services.feedback import file_feedback
from capeval.services.governance_sweep import due_ranges as governance_ranges
from capeval.services.governance_sweep import sweep_governance_deadlines
from capeval.services.partitions import key_ranges, split
from capeval.services.renewals import due_ranges as renewal_ranges
from capeval.services.renewals import run_renewal_sweep, sweep_batch
from capeval.services.review_sweep import due_ranges as review_ranges
from capeval.services.review_sweep import sweep_reviews
from capeval.services.runtime import Runtime
from capeval.services.sweeps import OverdueItem, due_ids, due_ranges, lapse_cases, lapse_overdue_cases
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.governance_commands import FileFeedback

from ..factories import act, at, load_society, submitted_case
from ..review_factories import case_in_review, load_review_society
from .test_certificates import registered

REVIEW_ACTOR = "王秘书"


def test_key_ranges_cover_the_span_once_and_never_overlap() -> None:
    for low, high, parts in [(1, 1, 4), (3, 40, 4), (10, 17, 3), (5, 1004, 7), (1, 2, 5)]:
        ranges = split(low, high, parts)
        covered = [key for r in ranges for key in range(r.low, r.high + 1)]
        assert covered == list(range(low, high + 1))
        assert len(ranges) == min(parts, high - low + 1)
    assert key_ranges(None, 4) == []
    with pytest.raises(ValueError):
        key_ranges((1, 9), 0)


def _returned_cases(runtime: Runtime, clock: FixedClock, count: int) -> list[int]:
    load_society(runtime, members=list(range(1, count + 1)))
    cases = [submitted_case(runtime, serial) for serial in range(1, count + 1)]
    clock.set(at("2026-02-06"))
    for case_id in cases:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
    clock.set(at("2026-03-02"))
    return cases


def _lapses(runtime: Runtime) -> Counter[int]:
    with runtime.unit_of_work() as uow:
        rows = uow.session.exec(select(StageHistory).where(StageHistory.action == Action.LAPSE.value)).all()
        return Counter(row.application_id for row in rows)


def test_partitions_of_the_deadline_sweep_lapse_every_case_once(runtime: Runtime, clock: FixedClock) -> None:
    cases = _returned_cases(runtime, clock, 9)
    ranges = due_ranges(runtime, 4)
    per_partition = [due_ids(runtime, partition=(k, 4), batch_size=2) for k in range(4)]

    reports = [lapse_overdue_cases(runtime, batch_size=2, key_range=r) for r in ranges]

    all_ids = [i for ids in per_partition for i in ids]
    assert len(all_ids) == len(set(all_ids)) == 9
    assert all(i in r for ids, r in zip(per_partition, ranges, strict=True) for i in ids)
    assert sorted(case for report in reports for case in report.lapsed) == sorted(cases)
    assert _lapses(runtime) == Counter({case: 1 for case in cases})


def test_a_partition_killed_halfway_and_run_again_lapses_the_rest_and_nothing_twice(
    runtime: Runtime, clock: FixedClock
) -> None:
    cases = _returned_cases(runtime, clock, 8)
    ranges = due_ranges(runtime, 2)
    batches_done: list[int] = []

    def dies_after_one_batch(runtime: Runtime, batch: list[OverdueItem]) -> list[int]:
        if batches_done:
            raise KeyboardInterrupt("the worker was killed")
        batches_done.append(1)
        return lapse_cases(runtime, batch)

    with pytest.raises(KeyboardInterrupt):
        lapse_overdue_cases(runtime, batch_size=2, process_batch=dies_after_one_batch, key_range=ranges[1])
    assert sum(_lapses(runtime).values()) == 2
    rerun = [lapse_overdue_cases(runtime, batch_size=2, key_range=r) for r in due_ranges(runtime, 2)]

    assert sum(len(report.lapsed) for report in rerun) == 6
    assert _lapses(runtime) == Counter({case: 1 for case in cases})
    assert lapse_overdue_cases(runtime).examined == 0


def test_partitions_of_the_renewal_sweep_queue_each_reminder_once_even_after_a_kill(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=list(range(1, 7)))
    for serial in range(1, 7):
        registered(runtime, serial)
    clock.set(at("2030-07-08"))
    ranges = renewal_ranges(runtime, 3)
    calls: list[str] = []

    def killed_on_the_second_batch(part, runtime, policy, after, size, key_range):  # type: ignore[no-untyped-def]
        calls.append(part)
        if len(calls) == 2:
            raise KeyboardInterrupt("the worker was killed")
        return sweep_batch(part, runtime, policy, after, size, key_range)

    with pytest.raises(KeyboardInterrupt):
        run_renewal_sweep(runtime, batch_size=1, run_batch=killed_on_the_second_batch, key_range=ranges[0])
    reports = [run_renewal_sweep(runtime, batch_size=1, key_range=r) for r in ranges]

    with runtime.unit_of_work() as uow:
        keys = [m.dedupe_key for m in uow.session.exec(select(OutboxMessage)).all() if "reminder" in m.dedupe_key]
    assert len(keys) == len(set(keys)) == 6
    assert sum(report.reminders for report in reports) == 5


def test_partitions_of_the_governance_sweep_remind_each_overdue_step_once(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, [])
    for n in range(7):
        file_feedback(runtime, FileFeedback("某学会", f"s{n}@example.cn", "society", "建议", f"建议{n}"))
    clock.set(at("2026-01-13"))
    ranges = governance_ranges(runtime, 3)

    reports = [sweep_governance_deadlines(runtime, batch_size=2, key_range=r) for r in ranges]
    again = [sweep_governance_deadlines(runtime, batch_size=2, key_range=r) for r in governance_ranges(runtime, 3)]

    reminded = [i for report in reports for i in report.reminded]
    assert len(ranges) == 3 and len(reminded) == len(set(reminded)) == 7
    assert all(set(report.reminded) <= set(range(r.low, r.high + 1)) for report, r in zip(reports, ranges, strict=True))
    assert sum(len(report.reminded) for report in again) == 0
    with runtime.unit_of_work() as uow:
        keys = [m.dedupe_key for m in uow.session.exec(select(OutboxMessage)).all() if "step_overdue" in m.template]
    assert len(keys) == len(set(keys)) == 7


def test_partitions_of_the_review_sweep_cancel_each_orphaned_task_once(runtime: Runtime, clock: FixedClock) -> None:
    clock.set(at("2026-03-02"))
    load_review_society(runtime, members=[1, 2, 3], examiners=6)
    tasks = []
    for serial in (1, 2, 3):
        case_id = case_in_review(runtime, serial)
        tasks += [task.task_id for task in review.assign(runtime, case_id, REVIEW_ACTOR)]
        act(runtime, case_id, Action.WITHDRAW, actor=f"申请人{serial}")
    ranges = review_ranges(runtime, 4)

    reports = [sweep_reviews(runtime, batch_size=1, key_range=r) for r in ranges]

    cancelled = [task for report in reports for task in report.cancelled]
    assert len(ranges) == 4 and sorted(cancelled) == sorted(tasks)
    assert all(
        set(report.cancelled) <= set(range(r.low, r.high + 1)) for report, r in zip(reports, ranges, strict=True)
    )
    assert sweep_reviews(runtime).cancelled == []
