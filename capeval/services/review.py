"""Examiner review services: declarations, conflict-free assignment, review tasks, records and rounds.

Every function is one transaction. When a review step moves the case (the last record of a round, a
supplement received, a committee decision), the spine's `take_action` runs inside the same transaction
(see `review_support.joined`), so stage, history, task changes and every notice commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from capeval.models import Application, Examiner, Person, ReviewRecordRow, ReviewTask
from capeval.models.case_context import ContextRead, KnownFacts
from capeval.models.review import DeclaredRelation, EmploymentRecord
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states.application import Action, Party, Stage
from capeval.states.authority import Actor, StaffRole, Sweep, require
from capeval.states.commands import AddSupplement, EvidenceRef, TakeAction
from capeval.states.conflicts import (
    Conflict,
    ConflictKind,
    Employment,
    Relation,
    RelationKind,
    conflicts_between,
    describe_conflicts,
)
from capeval.states.errors import DomainError, InputError, NotFoundError, NotPermitted
from capeval.states.events import ReviewTaskCancelled, ReviewTaskInvited
from capeval.states.evidence import CitedResolution, ReviewRoundDecided
from capeval.states.identity import id_number_digest
from capeval.states.levels import Level
from capeval.states.messages import Term
from capeval.states.review import OPEN_TASK_STATES, ReviewRecord, TaskAction, TaskParty, TaskState, advance_task

from . import deadlines, handlers
from .authority import case_actor, is_staff, person_acting
from .handlers import Outcome
from .identity_key import id_key
from .review_support import (
    STANDING,
    current_round,
    examiner_person,
    joined,
    round_state,
    task_actor,
    task_event,
)
from .runtime import Runtime

PAGE = 16
CANCELLING = frozenset({TaskAction.CANCEL, TaskAction.CANCEL_ORPHANED})
CLOSING = {TaskAction.DECLINE, TaskAction.EXPIRE, TaskAction.SUBMIT, TaskAction.REASSIGN, *CANCELLING}
NEVER_AGAIN = frozenset({TaskState.DECLINED, TaskState.EXPIRED, TaskState.REASSIGNED})
"""An examiner who declined, let an invitation expire or was taken off a case is never invited to it again."""
_NEVER_AGAIN_STATES = tuple(sorted(state.value for state in NEVER_AGAIN))
_STANDING_STATES = tuple(sorted(state.value for state in STANDING))
ASSIGN = "assign"
"""Inviting an examiner to a case (by load, or by name): the workgroup's step."""
BY_RULE = Actor.sweep(Sweep("review assignment rule"))
"""Who invites when capeval's rule does: a replacement by load for a declined invitation, the same
examiners again after a supplement or a referral back."""
COMMITTEE_ACTIONS = frozenset({Action.APPROVE, Action.REFER_BACK, Action.REJECT})
_INVERSE = {RelationKind.SUPERVISOR: RelationKind.STUDENT, RelationKind.STUDENT: RelationKind.SUPERVISOR}


@dataclass(frozen=True)
class TaskView:
    """A review task as the CLI and the demo show it."""

    task_id: int
    case_id: int
    examiner_id: int
    examiner_name: str
    round: int
    state: str
    respond_by: date
    due_on: date
    reason: str


# --- the examiner registry: employments and declared relations ------------------------------------------


