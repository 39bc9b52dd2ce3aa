"""The case context: a case with everything that is one row per case, and what a command needs besides, in one read.

A command asks (`ContextRead`) for the people its actor's name may mean, the staff roles they hold and a few
facts of its guards as aggregates of the same statement; the answers about people and roles are kept in the
session for the directory's next lookup of exactly that question (`take_prefetched`), which then sends
nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import aliased, class_mapper
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session, col, func

from .batches import EvaluationBatch
from .calendar import CalendarSchedule
from .cases import Application, EvidenceItem
from .directory import Person, Society, SocietyField, SocietyMembership, StaffAssignment
from .registry import Certificate, LifetimeBan
from .review import ReviewTask
from .tables import table_of


@dataclass(frozen=True)
class ContextRead:
    """What a command's context read brings besides the case (each part only when asked for)."""

    actor: str | None = None
    """The text naming the acting person: the people whose username or name it is come in the same read."""
    roles: tuple[tuple[str, bool], ...] = ()
    """Staff roles looked up for each of those people: (role, True for the case's society, False for the
    federation)."""
    evidence_kinds: bool = False
    other_stages: tuple[str, ...] = ()
    field_stages: tuple[str, ...] = ()
    certificate_statuses: tuple[str, ...] = ()
    declared_batches: bool = False
    standing_task_states: tuple[str, ...] = ()
    """With these, the case's review panel as it stands: its latest round, how many of the round's tasks are
    in these states, and the examiners not to invite again (a task in `final_task_states` or in the round)."""
    final_task_states: tuple[str, ...] = ()
    detached: bool = False
    """The rows as plain copies outside the session (`Detached`), for a command that only reads them: the
    same statement, without the ORM's loading of eight objects into the session."""

    def shape(self) -> ContextRead:
        """The same read without the actor's text (which is a parameter of the statement, not its form)."""
        return replace(self, actor=None if self.actor is None else "")


class KnownFacts(NamedTuple):
    """Facts of the case its command looks at that its context read brought (None: not asked for), and what
    was asked."""

    asked: ContextRead | None = None
    evidence_kinds: frozenset[str] | None = None
    """The kinds of the case's evidence."""
    other_cases: int | None = None
    """How many other cases of the applicant are in `ContextRead.other_stages`."""
    other_cases_in_field: int | None = None
    """How many other cases of the applicant in the case's field are in `ContextRead.field_stages`."""
    certificates_in_field: int | None = None
    """How many certificates of the applicant in the case's field are in `ContextRead.certificate_statuses`."""
    declared_batches: int | None = None
    """How many evaluation batches the case's society declares."""
    task_round: int | None = None
    """The case's latest review round (1 before any task)."""
    standing_tasks: int | None = None
    """How many tasks of that round are in `ContextRead.standing_task_states`."""
    examiners_excluded: frozenset[int] | None = None
    """The examiners with a task of the case in `ContextRead.final_task_states` or in its latest round."""


class CaseContext(NamedTuple):
    """A case with everything its guards and notices need that is one row per case, read in one query."""

    case: Application
    person: Person
    society: Society
    authorization: SocietyField | None
    membership: SocietyMembership | None
    ban: LifetimeBan | None
    active_certificate: Certificate | None
    known: KnownFacts = KnownFacts()


PLAIN = ContextRead()
Model = TypeVar("Model")


class Detached(Generic[Model]):
    """Copies of one table's rows built from a Core row's columns: instances of its model outside any session
    (no identity map, no change tracking), to be read, not written through."""

    def __init__(self, model: type[Model]) -> None:
        mapper = class_mapper(model)
        self._manager = manager_of_class(model)
        self.keys = tuple(mapper.columns.keys())
        self.width = len(self.keys)
        self._key_at = self.keys.index(mapper.get_property_by_column(mapper.primary_key[0]).key)

    def make(self, values: Sequence[Any]) -> Model | None:
        """The row of these column values; None for the empty side of an outer join."""
        if values[self._key_at] is None:
            return None
        row: Model = self._manager.new_instance()
        row.__dict__.update(zip(self.keys, values, strict=True))
        return row


_CONTEXT_ROWS = tuple(
    Detached(model)
    for model in (Application, Person, Society, SocietyField, SocietyMembership, LifetimeBan, Certificate)
)
_ACTOR_ROWS = Detached(Person)
_ACTOR_TABLE = table_of(Person).alias("actor")
_ACTOR = aliased(Person, _ACTOR_TABLE)
_APPLICATION = table_of(Application)
_EVIDENCE_SEPARATOR = "\x1f"
TOUCH_CASE = sa.update(_APPLICATION).where(_APPLICATION.c.id == sa.bindparam("case_id")).values(id=_APPLICATION.c.id)
"""A write that changes nothing: on SQLite it takes the database's write lock before the case is read."""

