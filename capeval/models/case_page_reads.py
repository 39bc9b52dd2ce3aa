"""The console case page's reads: Core rows on the unit of work's connection, one statement for each part.

`header` is the case with its applicant, society, reference, whether it was appealed, and the viewer
with their standing on it (`case_standing.standing_columns`); the others are the case's evidence with
its documents, open deadlines, history, work experience, review tasks with their examiners' names and
interviews with their panels, each in the order the page shows.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa

from .case_standing import VIEWER_ID, PersonOnCase, standing_columns
from .cases import Application, Deadline, EvidenceItem, StageHistory
from .directory import Examiner, Person, Society
from .documents import Document
from .governance import Appeal
from .references import CaseReference
from .review import Interview, InterviewPanelist, ReviewTask
from .tables import table_of
from .unit_of_work import UnitOfWork
from .work_experience import WorkExperience

_CASE = table_of(Application)
_PERSON = table_of(Person)
_VIEWER = _PERSON.alias("viewer")
_SOCIETY = table_of(Society)
_REFERENCE = table_of(CaseReference)
_APPEAL = table_of(Appeal)
_EVIDENCE = table_of(EvidenceItem)
_DOCUMENT = table_of(Document)
_DEADLINE = table_of(Deadline)
_HISTORY = table_of(StageHistory)
_PERIOD = table_of(WorkExperience)
_TASK = table_of(ReviewTask)
_EXAMINER = table_of(Examiner)
_INTERVIEW = table_of(Interview)
_PANELIST = table_of(InterviewPanelist)
_CASE_ID = sa.bindparam("case_id", type_=sa.Integer)


class CaseHeader(NamedTuple):
    """The case's own row with its applicant's name, society code and reference, and the viewer (None when
    the person does not exist) with their standing on the case."""

    case_id: int
    person_id: int
    society_id: int
    field_code: str
    level: str
    route: str
    stage: str
    version: int
    last_reason: str
    self_statement: str
    applicant: str
    society: str
    reference: str | None
    appealed: bool
    viewer_username: str | None
    viewer_name: str | None
    standing: PersonOnCase


_HEADER = (
    sa.select(
        _CASE.c.id,
        _CASE.c.person_id,
        _CASE.c.society_id,
        _CASE.c.field_code,
        _CASE.c.level,
        _CASE.c.route,
        _CASE.c.stage,
        _CASE.c.version,
        _CASE.c.last_reason,
        _CASE.c.self_statement,
        _PERSON.c.name,
        _SOCIETY.c.code,
        _REFERENCE.c.reference,
        sa.exists().where(_APPEAL.c.application_id == _CASE.c.id).label("appealed"),
        _VIEWER.c.username,
        _VIEWER.c.name.label("viewer_name"),
        *standing_columns(_CASE.c.id, _CASE.c.society_id, _CASE.c.field_code),
    )
    .select_from(_CASE)
    .join(_PERSON, _PERSON.c.id == _CASE.c.person_id)
    .join(_SOCIETY, _SOCIETY.c.id == _CASE.c.society_id)
    .outerjoin(_REFERENCE, _REFERENCE.c.application_id == _CASE.c.id)
    .outerjoin(_VIEWER, _VIEWER.c.id == VIEWER_ID)
    .where(_CASE.c.id == _CASE_ID)
)
_HEADER_WIDTH = 16
"""The header's columns before the standing's."""


def header(
    uow: UnitOfWork, case_id: int, viewer_id: int, today: date, task_states: Collection[str]
) -> CaseHeader | None:
    """The case's header with the standing of `viewer_id` on it `today` (`task_states`: the states in which
    an examiner counts as assigned); None when there is no such case."""
    values = {"case_id": case_id, "viewer_id": viewer_id, "today": today, "task_states": sorted(task_states)}
    row = uow.session.connection().execute(_HEADER, values).first()
    if row is None:
        return None
    own = list(row[:_HEADER_WIDTH])
    own[13] = bool(own[13])  # appealed
    return CaseHeader._make([*own, PersonOnCase._make(bool(value) for value in row[_HEADER_WIDTH:])])


class EvidenceLine(NamedTuple):
    """An evidence row of the case with its document's digest, media type and size (None: no file kept)."""

    kind: str
    reference: str
    description: str
    supplement_round: int
    added_at: datetime
    digest: str | None
    media_type: str | None
    size: int | None


_EVIDENCE_LINES = (
    sa.select(
        _EVIDENCE.c.kind,
        _EVIDENCE.c.reference,
        _EVIDENCE.c.description,
        _EVIDENCE.c.supplement_round,
        _EVIDENCE.c.added_at,
        _DOCUMENT.c.digest,
        _DOCUMENT.c.media_type,
        _DOCUMENT.c.size,
    )
    .select_from(_EVIDENCE)
    .outerjoin(_DOCUMENT, _DOCUMENT.c.digest == _EVIDENCE.c.document_digest)
    .where(_EVIDENCE.c.application_id == _CASE_ID)
    .order_by(_EVIDENCE.c.id)
)


def evidence(uow: UnitOfWork, case_id: int) -> list[EvidenceLine]:
    """Every evidence row of the case in the order added."""
    return [EvidenceLine(*row) for row in uow.session.connection().execute(_EVIDENCE_LINES, {"case_id": case_id})]


