"""Stored deadlines: opened (provisionally when they reach an unpublished year), re-projected when that year's
schedule is imported, extended by the workgroup, and paused while a case waits on a requested supplement.

Every function works inside the caller's unit of work, so the deadline, its change line and the notice
commit with the command that caused them, or none of them do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from capeval.models import Deadline, DeadlineChange
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states.application import Party, Stage
from capeval.states.authority import Actor, Sweep, require
from capeval.states.calendar import Projection, WorkingDayCalendar, local_date
from capeval.states.errors import DomainError, InputError, NotFoundError
from capeval.states.events import DeadlineMoved, Recipient
from capeval.states.review import OPEN_TASK_STATES

from .authority import case_actor
from .facts import RESUBMISSION, SUPPLEMENT

if TYPE_CHECKING:
    from capeval.models import GovernanceDeadline, ReviewTask

    from .runtime import Runtime

REPROJECTED, EXTENDED, PAUSED, RESUMED = "reprojected", "extended", "paused", "resumed"
IMPORT_ACTOR = Sweep("calendar import")
"""Who re-projects deadlines after an import: capeval's rule, in the name of the import."""
EXTEND = "extend"
EXTENDABLE = {Stage.RETURNED: RESUBMISSION, Stage.SUPPLEMENT_REQUESTED: SUPPLEMENT}
_OPEN_TASKS = sorted(state.value for state in OPEN_TASK_STATES)


class WindowColumns(TypedDict):
    """The columns every stored time limit (a case deadline, a governance step deadline) keeps of its window."""

    due_on: date
    provisional: bool
    basis: str
    start_on: date
    working_days: int


def window_columns(projection: Projection, start: date, days: int) -> WindowColumns:
    """The stored columns of a window of `days` working days from `start` that `projection` computed: the due
    date, whether it is 暂定 and on what basis, and what a re-projection recomputes it from."""
    return WindowColumns(
        due_on=projection.day,
        provisional=projection.provisional,
        basis=projection.basis,
        start_on=start,
        working_days=days,
    )


def open_window(
    uow: UnitOfWork, runtime: Runtime, case_id: int, kind: str, days: int, today: date, now: datetime
) -> Projection:
    """Store the case's new `kind` window of `days` working days from `today`; provisional through an
    unpublished year, refused whole (UnpublishedYearError) beyond what the policy estimates."""
    projection = runtime.calendar(uow).project(today, days)
    window = window_columns(projection, today, days)
    uow.deadlines.insert({"application_id": case_id, "kind": kind, "created_at": now, **window})
    return projection


def ensure_review_dates(uow: UnitOfWork, runtime: Runtime, today: date) -> None:
    """Refuse a move into material review, before anything is written, when the review tasks' reply and due
    dates could not be computed: accepting a case nobody can then be assigned to is never half-done."""
    policy = runtime.review_policy
    runtime.calendar(uow).add_working_days(today, max(policy.respond_by_working_days, policy.review_due_working_days))


def review_dates(uow: UnitOfWork, runtime: Runtime, today: date) -> tuple[Projection, Projection]:
    """The reply-by and due dates of a review task invited today."""
    calendar, policy = runtime.calendar(uow), runtime.review_policy
    return (
        calendar.project(today, policy.respond_by_working_days),
        calendar.project(today, policy.review_due_working_days),
    )


# --- re-projection after a schedule import --------------------------------------------------------------


@dataclass(frozen=True)
class Reprojection:
    """What an import did to the provisional deadlines: how many were re-projected, how many moved later,
    and how many stay provisional (they still reach a year without a published schedule)."""

    reprojected: int = 0
    moved: int = 0
    still_provisional: int = 0