_CASE_CONTEXT = (
    sa.select(Application, Person, Society, SocietyField, SocietyMembership, LifetimeBan, Certificate)
    .join(Person, col(Person.id) == col(Application.person_id))
    .join(Society, col(Society.id) == col(Application.society_id))
    .outerjoin(
        SocietyField,
        sa.and_(
            col(SocietyField.society_id) == col(Application.society_id),
            col(SocietyField.field_code) == col(Application.field_code),
        ),
    )
    .outerjoin(
        SocietyMembership,
        sa.and_(
            col(SocietyMembership.person_id) == col(Application.person_id),
            col(SocietyMembership.society_id) == col(Application.society_id),
        ),
    )
    .outerjoin(LifetimeBan, col(LifetimeBan.id_number_digest) == col(Person.id_number_digest))
    .outerjoin(
        Certificate,
        sa.and_(
            col(Certificate.person_id) == col(Application.person_id),
            col(Certificate.field_code) == col(Application.field_code),
            col(Certificate.status) == "active",
        ),
    )
    .add_columns(
        sa.select(func.count()).select_from(CalendarSchedule).scalar_subquery(),
        sa.select(func.max(CalendarSchedule.id)).scalar_subquery(),
    )
    .where(col(Application.id) == sa.bindparam("case_id"))
)
"""The case context, with the calendar's fingerprint (two small aggregates) so that a command that counts
working days needs no read of its own to know whether its cached calendar is still current."""
_STATEMENTS: dict[tuple[ContextRead, bool], sa.Select[Any]] = {}
CALENDAR_FINGERPRINT = "calendar_fingerprint"
"""Where a unit of work keeps the calendar fingerprint its case context read brought (its session's info)."""
_PREFETCHED = "prefetched_answers"
"""Where the answers about people and roles a context read brought wait for their lookup (the session's info)."""


def _one_of(column: sa.ColumnElement[Any], values: Sequence[str]) -> sa.ColumnElement[bool]:
    """`column IN (...)` with the values bound in the statement itself (rendered once, no expansion per run)."""
    return column.in_([sa.literal(value) for value in values])


