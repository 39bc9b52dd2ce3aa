"""The review sweep: cancel tasks of cases that left material review, expire unanswered invitations, mark
overdue reviews, queue reminders.

Due tasks are found through the (state, respond_by) and (state, due_on) indexes, a batch at a time (keyset
on the task id); each task is handled in its own transaction. It is idempotent: a task that moved on is
skipped and every reminder has a dedupe key (the before-due one per task, the overdue ones per day sent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from capeval.notifications.notices import publish
from capeval.states.authority import Sweep
from capeval.states.errors import ConcurrencyConflict, DomainError
from capeval.states.events import ReviewTaskDueSoon, ReviewTaskEvent, ReviewTaskOverdue
from capeval.states.review import OPEN_TASK_STATES, TaskAction, TaskState

from .partitions import KeyRange, key_ranges
from .review import act_on_task
from .review_support import examiner_person, task_event
from .runtime import Runtime

SWEEP_ACTOR = Sweep("review sweep")
"""The review sweep acts on its own: it holds only the system's party on a review task."""


class DueTask(NamedTuple):
    """A task the sweep has something to do with: which, and what."""

    task_id: int
    job: str


@dataclass
class ReviewSweepReport:
    """Counts of what one review sweep did."""

    cancelled: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    skipped: int = 0
    batches: int = 0

    def merged(self, other: ReviewSweepReport) -> ReviewSweepReport:
        """This report and another partition's, added up."""
        return ReviewSweepReport(
            self.cancelled + other.cancelled,
            self.expired + other.expired,
            self.overdue + other.overdue,
            self.reminded + other.reminded,
            self.skipped + other.skipped,
            self.batches + other.batches,
        )


JOBS = ("cancel_orphaned", "expire", "mark_overdue", "remind_before", "remind_overdue")
BatchProcessor = Callable[[Runtime, list[DueTask]], list[DueTask]]


def due_ranges(runtime: Runtime, partitions: int) -> list[KeyRange]:
    """The review task ids split into at most `partitions` key ranges (none without tasks)."""
    with runtime.unit_of_work() as uow:
        return key_ranges(uow.review.task_id_bounds(), partitions)


def due_batch(
    runtime: Runtime, job: str, after_id: int, batch_size: int, key_range: KeyRange | None = None
) -> list[DueTask]:
    """One batch of tasks with `job` to do, after task id `after_id` (within `key_range`)."""
    today, policy = runtime.today(), runtime.review_policy
    ids = key_range.bounds() if key_range is not None else None
    with runtime.unit_of_work() as uow:
        repo = uow.review
        if job == "cancel_orphaned":
            rows = repo.orphaned_tasks([s.value for s in OPEN_TASK_STATES], after_id, batch_size, ids)
        elif job == "expire":
            rows = repo.due_tasks(TaskState.INVITED.value, today - timedelta(days=1), after_id, batch_size, ids)
        elif job == "mark_overdue":
            rows = repo.due_tasks(TaskState.ACCEPTED.value, today - timedelta(days=1), after_id, batch_size, ids)
        elif job == "remind_before":
            horizon = runtime.calendar(uow).add_working_days(today, policy.reminder_before_due_working_days)
            rows = repo.due_tasks(TaskState.ACCEPTED.value, horizon, after_id, batch_size, ids)
        else:
            rows = repo.due_tasks(TaskState.OVERDUE.value, today, after_id, batch_size, ids)
        return [DueTask(t.id or 0, job) for t in rows]


def run_job(runtime: Runtime, item: DueTask) -> bool:
    """Do one task's job in its own transaction; False when there was nothing (left) to do."""
    if item.job == "cancel_orphaned":
        return _cancel_orphan(runtime, item.task_id)
    if item.job in ("expire", "mark_overdue"):
        action = TaskAction.EXPIRE if item.job == "expire" else TaskAction.MARK_OVERDUE
        reason = "no answer by the respond-by date" if item.job == "expire" else ""
        try:
            act_on_task(runtime, item.task_id, action, SWEEP_ACTOR, reason)
        except (DomainError, ConcurrencyConflict):
            return False
        return True
    try:
        return _remind(runtime, item.task_id, overdue=item.job == "remind_overdue")
    except ConcurrencyConflict:  # another sweep reminded, or someone moved the task, meanwhile
        return False


def _cancel_orphan(runtime: Runtime, task_id: int) -> bool:
    with runtime.unit_of_work() as uow:
        task = uow.review.task(task_id)
        case = uow.applications.get(task.application_id) if task is not None else None
        if task is None or case is None or case.stage == "material_review":
            return False
    try:
        act_on_task(runtime, task_id, TaskAction.CANCEL_ORPHANED, SWEEP_ACTOR, f"the case is now {case.stage}")
    except (DomainError, ConcurrencyConflict):
        return False
    return True


def _remind(runtime: Runtime, task_id: int, *, overdue: bool) -> bool:
    now, today = runtime.clock.now(), runtime.today()
    every = timedelta(days=runtime.review_policy.overdue_reminder_every_days)
    with runtime.unit_of_work() as uow:
        repo = uow.review
        task = repo.task(task_id)
        if task is None:
            return False
        if overdue:
            last = task.last_overdue_reminder_on
            if task.state != TaskState.OVERDUE.value or (last is not None and today - last < every):
                return False
            task.last_overdue_reminder_on = today
            kind: type[ReviewTaskEvent] = ReviewTaskOverdue
            values: dict[str, date] = {"on": today}
        else:
            if task.state != TaskState.ACCEPTED.value or task.reminded_before_due or task.due_on < today:
                return False
            task.reminded_before_due = True
            kind, values = ReviewTaskDueSoon, {}
        examiner = repo.examiner(task.examiner_id)
        assert examiner is not None
        publish(uow, [task_event(kind, task, examiner_person(uow, examiner), **values)], now)
        uow.commit()
        return True


def run_batch(runtime: Runtime, batch: list[DueTask]) -> list[DueTask]:
    """Do the jobs of one batch; returns those that did something."""
    return [item for item in batch if run_job(runtime, item)]


def sweep_reviews(
    runtime: Runtime,
    *,
    batch_size: int = 500,
    process_batch: BatchProcessor = run_batch,
    key_range: KeyRange | None = None,
) -> ReviewSweepReport:
    """Run every job over the due tasks (of `key_range` only, when given); `process_batch` lets the Prefect
    flow make each batch one task run."""
    report = ReviewSweepReport()
    for job in JOBS:
        after_id = 0
        while batch := due_batch(runtime, job, after_id, batch_size, key_range):
            report.batches += 1
            done = process_batch(runtime, batch)
            target = {
                "cancel_orphaned": report.cancelled,
                "expire": report.expired,
                "mark_overdue": report.overdue,
            }.get(job, report.reminded)
            target += [item.task_id for item in done]
            report.skipped += len(batch) - len(done)
            after_id = batch[-1].task_id
    return report
