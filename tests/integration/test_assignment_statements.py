"""How many statements one examiner assignment sends: a small fixed number, whatever the size of the pool."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from capeval.models import Examiner, OutboxMessage, ReviewTask, ReviewTaskEvent
from capeval.services import review
from capeval.services.runtime import Runtime

from ..review_factories import case_in_review, load_review_society
from .test_handlers import rows

ACTOR = "王秘书"
STATEMENTS_PER_ASSIGNMENT = {"postgresql": 8, "sqlite": 8}
"""The case with its applicant, the calendar's fingerprint and the actor with their workgroup role, read
`FOR UPDATE` (SQLite: a write to the case's row first, to take the write lock, and the case's panel as it
stands in the same read; PostgreSQL: the case's tasks after the lock), one page of examiners with their
people, their conflict facts, then one insert each of tasks, task history and notices, and one load update."""


def bound(runtime: Runtime) -> int:
    return STATEMENTS_PER_ASSIGNMENT[runtime.engine.dialect.name]


@contextmanager
def counted(runtime: Runtime) -> Iterator[list[str]]:
    """The statements the runtime's engine sends inside the block."""
    sent: list[str] = []

    def seen(_c: object, _cursor: object, statement: str, _p: object, _ctx: object, _many: bool) -> None:
        sent.append(statement)

    sa.event.listen(runtime.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        sa.event.remove(runtime.engine, "before_cursor_execute", seen)


def test_one_assignment_sends_a_bounded_number_of_statements_with_one_insert_per_table(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1, 2], examiners=12)
    first, second = case_in_review(runtime, 1), case_in_review(runtime, 2)
    review.assign(runtime, first, ACTOR)  # warm: the calendar is read once per process
    with counted(runtime) as sent:
        invited = review.assign(runtime, second, ACTOR)
    assert len(invited) >= 2
    assert len(sent) <= bound(runtime), "\n".join(sent)
    inserts = [s.split()[2] for s in sent if s.lstrip().upper().startswith("INSERT")]
    assert sorted(inserts) == ["outbox_message", "review_task", "review_task_event"]
    tasks = [t for t in rows(runtime, ReviewTask) if t.application_id == second]
    assert sorted(t.examiner_id for t in tasks) == sorted(v.examiner_id for v in invited)
    assert all(t.version == 1 for t in tasks)
    history = {e.task_id for e in rows(runtime, ReviewTaskEvent)}
    assert {t.id for t in tasks} <= history
    notices = {m.dedupe_key for m in rows(runtime, OutboxMessage) if m.template == "review.invited"}
    assert {f"review_task:{t.id}:review.invited" for t in tasks} <= notices


def test_the_statement_count_does_not_grow_with_the_examiner_pool(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1, 2, 3], examiners=40)
    cases = [case_in_review(runtime, n) for n in (1, 2, 3)]
    review.assign(runtime, cases[0], ACTOR)
    counts = []
    for case_id in cases[1:]:
        with counted(runtime) as sent:
            review.assign(runtime, case_id, ACTOR)
        counts.append(len(sent))
    assert counts[0] == counts[1] <= bound(runtime)


def test_tasks_inserted_in_one_statement_stay_in_the_session_and_keep_their_version_check(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    case_id = case_in_review(runtime, 1)
    [first, *_] = review.assign(runtime, case_id, ACTOR)
    with runtime.unit_of_work() as uow:
        template = uow.review.task(first.task_id)
        assert template is not None
        others = [e.id for e in uow.session.exec(sa.select(Examiner)).scalars() if e.id != first.examiner_id]
        fresh = [
            ReviewTask(**{**template.model_dump(exclude={"id"}), "examiner_id": examiner, "round": 2})
            for examiner in others
        ]
        uow.review.add_tasks(fresh)
        assert all(t.id is not None and uow.review.task(t.id) is t for t in fresh)
        fresh[0].state = "accepted"
        uow.commit()
    with runtime.unit_of_work() as uow:
        moved = uow.review.task(fresh[0].id or 0)
        assert moved is not None and moved.state == "accepted" and moved.version == 2