def _count(table: sa.FromClause, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[Any]:
    return sa.select(func.count()).select_from(table).where(*where).scalar_subquery()


def _statement(read: ContextRead, locked: bool) -> sa.Select[Any]:
    """The context statement of one form of read (built once): the plain one, then the actor's people and
    their roles, then the facts asked for, each a column of the one row (correlated subqueries on aliases);
    `locked` adds `FOR UPDATE` of the case's row."""
    found = _STATEMENTS.get((read, locked))
    if found is not None:
        return found
    statement = _CASE_CONTEXT
    case = _APPLICATION
    if read.actor is not None:
        actor = _ACTOR_TABLE
        named = sa.or_(col(_ACTOR.username) == sa.bindparam("actor"), col(_ACTOR.name) == sa.bindparam("actor"))
        statement = statement.outerjoin(_ACTOR, named).add_columns(_ACTOR).order_by(col(_ACTOR.id))
        staff = table_of(StaffAssignment).alias("actor_role")
        for role, of_society in read.roles:
            society = staff.c.society_id == case.c.society_id if of_society else staff.c.society_id.is_(None)
            holds = sa.exists().where(staff.c.person_id == actor.c.id, staff.c.role == role, society)
            statement = statement.add_columns(holds)
    if read.evidence_kinds:
        evidence = table_of(EvidenceItem).alias("evidence_of_case")
        kinds = func.aggregate_strings(evidence.c.kind, _EVIDENCE_SEPARATOR)
        statement = statement.add_columns(
            sa.select(kinds).where(evidence.c.application_id == case.c.id).scalar_subquery()
        )
    other = _APPLICATION.alias("other_case")
    if read.other_stages:
        mine = (other.c.person_id == case.c.person_id, other.c.id != case.c.id)
        statement = statement.add_columns(_count(other, *mine, _one_of(other.c.stage, read.other_stages)))
    if read.field_stages:
        mine = (other.c.person_id == case.c.person_id, other.c.id != case.c.id)
        same_field = other.c.field_code == case.c.field_code
        statement = statement.add_columns(_count(other, *mine, same_field, _one_of(other.c.stage, read.field_stages)))
    if read.certificate_statuses:
        held = table_of(Certificate).alias("held_certificate")
        mine = (held.c.person_id == case.c.person_id, held.c.field_code == case.c.field_code)
        statement = statement.add_columns(_count(held, *mine, _one_of(held.c.status, read.certificate_statuses)))
    if read.declared_batches:
        batches = table_of(EvaluationBatch).alias("declared_batch")
        statement = statement.add_columns(_count(batches, batches.c.society_id == case.c.society_id))
    if read.standing_task_states:
        statement = statement.add_columns(*_panel_columns(read))
    if locked:
        statement = statement.with_for_update(of=case)
    _STATEMENTS[read, locked] = statement
    return statement


def _panel_columns(read: ContextRead) -> tuple[sa.ScalarSelect[Any], ...]:
    """The case's latest review round, the standing tasks of it and the examiners not to invite again."""
    case, tasks = _APPLICATION, table_of(ReviewTask)
    latest = tasks.alias("latest_task")
    latest_round = func.coalesce(func.max(latest.c.round), 1)
    task_round = sa.select(latest_round).where(latest.c.application_id == case.c.id).scalar_subquery()
    task = tasks.alias("case_task")
    of_case = task.c.application_id == case.c.id
    standing = _count(task, of_case, task.c.round == task_round, _one_of(task.c.state, read.standing_task_states))
    again = sa.or_(_one_of(task.c.state, read.final_task_states), task.c.round == task_round)
    examiner_ids = func.aggregate_strings(sa.cast(task.c.examiner_id, sa.String), ",")
    return task_round, standing, sa.select(examiner_ids).where(of_case, again).scalar_subquery()


def read_context(session: Session, case_id: int, lock: bool, read: ContextRead) -> CaseContext | None:
    """The case context of `case_id` with what `read` asks for, in one statement (see `ApplicationRepository`)."""
    on_sqlite = lock and session.get_bind().dialect.name == "sqlite"
    if on_sqlite:
        session.execute(TOUCH_CASE, {"case_id": case_id})
    elif lock and read.standing_task_states:
        # a read `FOR UPDATE` that waited for the lock sees the panel as it was before the wait (PostgreSQL
        # re-reads only the locked row): the panel is read after the lock instead
        read = replace(read, standing_task_states=(), final_task_states=())
    statement = _statement(read.shape(), lock and not on_sqlite)
    params: dict[str, Any] = {"case_id": case_id}
    if read.actor is not None:
        params["actor"] = read.actor
    if read.detached:
        found = session.connection().execute(statement, params).all()
        rows: Sequence[Sequence[Any]] = [_regrouped(row, read.actor is not None) for row in found]
    else:
        rows = session.execute(statement, params).all()
    if not rows:
        return None
    first = rows[0]
    session.info[CALENDAR_FINGERPRINT] = (int(first[7]), int(first[8] or 0))
    at = 9
    if read.actor is not None:
        _keep_people_and_roles(session, rows, read, first[0].society_id)
        at += 1 + len(read.roles)
    values = list(first[at:])
    kinds = values.pop(0) if read.evidence_kinds else None
    known = KnownFacts(
        read,
        evidence_kinds=frozenset(kinds.split(_EVIDENCE_SEPARATOR) if kinds else ()) if read.evidence_kinds else None,
        other_cases=int(values.pop(0)) if read.other_stages else None,
        other_cases_in_field=int(values.pop(0)) if read.field_stages else None,
        certificates_in_field=int(values.pop(0)) if read.certificate_statuses else None,
        declared_batches=int(values.pop(0)) if read.declared_batches else None,
    )
    if read.standing_task_states:
        task_round, standing, excluded = values[:3]
        examiners = frozenset(int(examiner) for examiner in excluded.split(",")) if excluded else frozenset()
        known = known._replace(task_round=int(task_round), standing_tasks=int(standing), examiners_excluded=examiners)
    return CaseContext(first[0], first[1], first[2], first[3], first[4], first[5], first[6], known)


def _regrouped(row: sa.Row[Any], with_actor: bool) -> tuple[Any, ...]:
    """A Core row of the context statement in the ORM's shape: each table's columns as one `Detached` row."""
    values, grouped, at = tuple(row), [], 0
    for copies in _CONTEXT_ROWS:
        grouped.append(copies.make(values[at : at + copies.width]))
        at += copies.width
    grouped += values[at : at + 2]
    at += 2
    if with_actor:
        grouped.append(_ACTOR_ROWS.make(values[at : at + _ACTOR_ROWS.width]))
        at += _ACTOR_ROWS.width
    return (*grouped, *values[at:])


def _keep_people_and_roles(session: Session, rows: Sequence[Sequence[Any]], read: ContextRead, society_id: int) -> None:
    """Keep who the actor's text names (`people_called`), which roles each holds (`holds_role`) and both at
    once for a role of the society (`people_holding`)."""
    assert read.actor is not None
    people: dict[int, Person] = {}
    held_by: dict[int, Sequence[bool]] = {}
    for row in rows:
        person = row[9]
        if person is not None and person.id not in people:
            people[person.id] = person
            held_by[person.id] = [bool(held) for held in row[10 : 10 + len(read.roles)]]
    answers: dict[Hashable, object] = {("people_called", read.actor): list(people.values())}
    for at, (role, of_society) in enumerate(read.roles):
        for person_id, held in held_by.items():
            answers["holds_role", person_id, role, society_id if of_society else None] = held[at]
        if of_society:
            holding = [(person, held_by[person_id][at]) for person_id, person in people.items()]
            answers["people_holding", read.actor, role, society_id] = holding
    session.info.setdefault(_PREFETCHED, {}).update(answers)


def take_prefetched(session: Session, question: Hashable) -> tuple[bool, Any]:
    """(True, the answer) when a context read of this transaction brought the answer to `question`, which is
    then forgotten; else (False, None)."""
    kept = session.info.get(_PREFETCHED)
    if not kept or question not in kept:
        return False, None
    return True, kept.pop(question)


def forget_prefetched(session: Session) -> None:
    """Forget every answer a context read brought that was not asked for (the command is past its lookups)."""
    session.info.pop(_PREFETCHED, None)
