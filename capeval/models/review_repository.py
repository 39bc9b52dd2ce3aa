"""Queries of examiner review. Like every repository it never commits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple, cast

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, func, select

from .case_context import take_prefetched
from .cases import Application, StageHistory
from .directory import Examiner, Person, StaffAssignment
from .review import (
    DeclaredRelation,
    EmploymentRecord,
    Interview,
    InterviewPanelist,
    ReviewRecordRow,
    ReviewTask,
    ReviewTaskEvent,
)
from .tables import table_of

_APPLICATION = table_of(Application)
_EXAMINER = table_of(Examiner)
_TASK = table_of(ReviewTask)
_EMPLOYMENT = table_of(EmploymentRecord)
_RELATION = table_of(DeclaredRelation)


class EmploymentFact(NamedTuple):
    """One employment of a person, as conflict checks read it."""

    person_id: int
    employer: str
    ended_on: date | None


class RelationFact(NamedTuple):
    """One declared relation, as conflict checks read it."""

    examiner_person_id: int
    other_person_id: int
    kind: str
    until: date | None
    note: str


def _ties(applicant_id: int, examiner_person_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """Relations declared by these examiners towards the applicant, or by the applicant towards them."""
    return sa.or_(
        sa.and_(_RELATION.c.other_person_id == applicant_id, _RELATION.c.examiner_person_id.in_(examiner_person_ids)),
        sa.and_(_RELATION.c.examiner_person_id == applicant_id, _RELATION.c.other_person_id.in_(examiner_person_ids)),
    )


class ReviewRepository:
    """Examiners' load, conflicts data, review tasks and records, interviews."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._people: dict[int, Person] = {}
        """The people read with examiners in this unit of work, so `persons` need not read them again."""

    def add(self, row: object) -> None:
        self.session.add(row)

    def examiner(self, examiner_id: int) -> Examiner | None:
        return self.session.get(Examiner, examiner_id)

    def examiner_roles(self, person_id: int) -> Sequence[Examiner]:
        """Every examiner row of one person (one per society and field they examine in)."""
        query = select(Examiner).where(Examiner.person_id == person_id).order_by(col(Examiner.id))
        return self.session.exec(query).all()

    def examiners_by_load(self, society_id: int, field_code: str, limit: int, offset: int) -> Sequence[Examiner]:
        """Active examiners of a society and field, fewest open tasks first, then longest since assigned.

        Walks the `ix_examiner_load` index in order, so a page costs the same however many examiners exist.
        Their people come in the same statement and are kept, so `persons` does not read them again.
        """
        query = (
            select(Examiner, Person)
            .join(Person, col(Person.id) == col(Examiner.person_id))
            .where(Examiner.society_id == society_id, Examiner.field_code == field_code, Examiner.active == sa.true())
            .order_by(col(Examiner.open_tasks), col(Examiner.last_assigned_at), col(Examiner.id))
            .limit(limit)
            .offset(offset)
        )
        page = self.session.exec(query).all()
        self._people.update({person.id: person for _examiner, person in page if person.id is not None})
        return [examiner for examiner, _person in page]

    def change_load(self, examiner_id: int, delta: int, assigned_at: datetime | None = None) -> None:
        """Add `delta` open tasks to an examiner (and stamp the assignment time), in one UPDATE."""
        values: dict[str, object] = {"open_tasks": sa.func.max(_EXAMINER.c.open_tasks + delta, 0)}
        if self.session.get_bind().dialect.name != "sqlite":
            values["open_tasks"] = sa.func.greatest(_EXAMINER.c.open_tasks + delta, 0)
        if assigned_at is not None:
            values["last_assigned_at"] = assigned_at
        self.session.execute(sa.update(_EXAMINER).where(_EXAMINER.c.id == examiner_id).values(**values))

    def add_load(self, examiner_ids: Sequence[int], assigned_at: datetime) -> None:
        """One more open task for each of these examiners, stamped with the assignment time, in one UPDATE."""
        if examiner_ids:
            query = sa.update(_EXAMINER).where(_EXAMINER.c.id.in_(examiner_ids))
            self.session.execute(query.values(open_tasks=_EXAMINER.c.open_tasks + 1, last_assigned_at=assigned_at))

    def persons(self, person_ids: Sequence[int]) -> dict[int, Person]:
        """These people by id; those read with examiners already are not read again."""
        found = {person_id: self._people[person_id] for person_id in person_ids if person_id in self._people}
        missing = [person_id for person_id in person_ids if person_id not in found]
        if missing:
            rows = self.session.exec(select(Person).where(col(Person.id).in_(missing))).all()
            found.update({p.id: p for p in rows if p.id is not None})
        return found

    def employments(self, person_ids: Sequence[int]) -> dict[int, list[EmploymentRecord]]:
        found: dict[int, list[EmploymentRecord]] = defaultdict(list)
        if person_ids:
            query = select(EmploymentRecord).where(col(EmploymentRecord.person_id).in_(person_ids))
            for row in self.session.exec(query).all():
                found[row.person_id].append(row)
        return found

    def relations_with(self, applicant_id: int, examiner_person_ids: Sequence[int]) -> Sequence[DeclaredRelation]:
        """Relations declared by these examiners towards the applicant, or by the applicant towards them."""
        if not examiner_person_ids:
            return []
        return self.session.exec(select(DeclaredRelation).where(_ties(applicant_id, examiner_person_ids))).all()

    def conflict_facts(
        self, applicant_id: int, examiner_person_ids: Sequence[int]
    ) -> tuple[dict[int, list[EmploymentFact]], list[RelationFact]]:
        """The employments of these examiners and the applicant, and the relations declared between the
        applicant and them (either way round), in one statement."""
        if not examiner_person_ids:
            return {}, []
        people = [*examiner_person_ids, applicant_id]
        jobs = sa.select(
            sa.literal("employment").label("fact"),
            _EMPLOYMENT.c.person_id.label("first"),
            sa.cast(sa.null(), sa.Integer).label("second"),
            _EMPLOYMENT.c.employer.label("text"),
            _EMPLOYMENT.c.ended_on.label("day"),
            sa.literal("").label("note"),
        ).where(_EMPLOYMENT.c.person_id.in_(people))
        ties = sa.select(
            sa.literal("relation"),
            _RELATION.c.examiner_person_id,
            _RELATION.c.other_person_id,
            _RELATION.c.kind,
            _RELATION.c.until,
            _RELATION.c.note,
        ).where(_ties(applicant_id, examiner_person_ids))
        employments: dict[int, list[EmploymentFact]] = defaultdict(list)
        relations: list[RelationFact] = []
        for fact, first, second, text, day, note in self.session.execute(sa.union_all(jobs, ties)).all():
            if fact == "employment":
                employments[first].append(EmploymentFact(first, text, day))
            else:
                relations.append(RelationFact(first, second, text, day, note))
        return employments, relations

    def relation(self, examiner_person_id: int, other_person_id: int, kind: str) -> DeclaredRelation | None:
        query = select(DeclaredRelation).where(
            DeclaredRelation.examiner_person_id == examiner_person_id,
            DeclaredRelation.other_person_id == other_person_id,
            DeclaredRelation.kind == kind,
        )
        return self.session.exec(query).first()

    def employment(self, person_id: int, employer: str) -> EmploymentRecord | None:
        query = select(EmploymentRecord).where(
            EmploymentRecord.person_id == person_id, EmploymentRecord.employer == employer
        )
        return self.session.exec(query).first()

    def people_holding(self, who: str, role: str, society_id: int) -> Sequence[tuple[Person, bool]]:
        """The people whose username or name is `who`, each with whether they hold staff `role` for the
        society, in one statement (none when the case context read of this command brought them)."""
        known, holding = take_prefetched(self.session, ("people_holding", who, role, society_id))
        if known:
            return cast("list[tuple[Person, bool]]", holding)
        holds = (
            sa.select(col(StaffAssignment.id))
            .where(
                col(StaffAssignment.person_id) == col(Person.id),
                col(StaffAssignment.role) == role,
                col(StaffAssignment.society_id) == society_id,
            )
            .exists()
        )
        query = select(Person, holds).where(sa.or_(col(Person.username) == who, col(Person.name) == who))
        return [(person, bool(held)) for person, held in self.session.exec(query.order_by(col(Person.id))).all()]

    def lock_case(self, case_id: int) -> None:
        """Lock a case's row until the transaction ends: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite a
        write to the row, which takes the database's one write lock before anything else is read.

        Two examiners submitting the last two records of a round at once then see each other's record, and
        two assignments to one case at once count each other's invitations.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                sa.update(_APPLICATION).where(_APPLICATION.c.id == case_id).values(id=_APPLICATION.c.id)
            )
            return
        self.session.execute(sa.select(col(Application.id)).where(col(Application.id) == case_id).with_for_update())

    def task(self, task_id: int) -> ReviewTask | None:
        return self.session.get(ReviewTask, task_id)

    def add_tasks(self, tasks: Sequence[ReviewTask]) -> None:
        """Insert new tasks in one statement (the ORM would send one per task, since the version column
        turns its batching off); each gets its id and stays in the session as if loaded."""
        if not tasks:
            return
        columns = [c for c in _TASK.columns if c.name != "id"]
        rows = [{c.name: getattr(task, c.name) for c in columns} for task in tasks]
        statement = sa.insert(_TASK).values(rows).returning(_TASK.c.id, _TASK.c.examiner_id, _TASK.c.round)
        ids = {(examiner, round_number): task_id for task_id, examiner, round_number in self.session.execute(statement)}
        for task in tasks:
            task.id = ids[(task.examiner_id, task.round)]
            make_transient_to_detached(task)
            self.session.add(task)

    def tasks_of_case(self, case_id: int) -> Sequence[ReviewTask]:
        query = select(ReviewTask).where(ReviewTask.application_id == case_id).order_by(col(ReviewTask.id))
        return self.session.exec(query).all()

    def inbox(self, examiner_ids: Sequence[int], states: Sequence[str]) -> Sequence[ReviewTask]:
        query = select(ReviewTask).where(col(ReviewTask.examiner_id).in_(examiner_ids))
        if states:
            query = query.where(col(ReviewTask.state).in_(states))
        return self.session.exec(query.order_by(col(ReviewTask.due_on), col(ReviewTask.id))).all()

    def append_event(self, values: dict[str, object]) -> None:
        self.session.execute(sa.insert(table_of(ReviewTaskEvent)), [values])

    def append_events(self, rows: Sequence[dict[str, object]]) -> None:
        """Several task history lines in one statement."""
        if rows:
            self.session.execute(sa.insert(table_of(ReviewTaskEvent)), list(rows))

    def records(self, case_id: int, round_number: int | None = None) -> Sequence[ReviewRecordRow]:
        query = select(ReviewRecordRow).where(ReviewRecordRow.application_id == case_id)
        if round_number is not None:
            query = query.where(ReviewRecordRow.round == round_number)
        return self.session.exec(query.order_by(col(ReviewRecordRow.id))).all()

    def last_entry(self, case_id: int, stage: str) -> datetime | None:
        """When the case last entered `stage` (from its stage history)."""
        query = (
            select(StageHistory.at)
            .where(StageHistory.application_id == case_id, StageHistory.to_stage == stage)
            .order_by(col(StageHistory.id).desc())
        )
        return self.session.exec(query).first()

    def due_tasks(
        self, state: str, on_or_before: date, after_id: int, limit: int, ids: tuple[int, int] | None = None
    ) -> Sequence[ReviewTask]:
        """Tasks in `state` whose relevant date (respond-by for invitations, else due) is on or before a day;
        `ids` (low, high, both included) keeps one key range of task ids."""
        column = ReviewTask.respond_by if state == "invited" else ReviewTask.due_on
        query = (
            select(ReviewTask)
            .where(
                ReviewTask.state == state,
                col(column) <= on_or_before,
                col(ReviewTask.id) > after_id,
                col(ReviewTask.paused_on).is_(None),
            )
            .order_by(col(ReviewTask.id))
            .limit(limit)
        )
        if ids is not None:
            query = query.where(col(ReviewTask.id) >= ids[0], col(ReviewTask.id) <= ids[1])
        return self.session.exec(query).all()

    def task_id_bounds(self) -> tuple[int, int] | None:
        """The lowest and highest review task id; None without tasks."""
        low, high = self.session.exec(select(func.min(ReviewTask.id), func.max(ReviewTask.id))).one()
        return None if low is None or high is None else (int(low), int(high))

    def orphaned_tasks(
        self, open_states: Sequence[str], after_id: int, limit: int, ids: tuple[int, int] | None = None
    ) -> Sequence[ReviewTask]:
        """Open tasks whose case has left material review (withdrawn, disqualified, decided meanwhile)."""
        query = (
            select(ReviewTask)
            .join(Application, col(Application.id) == col(ReviewTask.application_id))
            .where(
                col(ReviewTask.state).in_(open_states),
                Application.stage != "material_review",
                col(ReviewTask.id) > after_id,
                col(ReviewTask.paused_on).is_(None),
            )
            .order_by(col(ReviewTask.id))
            .limit(limit)
        )
        if ids is not None:
            query = query.where(col(ReviewTask.id) >= ids[0], col(ReviewTask.id) <= ids[1])
        return self.session.exec(query).all()

    def interview(self, interview_id: int) -> Interview | None:
        return self.session.get(Interview, interview_id)

    def interviews_of_case(self, case_id: int) -> Sequence[Interview]:
        query = select(Interview).where(Interview.application_id == case_id).order_by(col(Interview.id))
        return self.session.exec(query).all()

    def panel(self, interview_id: int) -> Sequence[InterviewPanelist]:
        query = (
            select(InterviewPanelist)
            .where(InterviewPanelist.interview_id == interview_id)
            .order_by(col(InterviewPanelist.id))
        )
        return self.session.exec(query).all()
