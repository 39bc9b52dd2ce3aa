"""Shared pieces of the review services: joining the spine's handlers to an open transaction, task notices.

`joined(runtime, uow)` gives a runtime whose handlers (`services.handlers.take_action`, `add_supplement`)
write into the already-open unit of work instead of their own, so that a review record, the stage change it
causes, its history and its notices commit together or not at all.
"""

from __future__ import annotations

import copy
from types import TracebackType
from typing import Any, TypeVar

from capeval.models import Examiner, Person, ReviewTask
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.events import Recipient, ReviewTaskEvent

from .runtime import Runtime


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