def declare(runtime: Runtime, document: dict[str, Any], *, origin: str) -> tuple[int, int]:
    """Store employments and declared relations; people are named by ID number. Returns (employments, relations)."""
    now = runtime.clock.now()
    employments = document.get("employment", [])
    relations = document.get("relation", [])
    if not isinstance(employments, list) or not isinstance(relations, list):
        raise InputError("review_declaration_not_lists", origin=origin)
    with runtime.unit_of_work() as uow:
        repo, key = uow.review, id_key(runtime, uow)
        for n, item in enumerate(employments, 1):
            where = f"{origin}: employment #{n}"
            person = _person(uow, key, _text(item, "id_number", where), where)
            employer = _text(item, "employer", where)
            ended = _day(item.get("ended_on"), f"{where}: ended_on")
            row = repo.employment(person.id or 0, employer)
            if row is None:
                row = EmploymentRecord(person_id=person.id or 0, employer=employer)
                repo.add(row)
            row.ended_on = ended
        for n, item in enumerate(relations, 1):
            where = f"{origin}: relation #{n}"
            examiner = _person(uow, key, _text(item, "examiner_id_number", where), where)
            other = _person(uow, key, _text(item, "other_id_number", where), where)
            try:
                kind = RelationKind(_text(item, "kind", where))
            except ValueError:
                kinds = [k.value for k in RelationKind]
                raise InputError("review_declaration_kind_unknown", where=where, choices=kinds) from None
            relation_row = repo.relation(examiner.id or 0, other.id or 0, kind.value)
            if relation_row is None:
                relation_row = DeclaredRelation(
                    examiner_person_id=examiner.id or 0, other_person_id=other.id or 0, kind=kind.value, declared_at=now
                )
                repo.add(relation_row)
            relation_row.until = _day(item.get("until"), f"{where}: until")
            relation_row.note = str(item.get("note", ""))[:300]
        uow.commit()
    return len(employments), len(relations)