def reproject(uow: UnitOfWork, runtime: Runtime, calendar: WorkingDayCalendar, occasion: str) -> Reprojection:
    """Recompute every open provisional deadline and review task with `calendar` (the one just imported).

    A date already notified is never moved earlier: the later of the old and the recomputed date stands.
    Each row gets a change line (old and new date) and its person a notice, in the caller's transaction.
    """
    now, reprojected, moved, still = runtime.clock.now(), 0, 0, 0
    for deadline in uow.deadline_changes.provisional_deadlines():
        if deadline.start_on is None or deadline.working_days is None:
            continue
        projection = calendar.project(deadline.start_on, deadline.working_days)
        old = deadline.due_on
        settle(deadline, projection)
        _line(uow, deadline.application_id, REPROJECTED, old, deadline.due_on, now, deadline_id=deadline.id)
        _tell_applicant(uow, deadline, old, REPROJECTED, occasion, occasion, now)
        reprojected, moved, still = reprojected + 1, moved + (deadline.due_on != old), still + deadline.provisional
    for task in uow.deadline_changes.provisional_tasks(_OPEN_TASKS):
        old = task.due_on
        if _reproject_task(uow, runtime, calendar, task):
            _line(uow, task.application_id, REPROJECTED, old, task.due_on, now, review_task_id=task.id)
            _tell_examiner(uow, task, old, occasion, now)
            reprojected, moved, still = reprojected + 1, moved + (task.due_on != old), still + task.provisional
    return Reprojection(reprojected, moved, still)


def settle(deadline: Deadline | GovernanceDeadline, projection: Projection) -> None:
    """Give a re-projected deadline the later of its notified and its recomputed date, and the projection's
    provisional flag and basis."""
    deadline.due_on = max(deadline.due_on, projection.day)
    deadline.provisional, deadline.basis = projection.provisional, projection.basis


def _reproject_task(uow: UnitOfWork, runtime: Runtime, calendar: WorkingDayCalendar, task: ReviewTask) -> bool:
    if task.paused_on is not None:
        task.provisional, task.basis = False, ""
        return False
    invited = local_date(task.invited_at)
    policy = runtime.review_policy
    resumed = uow.deadline_changes.last_resumed(task.id or 0)
    if resumed is not None and resumed.working_days is not None:
        due = calendar.project(local_date(resumed.at), resumed.working_days)
    else:
        due = calendar.project(invited, policy.review_due_working_days)
    respond = calendar.project(invited, policy.respond_by_working_days)
    task.respond_by = max(task.respond_by, respond.day)
    task.due_on = max(task.due_on, due.day)
    task.provisional = due.provisional or respond.provisional
    task.basis = due.basis or respond.basis
    return True


# --- extensions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extension:
    """What an extension did."""

    case_id: int
    kind: str
    original_due_on: date
    old_due_on: date
    new_due_on: date
    provisional: bool


def extend(runtime: Runtime, case_id: int, days: int, reason: str, actor: str) -> Extension:
    """The workgroup of the case's society extends the open resubmission or supplement window by `days`
    working days for a stated reason (illness, force majeure…; CPD-2024 art. 9 and Q&A Q25 by analogy).

    Recorded as a change line, told to the applicant, shown with the date first notified.
    """
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise InputError("deadline_extension_days", days=days)
    if not reason.strip():
        raise InputError("deadline_extension_reason_missing")
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        context = uow.applications.context(case_id)
        if context is None:
            raise NotFoundError("lookup_case_missing", case_id=case_id)
        who = case_actor(uow, actor, context, today, {Party.WORKGROUP})
        require(who, Party.WORKGROUP, EXTEND)
        stage = Stage(context.case.stage)
        kind = EXTENDABLE.get(stage)
        deadline = next((d for d in uow.deadlines.open_for_cases([case_id]) if d.kind == kind), None)
        if kind is None or deadline is None:
            raise DomainError("deadline_nothing_to_extend", case_id=case_id, stage=stage.value)
        old = deadline.due_on
        projection = runtime.calendar(uow).project(old, days)
        deadline.original_due_on = deadline.original_due_on or old
        deadline.due_on = projection.day
        deadline.working_days = (deadline.working_days or 0) + days
        deadline.provisional = deadline.provisional or projection.provisional
        deadline.basis = deadline.basis or projection.basis
        _line(
            uow, case_id, EXTENDED, old, deadline.due_on, now, deadline_id=deadline.id, days=days, reason=reason, by=who
        )
        uow.flush()
        count = sum(1 for c in uow.deadline_changes.of_case(case_id) if c.change == EXTENDED)
        _tell_applicant(uow, deadline, old, EXTENDED, f"extension-{count}", reason, now)
        result = Extension(case_id, deadline.kind, deadline.original_due_on, old, deadline.due_on, deadline.provisional)
        uow.commit()
        return result


# --- pausing review tasks while the case waits on a supplement -----------------------------------------


