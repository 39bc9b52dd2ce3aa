"""Shared pieces of the review services: joining the spine's handlers to an open transaction, task notices,
who acts on a review task, and where a case's review round stands.

`joined(runtime, uow)` gives a runtime whose handlers (`services.handlers.take_action`, `add_supplement`)
write into the already-open unit of work instead of their own, so that a review record, the stage change it
causes, its history and its notices commit together or not at all.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from capeval.models import Application, Examiner, Person, ReviewTask
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.application import Stage
from capeval.states.authority import Actor, StaffRole, Sweep
from capeval.states.events import Recipient, ReviewTaskEvent
from capeval.states.review import (
    OPEN_TASK_STATES,
    ReviewRecord,
    RoundDecision,
    TaskParty,
    TaskState,
    combine_records,
)
from capeval.states.review_policy import ReviewPolicy

from .authority import actor_of, is_staff, person_acting
from .runtime import Runtime

STANDING = frozenset({*OPEN_TASK_STATES, TaskState.SUBMITTED})
"""The tasks that count towards a round: open, or submitted."""


class JoinedUnitOfWork(UnitOfWork):
    """A unit of work that takes part in an outer one: same session; `commit` only flushes."""

    def __init__(self, outer: UnitOfWork) -> None:  # noqa: D107 - shares the outer's state
        self.__dict__.update(outer.__dict__)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None

    def commit(self) -> None:
        self.flush()


def joined(runtime: Runtime, uow: UnitOfWork) -> Runtime:
    """A runtime like `runtime` whose units of work all join `uow`'s transaction."""
    inner = copy.copy(runtime)
    inner.unit_of_work = lambda: JoinedUnitOfWork(uow)  # type: ignore[method-assign]
    return inner


TaskEvent = TypeVar("TaskEvent", bound=ReviewTaskEvent)


def task_event(kind: type[TaskEvent], task: ReviewTask, examiner: Person, **values: Any) -> TaskEvent:
    """The event `kind` about `task`, addressed to its examiner (`values`: its details or own fields)."""
    assert task.id is not None
    recipient = Recipient(examiner.name, examiner.email, examiner.language, examiner.id)
    return kind(
        task_id=task.id, case_id=task.application_id, round=task.round, due_on=task.due_on, examiner=recipient, **values
    )


def examiner_person(uow: UnitOfWork, examiner: Examiner) -> Person:
    person = uow.directory.person(examiner.person_id)
    assert person is not None
    return person


def task_parties(
    uow: UnitOfWork, person: Person, case: Application, task: ReviewTask | None, *, workgroup: bool | None = None
) -> set[TaskParty]:
    """The parties `person` holds on a review task of `case` (or, with no task, on the case's review).

    The examiner the task belongs to; the workgroup of the case's society (`workgroup`, when known already,
    saves looking it up). The applicant holds none.
    """
    assert person.id is not None
    if person.id == case.person_id:
        return set()
    parties: set[TaskParty] = set()
    in_workgroup = is_staff(uow, person, StaffRole.WORKGROUP, case.society_id) if workgroup is None else workgroup
    if in_workgroup:
        parties.add(TaskParty.WORKGROUP)
    examiner = uow.review.examiner(task.examiner_id) if task is not None else None
    if examiner is not None and examiner.person_id == person.id:
        parties.add(TaskParty.EXAMINER)
    return parties


def task_actor(uow: UnitOfWork, who: str | Sweep, case: Application, task: ReviewTask | None = None) -> Actor:
    """The actor `who` is on a review task of `case`: a sweep holds the system, a person `task_parties`."""
    if isinstance(who, Sweep):
        return Actor.sweep(who)
    found = _named(uow.review.people_holding(who.strip(), StaffRole.WORKGROUP.value, case.society_id), who.strip())
    if found is None:
        person = person_acting(uow, who)
        return actor_of(person).holding(task_parties(uow, person, case, task))
    person, workgroup = found
    return actor_of(person).holding(task_parties(uow, person, case, task, workgroup=workgroup))


def _named(candidates: Sequence[tuple[Person, bool]], who: str) -> tuple[Person, bool] | None:
    """The one candidate `who` names as `person_acting` picks it (username first, else a unique name)."""
    by_username = [c for c in candidates if c[0].username == who]
    if by_username:
        return by_username[0]
    by_name = [c for c in candidates if c[0].name == who]
    return by_name[0] if len(by_name) == 1 else None


def current_round(tasks: Sequence[ReviewTask]) -> int:
    """The number of the case's latest review round (1 before any task)."""
    return max((t.round for t in tasks), default=1)


@dataclass(frozen=True)
class RoundState:
    """Where the case's current review round stands, and what its records decide once it is complete."""

    round: int
    standing: int
    submitted: int
    needed: int
    stale: bool
    """A task of the round was invited before the case last entered material review."""
    decision: RoundDecision | None
    held: bool = False
    """A verification with an employer asked in the round is not answered yet (Q&A Q15)."""


def round_state(uow: UnitOfWork, case_id: int, policy: ReviewPolicy) -> RoundState:
    """The current round of the case: complete when enough examiners stand in it, every one has submitted a
    record and none was invited before the case last entered material review; then its records, combined by
    the policy's rule, decide the case's next step."""
    repo = uow.review
    tasks = repo.tasks_of_case(case_id)
    number = current_round(tasks)
    standing = [t for t in tasks if t.round == number and TaskState(t.state) in STANDING]
    submitted = sum(1 for t in standing if TaskState(t.state) is TaskState.SUBMITTED)
    entered = repo.last_entry(case_id, Stage.MATERIAL_REVIEW.value)
    stale = entered is not None and any(t.invited_at < entered for t in standing)
    held = uow.verifications.open_count(case_id, number) > 0
    complete = len(standing) >= policy.examiners_per_case and submitted == len(standing) and not stale and not held
    decision = None
    if complete:
        records = [ReviewRecord.from_mapping(r.content) for r in repo.records(case_id, number)]
        decision = combine_records(records, policy)
    return RoundState(number, len(standing), submitted, policy.examiners_per_case, stale, decision, held)
