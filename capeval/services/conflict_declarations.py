"""An examiner declares a conflict of interest on an invited task: the relation is recorded, the task is
declined with the declaration as its reason and a conflict-free examiner is invited in its place."""

from __future__ import annotations

from capeval.models.review import DeclaredRelation
from capeval.states.application import Stage
from capeval.states.conflicts import RelationKind
from capeval.states.errors import InputError, NotFoundError
from capeval.states.review import TaskAction

from . import review
from .review_support import task_actor
from .runtime import Runtime

NOTE_LIMIT = 300
"""The longest note a declaration keeps (the column of `DeclaredRelation.note`)."""


def relation_kind(value: str) -> RelationKind:
    """The declared relation named by `value`; InputError listing the choices otherwise."""
    try:
        return RelationKind(value.strip())
    except ValueError:
        choices = ", ".join(k.value for k in RelationKind)
        raise InputError("review_declaration_kind_unknown", where="conflict declaration", choices=choices) from None


def declare_conflict(
    runtime: Runtime, task_id: int, actor: str, kind: RelationKind, note: str = "", *, examiner_id: int | None = None
) -> list[review.TaskView]:
    """The task's examiner declares `kind` towards the applicant (kept for later assignments, also of
    other cases), and the invited task is declined and replaced in the same transaction.

    Only the task's own examiner may, and only while it is invited (the task workflow refuses otherwise);
    a note longer than `NOTE_LIMIT` is refused. Returns the declined task and any replacement.
    """
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise InputError("text_too_long", where="conflict declaration: note", length=len(note), limit=NOTE_LIMIT)
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        task = review.load_task(uow, task_id, examiner_id)
        uow.review.lock_case(task.application_id)
        uow.refresh(task)
        case, applicant = review.case_and_applicant(uow, task.application_id)
        who = task_actor(uow, actor, case, task)
        examiner = uow.review.examiner(task.examiner_id)
        if examiner is None:
            raise NotFoundError("lookup_review_task_missing", task_id=task_id)
        reason = f"conflict of interest declared: {kind.value}" + (f" ({note})" if note else "")
        review.move_task(uow, task, TaskAction.DECLINE, who, reason, now)
        row = uow.review.relation(examiner.person_id, applicant.id or 0, kind.value)
        if row is None:
            row = DeclaredRelation(
                examiner_person_id=examiner.person_id,
                other_person_id=applicant.id or 0,
                kind=kind.value,
                declared_at=now,
            )
            uow.review.add(row)
        row.note = note
        touched = [task]
        if Stage(case.stage) is Stage.MATERIAL_REVIEW:
            touched += [t for t, _ in review.fill_panel(uow, runtime, case, applicant, review.BY_RULE, now)]
        uow.commit()
        return [review.task_view(uow, t) for t in touched]