def _text(item: Any, key: str, where: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise InputError("review_declaration_field_missing", where=where, key=key)
    return value.strip()


def _day(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError("review_declaration_date", where=where, value=value) from None


def _person(uow: UnitOfWork, key: bytes, id_number: str, where: str) -> Person:
    person = uow.directory.person_by_digest(id_number_digest(id_number, key))
    if person is None or person.id is None:
        raise NotFoundError("review_declaration_person_unknown", where=where)
    return person


# --- conflicts and choosing examiners ------------------------------------------------------------------


def conflicts_for(
    uow: UnitOfWork, runtime: Runtime, applicant: Person, examiners: Sequence[Examiner]
) -> dict[int, list[Conflict]]:
    """Every conflict of each examiner (by examiner id) with the applicant, read in at most two statements."""
    repo = uow.review
    person_ids = [e.person_id for e in examiners]
    persons = repo.persons(person_ids)
    employments, declared = repo.conflict_facts(applicant.id or 0, person_ids)
    relations: dict[int, list[Relation]] = {pid: [] for pid in person_ids}
    for row in declared:
        kind = RelationKind(row.kind)
        if row.other_person_id == applicant.id:
            relations[row.examiner_person_id].append(Relation(kind, row.until, row.note))
        else:
            relations[row.other_person_id].append(Relation(_INVERSE.get(kind, kind), row.until, row.note))

    def jobs(person: Person | None, person_id: int) -> list[Employment]:
        current = [Employment(person.employer)] if person is not None and person.employer else []
        return current + [Employment(e.employer, e.ended_on) for e in employments.get(person_id, [])]

    today = runtime.today()
    return {
        e.id or 0: conflicts_between(
            examiner_person_id=e.person_id,
            applicant_person_id=applicant.id or 0,
            examiner_employments=jobs(persons.get(e.person_id), e.person_id),
            applicant_employments=jobs(applicant, applicant.id or 0),
            relations=relations[e.person_id],
            today=today,
            policy=runtime.review_policy,
        )
        for e in examiners
    }


def choose_examiners(
    uow: UnitOfWork, runtime: Runtime, case: Application, applicant: Person, count: int, excluded: set[int]
) -> list[Examiner]:
    """The `count` least-loaded active examiners of the case's society and field with no conflict.

    Pages through the load index; the cost follows how many examiners are skipped, not how many exist.
    """
    repo = uow.review
    chosen: list[Examiner] = []
    offset = 0
    while len(chosen) < count:
        page = repo.examiners_by_load(case.society_id, case.field_code, PAGE, offset)
        if not page:
            break
        offset += len(page)
        fresh = [
            e
            for e in page
            if e.id not in excluded
            and e.person_id != applicant.id
            and runtime.review_policy.may_examine(Level(e.level), Level(case.level))
        ]
        found = conflicts_for(uow, runtime, applicant, fresh)
        chosen += [e for e in fresh if not found[e.id or 0]][: count - len(chosen)]
    return chosen


def case_and_applicant(uow: UnitOfWork, case_id: int, *, lock: bool = False) -> tuple[Application, Person]:
    """The case and its applicant; with `lock` the case's row stays locked until the transaction ends."""
    context = uow.applications.context(case_id, lock=lock)
    if context is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    return context.case, context.person


def _excluded(tasks: Sequence[ReviewTask], round_number: int) -> set[int]:
    return {t.examiner_id for t in tasks if TaskState(t.state) in NEVER_AGAIN or t.round == round_number}


def _event(
    task: ReviewTask, previous: str | None, action: str, actor: Actor, reason: str, now: datetime
) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "from_state": previous,
        "to_state": task.state,
        "action": action,
        "actor": actor.label,
        "actor_id": actor.person_id,
        "reason": reason,
        "at": now,
    }


def _invite(
    uow: UnitOfWork,
    runtime: Runtime,
    case: Application,
    examiner: Examiner,
    round_number: int,
    actor: Actor,
    now: datetime,
) -> ReviewTask:
    [(task, _)] = _invite_all(uow, runtime, case, [examiner], round_number, actor, now)
    return task


def _invite_all(
    uow: UnitOfWork,
    runtime: Runtime,
    case: Application,
    examiners: Sequence[Examiner],
    round_number: int,
    actor: Actor,
    now: datetime,
) -> list[tuple[ReviewTask, str]]:
    """Invite every examiner at once: their history in one insert, one load update, the examiners' names
    and addresses in one read; each task with its examiner's name."""
    if not examiners:
        return []
    respond, due = deadlines.review_dates(uow, runtime, runtime.today())
    tasks = [
        ReviewTask(
            application_id=case.id or 0,
            examiner_id=examiner.id or 0,
            round=round_number,
            state=TaskState.INVITED.value,
            assigned_by=actor.label,
            invited_at=now,
            respond_by=respond.day,
            due_on=due.day,
            provisional=respond.provisional or due.provisional,
            basis=due.basis or respond.basis,
        )
        for examiner in examiners
    ]
    repo = uow.review
    repo.add_tasks(tasks)
    repo.append_events([_event(task, None, "invite", actor, "", now) for task in tasks])
    repo.add_load([examiner.id or 0 for examiner in examiners], assigned_at=now)
    people = repo.persons([examiner.person_id for examiner in examiners])
    details = {"field_code": case.field_code, "due_provisional": tasks[0].provisional}
    events = [
        task_event(
            ReviewTaskInvited,
            task,
            people[examiner.person_id],
            details={**details, "respond_by": task.respond_by.isoformat()},
        )
        for task, examiner in zip(tasks, examiners, strict=True)
    ]
    publish(uow, events, now)
    return [(task, people[examiner.person_id].name) for task, examiner in zip(tasks, examiners, strict=True)]


def _assignment_read(actor: str) -> ContextRead:
    """An assignment's case context read: the people `actor` names with whether each is on the society's
    workgroup (for `task_actor`), and the case's review panel as it stands (for `fill_panel`)."""
    return ContextRead(
        actor=actor.strip(),
        roles=((StaffRole.WORKGROUP.value, True),),
        standing_task_states=_STANDING_STATES,
        final_task_states=_NEVER_AGAIN_STATES,
    )


def _known_panel(known: KnownFacts) -> tuple[int, int, set[int]] | None:
    """(latest round, its standing tasks, examiners not to invite again) as the context read brought them,
    when it counted them as `_assignment_read` asks."""
    asked = known.asked
    if asked is None or (asked.standing_task_states, asked.final_task_states) != (
        _STANDING_STATES,
        _NEVER_AGAIN_STATES,
    ):
        return None
    if known.task_round is None or known.standing_tasks is None or known.examiners_excluded is None:
        return None
    return known.task_round, known.standing_tasks, set(known.examiners_excluded)


def fill_panel(
    uow: UnitOfWork,
    runtime: Runtime,
    case: Application,
    applicant: Person,
    actor: Actor,
    now: datetime,
    known: KnownFacts | None = None,
) -> list[tuple[ReviewTask, str]]:
    """Invite examiners by the assignment rule until the case's current round has its panel; the new tasks
    with the notice template each was invited by. `known` is the panel as the case context read brought it
    (`_assignment_read`); without it the case's tasks are read."""
    panel = _known_panel(known) if known is not None else None
    if panel is None:
        tasks = uow.review.tasks_of_case(case.id or 0)
        round_number = current_round(tasks)
        standing = sum(1 for t in tasks if t.round == round_number and TaskState(t.state) in STANDING)
        panel = round_number, standing, _excluded(tasks, round_number)
    round_number, standing, excluded = panel
    missing = runtime.review_policy.examiners_per_case - standing
    if missing <= 0:
        return []
    chosen = choose_examiners(uow, runtime, case, applicant, missing, excluded)
    return _invite_all(uow, runtime, case, chosen, round_number, actor, now)


def assign(runtime: Runtime, case_id: int, actor: str, examiner_id: int | None = None) -> list[TaskView]:
    """The workgroup of the case's society invites examiners to a case in material review: the one named,
    or as many as the policy wants by load.

    A named examiner with a conflict, of another society or field, or who declined this case, is refused
    with the reason.
    """
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        # the case stays locked: assignments to one case at once see each other's invitations
        context = uow.applications.context(case_id, lock=True, read=_assignment_read(actor))
        if context is None:
            raise NotFoundError("lookup_case_missing", case_id=case_id)
        case, applicant = context.case, context.person
        who = task_actor(uow, actor, case)
        uow.directory.forget_prefetched()
        require(who, TaskParty.WORKGROUP, ASSIGN)
        if Stage(case.stage) is not Stage.MATERIAL_REVIEW:
            raise DomainError("review_assign_wrong_stage", case_id=case_id, stage=case.stage)
        if examiner_id is None:
            invited = fill_panel(uow, runtime, case, applicant, who, now, context.known)
            if not invited:
                raise DomainError(
                    "review_assign_nobody",
                    case_id=case_id,
                    examiners=runtime.review_policy.examiners_per_case,
                    field=case.field_code,
                )
            views = [task_view(uow, task, name) for task, name in invited]
        else:
            views = [task_view(uow, _invite_named(uow, runtime, case, applicant, examiner_id, who, now))]
        uow.commit()
        return views


def _invite_named(
    uow: UnitOfWork,
    runtime: Runtime,
    case: Application,
    applicant: Person,
    examiner_id: int,
    actor: Actor,
    now: datetime,
) -> ReviewTask:
    examiner = check_examiner(uow, runtime, case, applicant, examiner_id)
    tasks = uow.review.tasks_of_case(case.id or 0)
    round_number = current_round(tasks)
    for task in tasks:
        if task.examiner_id == examiner_id and TaskState(task.state) in NEVER_AGAIN:
            raise DomainError("review_examiner_not_again", examiner_id=examiner_id, state=task.state, case_id=case.id)
        if task.examiner_id == examiner_id and task.round == round_number and TaskState(task.state) in STANDING:
            raise DomainError(
                "review_examiner_already_reviewing", examiner_id=examiner_id, case_id=case.id, task_id=task.id
            )
    return _invite(uow, runtime, case, examiner, round_number, actor, now)


def check_examiner(
    uow: UnitOfWork, runtime: Runtime, case: Application, applicant: Person, examiner_id: int
) -> Examiner:
    """The examiner, if they may examine this case; else the error naming why not (conflicts typed)."""
    examiner = uow.review.examiner(examiner_id)
    if examiner is None:
        raise NotFoundError("lookup_examiner_missing", examiner_id=examiner_id)
    if examiner.society_id != case.society_id or examiner.field_code != case.field_code:
        raise DomainError("review_examiner_other_society", examiner_id=examiner_id, field=case.field_code)
    if not examiner.active:
        raise DomainError("review_examiner_inactive", examiner_id=examiner_id)
    if not runtime.review_policy.may_examine(Level(examiner.level), Level(case.level)):
        raise DomainError(
            "review_examiner_level_too_low",
            examiner_id=examiner_id,
            examiner_level=Term(f"level_{examiner.level}"),
            applicant_level=Term(f"level_{case.level}"),
        )
    found = conflicts_for(uow, runtime, applicant, [examiner])[examiner_id]
    if found:
        raise DomainError(
            "review_examiner_conflict", examiner_id=examiner_id, case_id=case.id, conflicts=describe_conflicts(found)
        )
    return examiner


# --- review tasks ---------------------------------------------------------------------------------------


def move_task(uow: UnitOfWork, task: ReviewTask, action: TaskAction, actor: Actor, reason: str, now: datetime) -> None:
    """Take `action` on the task through its workflow, with its history row."""
    move = advance_task(TaskState(task.state), action, reason, actor)
    previous = task.state
    task.state = move.dest.value
    task.reason = reason or task.reason
    if action in CLOSING:
        task.closed_at = now
        uow.review.change_load(task.examiner_id, -1)
    uow.review.append_event(_event(task, previous, action.value, actor, reason, now))
    if action in CANCELLING:
        examiner = uow.review.examiner(task.examiner_id)
        assert examiner is not None
        cancelled = task_event(ReviewTaskCancelled, task, examiner_person(uow, examiner), details={"reason": reason})
        publish(uow, [cancelled], now)


def load_task(uow: UnitOfWork, task_id: int, examiner_id: int | None) -> ReviewTask:
    """The task, or NotFoundError; with `examiner_id`, only that examiner's own task."""
    task = uow.review.task(task_id)
    if task is None:
        raise NotFoundError("lookup_review_task_missing", task_id=task_id)
    if examiner_id is not None and task.examiner_id != examiner_id:
        raise DomainError(
            "review_task_other_examiner", task_id=task_id, owner=task.examiner_id, examiner_id=examiner_id
        )
    return task


def act_on_task(
    runtime: Runtime,
    task_id: int,
    action: TaskAction,
    actor: str | Sweep,
    reason: str = "",
    *,
    examiner_id: int | None = None,
    replacement_id: int | None = None,
) -> list[TaskView]:
    """Accept or decline (the task's examiner), reassign or cancel (the workgroup of the case's society),
    expire (the sweep); a declined, expired or reassigned task is replaced.

    `examiner_id`, when given, must be the task's examiner (a cross-check; the actor decides). Only the
    workgroup names a replacement; otherwise one is chosen by load. Returns the task and any replacement
    invited in the same transaction.
    """
    if action is TaskAction.SUBMIT:
        raise InputError("review_task_submitted_with_record")
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        task = load_task(uow, task_id, examiner_id)
        uow.review.lock_case(task.application_id)
        uow.refresh(task)
        case, applicant = case_and_applicant(uow, task.application_id)
        who = task_actor(uow, actor, case, task)
        if replacement_id is not None:
            require(who, TaskParty.WORKGROUP, ASSIGN)
        move_task(uow, task, action, who, reason, now)
        touched = [task]
        if action in (TaskAction.DECLINE, TaskAction.EXPIRE, TaskAction.REASSIGN):
            inviter = who if who.may(TaskParty.WORKGROUP) or who.may(TaskParty.SYSTEM) else BY_RULE
            if Stage(case.stage) is Stage.MATERIAL_REVIEW:
                if replacement_id is not None:
                    touched.append(_invite_named(uow, runtime, case, applicant, replacement_id, who, now))
                else:
                    touched += [task for task, _ in fill_panel(uow, runtime, case, applicant, inviter, now)]
        uow.commit()
        return [task_view(uow, t) for t in touched]


def submit_record(
    runtime: Runtime, task_id: int, record: ReviewRecord, actor: str, *, examiner_id: int | None = None
) -> tuple[TaskView, Outcome | None]:
    """The task's examiner stores their record; when it completes the round, the combined decision moves
    the case in the same transaction."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        task = load_task(uow, task_id, examiner_id)
        uow.review.lock_case(task.application_id)
        uow.refresh(task)
        case, _ = case_and_applicant(uow, task.application_id)
        who = task_actor(uow, actor, case, task)
        require(who, TaskParty.EXAMINER, TaskAction.SUBMIT)
        if Stage(case.stage) is not Stage.MATERIAL_REVIEW:
            raise DomainError("review_record_wrong_stage", case_id=case.id, stage=case.stage)
        move_task(uow, task, TaskAction.SUBMIT, who, "", now)
        uow.review.add(
            ReviewRecordRow(
                task_id=task.id or 0,
                application_id=task.application_id,
                round=task.round,
                recommendation=record.recommendation.value,
                content=record.to_mapping(),
                submitted_at=now,
            )
        )
        uow.flush()
        outcome = _conclude(uow, runtime, case)
        uow.commit()
        return task_view(uow, task), outcome


def _conclude(uow: UnitOfWork, runtime: Runtime, case: Application) -> Outcome | None:
    """Move the case as its complete round decides, citing the round; None while the round is incomplete."""
    state = round_state(uow, case.id or 0, runtime.review_policy)
    if state.decision is None:
        return None
    round_tasks = [t for t in uow.review.tasks_of_case(case.id or 0) if t.round == state.round]
    order = TakeAction(
        case.id or 0,
        state.decision.action,
        _completing_examiner(uow, round_tasks),
        state.decision.reason,
        basis=ReviewRoundDecided(state.round),
    )
    return handlers.take_action(joined(runtime, uow), order)


def conclude_in(uow: UnitOfWork, runtime: Runtime, case: Application) -> Outcome | None:
    """`_conclude` inside the caller's unit of work (a verification's outcome lets a held round decide)."""
    return _conclude(uow, runtime, case)


def _completing_examiner(uow: UnitOfWork, round_tasks: Sequence[ReviewTask]) -> str:
    """The username of the examiner whose record completed the round: the case moves in their name."""
    submitted = [task for task in round_tasks if task.state == TaskState.SUBMITTED.value]
    last = max(submitted, key=lambda task: (task.closed_at or task.invited_at, task.id or 0))
    examiner = uow.review.examiner(last.examiner_id)
    person = uow.directory.person(examiner.person_id) if examiner is not None else None
    assert person is not None
    return person.username


def _reviewing_party(uow: UnitOfWork, actor: str, case: Application, today: date) -> None:
    """Refuse unless `actor` is of the workgroup of the case's society or an examiner assigned to the case."""
    context = uow.applications.context(case.id or 0)
    assert context is not None
    who = case_actor(uow, actor, context, today, {Party.WORKGROUP, Party.EXAMINERS})
    if not (who.may(Party.WORKGROUP) or who.may(Party.EXAMINERS)):
        raise NotPermitted("review_case_tasks_hidden", actor=who.name, case_id=case.id)


