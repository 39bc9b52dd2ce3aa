"""Processes racing on one database end in one clean answer: examiner assignment never exceeds the policy,
sweeps of one kind run at once both finish and count each message once, and nothing shows an internal error.

Each race starts its processes behind a barrier and runs the services in them, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from capeval.models import OutboxMessage, ReviewTask
from capeval.services import review
from capeval.services.bootstrap import bootstrap
from capeval.services.reminders import sweep_reminders
from capeval.services.renewals import run_renewal_sweep
from capeval.services.review_support import STANDING
from capeval.services.review_sweep import sweep_reviews
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.errors import CapevalError, ConcurrencyConflict

from ..factories import act, at, load_society, submitted_case
from ..review_factories import case_in_review, load_review_society
from ..runtimes import TEST_ID_KEY
from .test_certificates import registered
from .test_handlers import rows

WORKGROUP = "王秘书"
PER_CASE = 2


def _open(url: str, moment: str) -> Runtime:
    return bootstrap(Settings.load(database_url=url, id_key=TEST_ID_KEY), clock=FixedClock(at(moment)))


def _assign_all(runtime: Runtime, case_ids: list[int], seed: int) -> dict[str, Any]:
    order = list(case_ids)
    random.Random(seed).shuffle(order)
    answers: Counter[str] = Counter()
    for case_id in order:
        try:
            review.assign(runtime, case_id, WORKGROUP)
            answers["assigned"] += 1
        except CapevalError as error:
            answers[error.code] += 1
    return dict(answers)


def _reminders(runtime: Runtime, _: list[int], __: int) -> dict[str, Any]:
    report = sweep_reminders(runtime, batch_size=2)
    return {"warnings": report.warnings_queued, "digests": report.digests_queued}


def _reviews(runtime: Runtime, _: list[int], __: int) -> dict[str, Any]:
    report = sweep_reviews(runtime, batch_size=2)
    return {"expired": len(report.expired), "skipped": report.skipped}


def _renewals(runtime: Runtime, _: list[int], __: int) -> dict[str, Any]:
    report = run_renewal_sweep(runtime, batch_size=2)
    return {"reminders": report.reminders}


JOBS: dict[str, Callable[[Runtime, list[int], int], dict[str, Any]]] = {
    "assign": _assign_all,
    "reminders": _reminders,
    "reviews": _reviews,
    "renewals": _renewals,
}


def _worker(job: str, url: str, moment: str, case_ids: list[int], seed: int, start: Any, out: Any) -> None:
    runtime = _open(url, moment)
    start.wait(timeout=120)
    try:
        out.put(("done", JOBS[job](runtime, case_ids, seed)))
    except CapevalError as error:
        out.put(("refused", error.code))
    except Exception as error:  # noqa: BLE001 - the race's point: no internal error may escape
        out.put(("internal", f"{type(error).__name__}: {error}"))
    finally:
        runtime.engine.dispose()


def race(job: str, url: str, moment: str, processes: int, case_ids: list[int] | None = None) -> list[Any]:
    """Run `job` in `processes` processes started at once; returns what each answered."""
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(target=_worker, args=(job, url, moment, case_ids or [], seed, start, out))
        for seed in range(processes)
    ]
    for worker in workers:
        worker.start()
    answers = [out.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return answers


def done(answers: list[Any]) -> list[dict[str, Any]]:
    assert [kind for kind, _ in answers] == ["done"] * len(answers), answers
    return [result for _, result in answers]


def standing_per_case(runtime: Runtime) -> Counter[int]:
    standing = {state.value for state in STANDING}
    return Counter(task.application_id for task in rows(runtime, ReviewTask) if task.state in standing)


def test_examiners_assigned_to_the_same_cases_from_four_processes_never_exceed_the_policy(
    runtime: Runtime, database_url: str
) -> None:
    load_review_society(runtime, members=list(range(1, 7)), examiners=6)
    cases = [case_in_review(runtime, serial) for serial in range(1, 7)]
    results = done(race("assign", database_url, "2026-01-05", 4, cases))

    answers = sum((Counter(result) for result in results), Counter())
    assert standing_per_case(runtime) == Counter(dict.fromkeys(cases, PER_CASE))
    assert answers["assigned"] == len(cases)  # one assignment per case, the others told so
    assert sum(answers.values()) == 4 * len(cases)
    assert set(answers) <= {"assigned", "review_assign_nobody", "changed_by_someone_else"}
    print(f"assignment race: 4 processes x {len(cases)} cases, answers {dict(answers)}")


def test_two_reminder_sweeps_at_once_both_finish_and_queue_each_warning_once(
    runtime: Runtime, database_url: str, clock: FixedClock
) -> None:
    load_society(runtime, members=list(range(1, 7)))
    cases = [submitted_case(runtime, serial) for serial in range(1, 7)]
    clock.set(at("2026-09-25"))
    for case_id in cases:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明模糊")
    results = done(race("reminders", database_url, "2026-10-13", 2))

    queued = Counter(row.template for row in rows(runtime, OutboxMessage))
    assert sum(r["warnings"] for r in results) == queued["application.lapse_warning"] == len(cases)
    assert sum(r["digests"] for r in results) == queued["workgroup.daily_digest"] > 0
    print(f"reminder race: 2 sweeps, {dict(results[0])} and {dict(results[1])}")


def test_two_review_sweeps_at_once_both_finish_and_expire_each_invitation_once(
    runtime: Runtime, database_url: str, clock: FixedClock
) -> None:
    load_review_society(runtime, members=list(range(1, 5)), examiners=8)
    cases = [case_in_review(runtime, serial) for serial in range(1, 5)]
    for case_id in cases:
        review.assign(runtime, case_id, WORKGROUP)
    invited = len(rows(runtime, ReviewTask))
    results = done(race("reviews", database_url, "2026-01-20", 2))

    tasks = rows(runtime, ReviewTask)
    assert sum(r["expired"] for r in results) == invited == Counter(t.state for t in tasks)["expired"]
    assert standing_per_case(runtime) == Counter(dict.fromkeys(cases, PER_CASE))  # each replaced once
    print(f"review sweep race: 2 sweeps, {dict(results[0])} and {dict(results[1])}")


def test_two_renewal_sweeps_at_once_both_finish_and_count_each_reminder_once(
    runtime: Runtime, database_url: str
) -> None:
    load_society(runtime, members=list(range(1, 5)))
    numbers = [registered(runtime, serial) for serial in range(1, 5)]
    results = done(race("renewals", database_url, "2030-07-08", 2))  # 180 days before 2031-01-04

    reminders = [row for row in rows(runtime, OutboxMessage) if row.template == "certificate.renewal_reminder"]
    assert sum(r["reminders"] for r in results) == len(reminders) == len(numbers)
    print(f"renewal sweep race: 2 sweeps, {dict(results[0])} and {dict(results[1])}")


def test_a_renewal_sweep_counts_the_reminders_it_queued(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1, 2, 3])
    for serial in (1, 2, 3):
        registered(runtime, serial)
    clock.set(at("2030-07-08"))
    first, again = run_renewal_sweep(runtime, batch_size=2), run_renewal_sweep(runtime, batch_size=2)
    assert (first.reminders, again.reminders) == (3, 0)


def test_a_unique_key_broken_by_a_repository_statement_ends_as_the_one_conflict_error(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    submitted_case(runtime, 1)
    copy = {
        column: value
        for column, value in rows(runtime, OutboxMessage)[0].model_dump().items()
        if column not in ("id", "claim_token")
    }
    with pytest.raises(ConcurrencyConflict) as conflict, runtime.unit_of_work() as uow:
        uow.outbox.append(copy)  # the insert runs at once: the unique dedupe key refuses it here, not at commit
        uow.commit()
    assert conflict.value.code == "changed_by_someone_else"
    with runtime.unit_of_work() as uow:
        assert uow.outbox.append_once(copy) is False
    assert len(rows(runtime, OutboxMessage)) == 1
