"""The console case page's read: one statement on the unit of work's connection, Core rows.

`case_page` reads the case with its applicant, society, reference, whether it was appealed, and the
viewer with their standing on it (`case_standing.standing_columns`), and, folded into the same row as
JSON columns (`folded_rows`), the case's evidence with its documents, open deadlines, history, work
experience, review tasks with their examiners' names and interviews with their panels, each list in the
order the page shows. Whether the viewer may see the tasks and interviews is the services' rule.
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
from .folded_rows import FoldedRows
from .governance import Appeal
from .references import CaseReference
from .review import Interview, InterviewPanelist, ReviewTask
from .tables import table_of
from .unit_of_work import UnitOfWork
from .work_experience import WorkExperience

_CASE = table_of(Application)
_PERSON = table_of(Person)
_VIEWER = _PERSON.alias("viewer")
_EXAMINER_PERSON = _PERSON.alias("examiner_person")
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


class DeadlineLine(NamedTuple):
    """An open deadline of the case."""

    kind: str
    due_on: date
    status: str
    provisional: bool
    basis: str
    original_due_on: date | None


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


class PeriodLine(NamedTuple):
    """A period of practice on the application."""

    starts_on: date
    ends_on: date | None
    employer: str
    role: str
    stage: str


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


class CasePage(NamedTuple):
    """The case's header and its lists, each in the order the page shows (tasks and interviews whoever
    the viewer is)."""

    header: CaseHeader
    evidence: list[EvidenceLine]
    deadlines: list[DeadlineLine]
    history: list[HistoryLine]
    periods: list[PeriodLine]
    tasks: list[TaskLine]
    interviews: list[InterviewLine]


_EVIDENCE_LINES = FoldedRows(
    "evidence",
    [
        _EVIDENCE.c.kind,
        _EVIDENCE.c.reference,
        _EVIDENCE.c.description,
        _EVIDENCE.c.supplement_round,
        _EVIDENCE.c.added_at,
        _DOCUMENT.c.digest,
        _DOCUMENT.c.media_type,
        _DOCUMENT.c.size,
    ],
    [_EVIDENCE.c.id],
    _EVIDENCE.outerjoin(_DOCUMENT, _DOCUMENT.c.digest == _EVIDENCE.c.document_digest),
    _EVIDENCE.c.application_id == _CASE.c.id,
    _CASE,
)
_OPEN_DEADLINES = FoldedRows(
    "deadlines",
    [
        _DEADLINE.c.kind,
        _DEADLINE.c.due_on,
        _DEADLINE.c.status,
        _DEADLINE.c.provisional,
        _DEADLINE.c.basis,
        _DEADLINE.c.original_due_on,
    ],
    [_DEADLINE.c.id],
    _DEADLINE,
    sa.and_(_DEADLINE.c.application_id == _CASE.c.id, _DEADLINE.c.status == "open"),
    _CASE,
)
_HISTORY_LINES = FoldedRows(
    "history",
    [
        _HISTORY.c.at,
        _HISTORY.c.version,
        _HISTORY.c.from_stage,
        _HISTORY.c.to_stage,
        _HISTORY.c.action,
        _HISTORY.c.actor,
        _HISTORY.c.reason,
        _HISTORY.c.basis,
    ],
    [_HISTORY.c.id],
    _HISTORY,
    _HISTORY.c.application_id == _CASE.c.id,
    _CASE,
)
_PERIODS = FoldedRows(
    "periods",
    [_PERIOD.c.starts_on, _PERIOD.c.ends_on, _PERIOD.c.employer, _PERIOD.c.role, _PERIOD.c.stage],
    [_PERIOD.c.position, _PERIOD.c.id],
    _PERIOD,
    _PERIOD.c.application_id == _CASE.c.id,
    _CASE,
)
_TASKS = FoldedRows(
    "tasks",
    [
        _TASK.c.id,
        _TASK.c.application_id,
        _TASK.c.examiner_id,
        _EXAMINER_PERSON.c.name,
        _TASK.c.round,
        _TASK.c.state,
        _TASK.c.respond_by,
        _TASK.c.due_on,
        _TASK.c.reason,
    ],
    [_TASK.c.id],
    _TASK.join(_EXAMINER, _EXAMINER.c.id == _TASK.c.examiner_id).join(
        _EXAMINER_PERSON, _EXAMINER_PERSON.c.id == _EXAMINER.c.person_id
    ),
    _TASK.c.application_id == _CASE.c.id,
    _CASE,
)
_INTERVIEWS = FoldedRows(
    "interviews",
    [
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
    ],
    [_INTERVIEW.c.id, sa.func.coalesce(_PANELIST.c.id, 0)],
    _INTERVIEW.outerjoin(_PANELIST, _PANELIST.c.interview_id == _INTERVIEW.c.id),
    _INTERVIEW.c.application_id == _CASE.c.id,
    _CASE,
)
_LISTS = (_EVIDENCE_LINES, _OPEN_DEADLINES, _HISTORY_LINES, _PERIODS, _TASKS, _INTERVIEWS)

_HEADER = (
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
)
"""The page's own columns, in the order of `CaseHeader` before its standing."""

_PAGE = (
    sa.select(
        *_HEADER,
        *standing_columns(_CASE.c.id, _CASE.c.society_id, _CASE.c.field_code),
        *(folded.column for folded in _LISTS),
    )
    .select_from(_CASE)
    .join(_PERSON, _PERSON.c.id == _CASE.c.person_id)
    .join(_SOCIETY, _SOCIETY.c.id == _CASE.c.society_id)
    .outerjoin(_REFERENCE, _REFERENCE.c.application_id == _CASE.c.id)
    .outerjoin(_VIEWER, _VIEWER.c.id == VIEWER_ID)
    .where(_CASE.c.id == _CASE_ID)
)
_HEADER_WIDTH = len(_HEADER)
_APPEALED = CaseHeader._fields.index("appealed")
_STANDING_END = _HEADER_WIDTH + len(PersonOnCase._fields)
"""Where the standing's columns end and the folded lists begin."""


def case_page(
    uow: UnitOfWork, case_id: int, viewer_id: int, today: date, task_states: Collection[str]
) -> CasePage | None:
    """The case with the standing of `viewer_id` on it `today` (`task_states`: the states in which an
    examiner counts as assigned) and its lists, in one statement; None when there is no such case."""
    values = {"case_id": case_id, "viewer_id": viewer_id, "today": today, "task_states": sorted(task_states)}
    connection = uow.session.connection()
    row = connection.execute(_PAGE, values).first()
    if row is None:
        return None
    own = list(row[:_HEADER_WIDTH])
    own[_APPEALED] = bool(own[_APPEALED])
    standing = PersonOnCase._make(bool(value) for value in row[_HEADER_WIDTH:_STANDING_END])
    header = CaseHeader._make([*own, standing])
    lists = [folded.rows(value, connection.dialect) for folded, value in zip(_LISTS, row[_STANDING_END:], strict=True)]
    evidence, deadlines, history, periods, tasks, interviews = lists
    return CasePage(
        header,
        [EvidenceLine._make(line) for line in evidence],
        [DeadlineLine._make(line) for line in deadlines],
        [HistoryLine._make(line) for line in history],
        [PeriodLine._make(line) for line in periods],
        [TaskLine._make(line) for line in tasks],
        [InterviewLine._make(line) for line in interviews],
    )