def conclude(runtime: Runtime, case_id: int, actor: str) -> Outcome | None:
    """Apply the combine rule to a complete round that has not moved the case yet (safe to repeat).

    Asked by the workgroup of the case's society or an examiner of the case; the case moves in the name of
    the examiner whose record completed the round.
    """
    with runtime.unit_of_work() as uow:
        case, _ = case_and_applicant(uow, case_id, lock=True)
        _reviewing_party(uow, actor, case, runtime.today())
        if Stage(case.stage) is not Stage.MATERIAL_REVIEW:
            return None
        outcome = _conclude(uow, runtime, case)
        uow.commit()
        return outcome


def open_next_round(uow: UnitOfWork, runtime: Runtime, case: Application, now: datetime) -> list[ReviewTask]:
    """After a supplement (or a committee's referral back) the same examiners review again in a new round.

    capeval's rule invites them (`BY_RULE`); an examiner no longer active, or now in conflict, is replaced
    by the usual choice.
    """
    repo = uow.review
    tasks = repo.tasks_of_case(case.id or 0)
    if not tasks:
        return []
    round_number = current_round(tasks)
    reviewers = [t.examiner_id for t in tasks if t.round == round_number and t.state == TaskState.SUBMITTED.value]
    created = []
    _, applicant = case_and_applicant(uow, case.id or 0)
    for examiner_id in reviewers:
        examiner = repo.examiner(examiner_id)
        if examiner is None or not examiner.active or conflicts_for(uow, runtime, applicant, [examiner])[examiner_id]:
            continue
        created.append(_invite(uow, runtime, case, examiner, round_number + 1, BY_RULE, now))
    uow.flush()
    return created + [task for task, _ in fill_panel(uow, runtime, case, applicant, BY_RULE, now)]