def pause_review(uow: UnitOfWork, runtime: Runtime, case_id: int, today: date, now: datetime) -> int:
    """Pause the due date of every open review task of the case, keeping the working days it had left."""
    calendar, paused = runtime.calendar(uow), 0
    for task in uow.deadline_changes.open_tasks_of_case(case_id, _OPEN_TASKS):
        if task.paused_on is not None:
            continue
        task.paused_on = today
        task.working_days_left = calendar.working_days_between(today, task.due_on)
        _line(uow, case_id, PAUSED, task.due_on, None, now, review_task_id=task.id, days=task.working_days_left)
        paused += 1
    return paused


def resume_review(uow: UnitOfWork, runtime: Runtime, case_id: int, today: date, now: datetime) -> int:
    """Resume every paused review task of the case: due the working days it had left after today."""
    calendar, resumed = runtime.calendar(uow), 0
    for task in uow.deadline_changes.open_tasks_of_case(case_id, _OPEN_TASKS):
        if task.paused_on is None:
            continue
        left = task.working_days_left or 0
        old = task.due_on
        projection = calendar.project(today, left)
        task.due_on = max(projection.day, today)
        task.provisional, task.basis = projection.provisional, projection.basis
        task.paused_on, task.working_days_left = None, None
        _line(uow, case_id, RESUMED, old, task.due_on, now, review_task_id=task.id, days=left)
        resumed += 1
    return resumed


# --- change lines and notices --------------------------------------------------------------------------


def _line(
    uow: UnitOfWork,
    case_id: int,
    change: str,
    old: date | None,
    new: date | None,
    now: datetime,
    *,
    deadline_id: int | None = None,
    review_task_id: int | None = None,
    days: int | None = None,
    reason: str = "",
    by: Actor | None = None,
) -> None:
    uow.deadline_changes.add(
        DeadlineChange(
            application_id=case_id,
            deadline_id=deadline_id,
            review_task_id=review_task_id,
            change=change,
            old_due_on=old,
            new_due_on=new,
            working_days=days,
            reason=reason,
            actor=by.label if by is not None else IMPORT_ACTOR.name if change == REPROJECTED else "capeval",
            actor_id=by.person_id if by is not None else None,
            at=now,
        )
    )


def _tell_applicant(
    uow: UnitOfWork, deadline: Deadline, old: date, change: str, occasion: str, reason: str, now: datetime
) -> None:
    context = uow.applications.context(deadline.application_id)
    assert context is not None and deadline.id is not None
    person = context.person
    event = DeadlineMoved(
        case_id=deadline.application_id,
        recipient=Recipient(person.name, person.email, person.language, person.id),
        subject=f"deadline:{deadline.id}",
        kind=deadline.kind,
        change=change,
        old_due_on=old,
        new_due_on=deadline.due_on,
        provisional=deadline.provisional,
        reason=reason,
        occasion=occasion,
    )
    publish(uow, [event], now)


def _tell_examiner(uow: UnitOfWork, task: ReviewTask, old: date, occasion: str, now: datetime) -> None:
    examiner = uow.review.examiner(task.examiner_id)
    person = uow.directory.person(examiner.person_id) if examiner is not None else None
    assert person is not None and task.id is not None
    event = DeadlineMoved(
        case_id=task.application_id,
        recipient=Recipient(person.name, person.email, person.language, person.id),
        subject=f"review_task:{task.id}",
        kind="review",
        change=REPROJECTED,
        old_due_on=old,
        new_due_on=task.due_on,
        provisional=task.provisional,
        reason=occasion,
        occasion=occasion,
    )
    publish(uow, [event], now)


def follow_review(
    uow: UnitOfWork, runtime: Runtime, case_id: int, source: Stage, dest: Stage, today: date, now: datetime
) -> None:
    """What a case move does to review dates: entering material review needs computable review dates;
    waiting on a supplement pauses open review tasks, leaving that wait resumes them."""
    if dest is Stage.MATERIAL_REVIEW:
        ensure_review_dates(uow, runtime, today)
    if dest is Stage.SUPPLEMENT_REQUESTED:
        pause_review(uow, runtime, case_id, today, now)
    elif source is Stage.SUPPLEMENT_REQUESTED:
        resume_review(uow, runtime, case_id, today, now)
