"""Shared pieces of the review services: joining the spine's handlers to an open transaction, task notices.

`joined(runtime, uow)` gives a runtime whose handlers (`services.handlers.take_action`, `add_supplement`)
write into the already-open unit of work instead of their own, so that a review record, the stage change it
causes, its history and its notices commit together or not at all.
"""

from __future__ import annotations

import copy
from datetime import datetime
from types import TracebackType
from typing import Any

from capeval.models import Examiner, Person, ReviewTask
from capeval.models.unit_of_work import UnitOfWork

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


def task_notice_key(task: ReviewTask, template: str, suffix: str = "") -> str:
    """The dedupe key of a notice about a review task."""
    return f"review_task:{task.id}:{template}{':' + suffix if suffix else ''}"


def queue_task_notice(
    uow: UnitOfWork,
    task: ReviewTask,
    examiner_person: Person,
    template: str,
    context: dict[str, Any],
    now: datetime,
    suffix: str = "",
) -> None:
    """Queue `template` for the examiner of `task`; the dedupe key makes it exist once."""
    uow.outbox.append(
        {
            "dedupe_key": task_notice_key(task, template, suffix),
            "template": template,
            "recipient_name": examiner_person.name,
            "recipient_email": examiner_person.email,
            "language": examiner_person.language,
            "context": {
                "case_id": task.application_id,
                "examiner_name": examiner_person.name,
                "task_id": task.id,
                "round": task.round,
                "due_on": task.due_on.isoformat(),
                **context,
            },
            "application_id": task.application_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "last_error": "",
        }
    )


def examiner_person(uow: UnitOfWork, examiner: Examiner) -> Person:
    person = uow.directory.person(examiner.person_id)
    assert person is not None
    return person