def provide_supplement(
    runtime: Runtime, case_id: int, actor: str, evidence: tuple[EvidenceRef, ...]
) -> tuple[Outcome, list[TaskView]]:
    """The applicant sends the requested material: stored (every version kept), the case returns to material
    review and the same examiners are invited to review again, all in one transaction."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        inner = joined(runtime, uow)
        handlers.add_supplement(inner, AddSupplement(case_id, actor, evidence))
        outcome = handlers.take_action(inner, TakeAction(case_id, Action.PROVIDE_SUPPLEMENT, actor))
        case, _ = case_and_applicant(uow, case_id)
        uow.refresh(case)
        created = open_next_round(uow, runtime, case, now)
        uow.commit()
        return outcome, [task_view(uow, t) for t in created]


def committee_decision(
    runtime: Runtime, case_id: int, action: Action, actor: str, resolution: str, reason: str = ""
) -> Outcome:
    """A member of the review committee records its decision on a case, citing the committee's resolution
    that decided it: approve, refer back (the examiners review again) or reject (Charter art. 9, 31)."""
    if action not in COMMITTEE_ACTIONS:
        raise InputError("review_committee_action_unknown")
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        order = TakeAction(case_id, action, actor, reason, basis=CitedResolution(resolution.strip()))
        outcome = handlers.take_action(joined(runtime, uow), order)
        if action is Action.REFER_BACK:
            case, _ = case_and_applicant(uow, case_id)
            uow.refresh(case)
            open_next_round(uow, runtime, case, now)
        uow.commit()
        return outcome


# --- views ----------------------------------------------------------------------------------------------


def task_view(uow: UnitOfWork, task: ReviewTask, examiner_name: str | None = None) -> TaskView:
    """What a task shows to its reader."""
    assert task.id is not None
    if examiner_name is None:
        examiner = uow.review.examiner(task.examiner_id)
        assert examiner is not None
        examiner_name = examiner_person(uow, examiner).name
    return TaskView(
        task.id,
        task.application_id,
        task.examiner_id,
        examiner_name,
        task.round,
        task.state,
        task.respond_by,
        task.due_on,
        task.reason,
    )


def tasks_of_case(runtime: Runtime, case_id: int, actor: str) -> list[TaskView]:
    """Every review task of a case, oldest first: for the workgroup of its society and its examiners."""
    with runtime.unit_of_work() as uow:
        case, _ = case_and_applicant(uow, case_id)
        _reviewing_party(uow, actor, case, runtime.today())
        return [task_view(uow, t) for t in uow.review.tasks_of_case(case_id)]


def inbox(runtime: Runtime, actor: str, examiner_id: int | None = None, *, open_only: bool = True) -> list[TaskView]:
    """The tasks of the examiner `actor` is, soonest due first (only open ones unless asked).

    With `examiner_id`, that examiner's inbox: their own, or one the workgroup of the examiner's society
    looks at; anyone else is refused.
    """
    with runtime.unit_of_work() as uow:
        person = person_acting(uow, actor)
        assert person.id is not None
        own = [e.id or 0 for e in uow.review.examiner_roles(person.id)]
        if examiner_id is None:
            if not own:
                raise NotPermitted("review_inbox_not_an_examiner", actor=person.name)
            shown = own
        else:
            examiner = uow.review.examiner(examiner_id)
            if examiner is None:
                raise NotFoundError("lookup_examiner_missing", examiner_id=examiner_id)
            if examiner_id not in own and not is_staff(uow, person, StaffRole.WORKGROUP, examiner.society_id):
                raise NotPermitted("review_inbox_of_another", actor=person.name, examiner_id=examiner_id)
            shown = [examiner_id]
        states = [s.value for s in OPEN_TASK_STATES] if open_only else []
        return [task_view(uow, t) for t in uow.review.inbox(shown, states)]


def examiners(runtime: Runtime, society_code: str, field_code: str | None = None) -> list[dict[str, Any]]:
    """The examiner registry of a society with level, employer and load."""
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code)
        if society is None or society.id is None:
            raise NotFoundError("lookup_society_missing", code=society_code)
        fields = [field_code] if field_code else [f.code for f in uow.directory.fields()]
        rows = []
        for code in fields:
            for examiner in uow.directory.examiners(society.id, code):
                person = examiner_person(uow, examiner)
                rows.append(
                    {
                        "examiner_id": examiner.id,
                        "name": person.name,
                        "field": examiner.field_code,
                        "level": examiner.level,
                        "employer": person.employer,
                        "active": examiner.active,
                        "open_tasks": examiner.open_tasks,
                    }
                )
        return rows


__all__ = [
    "ConflictKind",
    "TaskView",
    "act_on_task",
    "assign",
    "check_examiner",
    "committee_decision",
    "conclude",
    "conflicts_for",
    "declare",
    "examiners",
    "inbox",
    "provide_supplement",
    "submit_record",
    "tasks_of_case",
]