class DeadlineLine(NamedTuple):
    """An open deadline of the case."""

    kind: str
    due_on: date
    status: str
    provisional: bool
    basis: str
    original_due_on: date | None


_OPEN_DEADLINES = (
    sa.select(
        _DEADLINE.c.kind,
        _DEADLINE.c.due_on,
        _DEADLINE.c.status,
        _DEADLINE.c.provisional,
        _DEADLINE.c.basis,
        _DEADLINE.c.original_due_on,
    )
    .where(_DEADLINE.c.application_id == _CASE_ID, _DEADLINE.c.status == "open")
    .order_by(_DEADLINE.c.id)
)


def open_deadlines(uow: UnitOfWork, case_id: int) -> list[DeadlineLine]:
    """The case's open deadlines in the order set."""
    return [DeadlineLine(*row) for row in uow.session.connection().execute(_OPEN_DEADLINES, {"case_id": case_id})]


class HistoryLine(NamedTuple):
    """One stage change of the case."""

    at: datetime
    version: int
    from_stage: str | None
    to_stage: str
    action: str
    actor: str
    reason: str
    basis: str


_HISTORY_LINES = (
    sa.select(
        _HISTORY.c.at,
        _HISTORY.c.version,
        _HISTORY.c.from_stage,
        _HISTORY.c.to_stage,
        _HISTORY.c.action,
        _HISTORY.c.actor,
        _HISTORY.c.reason,
        _HISTORY.c.basis,
    )
    .where(_HISTORY.c.application_id == _CASE_ID)
    .order_by(_HISTORY.c.id)
)


def history(uow: UnitOfWork, case_id: int) -> list[HistoryLine]:
    """The case's stage changes, oldest first."""
    return [HistoryLine(*row) for row in uow.session.connection().execute(_HISTORY_LINES, {"case_id": case_id})]


class PeriodLine(NamedTuple):
    """A period of practice on the application."""

    starts_on: date
    ends_on: date | None
    employer: str
    role: str
    stage: str


_PERIODS = (
    sa.select(_PERIOD.c.starts_on, _PERIOD.c.ends_on, _PERIOD.c.employer, _PERIOD.c.role, _PERIOD.c.stage)
    .where(_PERIOD.c.application_id == _CASE_ID)
    .order_by(_PERIOD.c.position, _PERIOD.c.id)
)


def periods(uow: UnitOfWork, case_id: int) -> list[PeriodLine]:
    """The application's periods of practice in the order given."""
    return [PeriodLine(*row) for row in uow.session.connection().execute(_PERIODS, {"case_id": case_id})]


class TaskLine(NamedTuple):
    """A review task of the case with its examiner's name."""

    task_id: int
    case_id: int
    examiner_id: int
    examiner_name: str
    round: int
    state: str
    respond_by: date
    due_on: date
    reason: str


_TASKS = (
    sa.select(
        _TASK.c.id,
        _TASK.c.application_id,
        _TASK.c.examiner_id,
        _PERSON.c.name,
        _TASK.c.round,
        _TASK.c.state,
        _TASK.c.respond_by,
        _TASK.c.due_on,
        _TASK.c.reason,
    )
    .select_from(_TASK)
    .join(_EXAMINER, _EXAMINER.c.id == _TASK.c.examiner_id)
    .join(_PERSON, _PERSON.c.id == _EXAMINER.c.person_id)
    .where(_TASK.c.application_id == _CASE_ID)
    .order_by(_TASK.c.id)
)


def tasks(uow: UnitOfWork, case_id: int) -> list[TaskLine]:
    """The case's review tasks, oldest first."""
    return [TaskLine(*row) for row in uow.session.connection().execute(_TASKS, {"case_id": case_id})]


class InterviewLine(NamedTuple):
    """An interview of the case with one of its panelists (one line per panelist; `panelist` None for an
    interview with no panel)."""

    interview_id: int
    case_id: int
    state: str
    starts_at: datetime
    place: str
    video_link: str
    total: int | None
    passed: bool | None
    reasons: str
    panelist: int | None


_INTERVIEWS = (
    sa.select(
        _INTERVIEW.c.id,
        _INTERVIEW.c.application_id,
        _INTERVIEW.c.state,
        _INTERVIEW.c.starts_at,
        _INTERVIEW.c.place,
        _INTERVIEW.c.video_link,
        _INTERVIEW.c.total,
        _INTERVIEW.c.passed,
        _INTERVIEW.c.reasons,
        _PANELIST.c.examiner_id,
    )
    .select_from(_INTERVIEW)
    .outerjoin(_PANELIST, _PANELIST.c.interview_id == _INTERVIEW.c.id)
    .where(_INTERVIEW.c.application_id == _CASE_ID)
    .order_by(_INTERVIEW.c.id, _PANELIST.c.id)
)


def interviews(uow: UnitOfWork, case_id: int) -> list[InterviewLine]:
    """The case's interviews in the order scheduled, each panelist on a line of its own in panel order."""
    return [InterviewLine(*row) for row in uow.session.connection().execute(_INTERVIEWS, {"case_id": case_id})]
