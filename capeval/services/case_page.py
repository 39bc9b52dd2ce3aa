"""The console's case page: everything one case shows to the person signed in, behind the same checks as
the case's other pages (the parties they hold, the reading check for the statement and documents).

The page is read in one statement (`models/case_page_reads.py`) on a unit of work for reads alone (no
transaction of its own: `models/reads.py`): the case with the viewer's standing on it, its evidence, open
deadlines, history and work experience, review tasks and interviews; the tasks and interviews are shown
only when the viewer may see them. The guards of the actions the viewer may take read the case's stored
facts only when one of those actions has a guard besides the reason, which the page's form asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from capeval.models import case_page_reads as reads
from capeval.models.reads import reading_unit
from capeval.models.unit_of_work import UnitOfWork
from capeval.states import guards
from capeval.states.application import Party, Stage, moves_from, refusals
from capeval.states.calendar import SHANGHAI
from capeval.states.errors import NotFoundError, NotPermitted
from capeval.states.levels import Route
from capeval.states.stored_reasons import reason_text
from capeval.states.work_experience import PracticeStage

from .authority import ASSIGNED_STATE_VALUES, standing_of
from .case_documents import EvidenceDocument, document_name, require_reading
from .console import COMMITTEE_DECISIONS, CaseOption
from .facts import StoredFacts
from .interviews import InterviewView
from .queries import deadline_shown, history_shown
from .review import TaskView
from .runtime import Runtime

REASON_TO_BE_GIVEN = "(to be given)"
"""The reason the guards are judged with: the page's form asks for the reason when the action is taken."""


@dataclass(frozen=True)
class CaseView:
    """The case page: the parties the viewer holds, the case (`detail`: its id, applicant, society, field,
    level, route, stage, version, last reason, evidence, open deadlines, history and work experience), its
    reference, the review tasks and interviews the viewer may see, the statement and evidence when they may
    read them (None otherwise), and the actions they may take."""

    held: set[str]
    detail: dict[str, Any]
    reference: str
    tasks: list[TaskView]
    interviews: list[InterviewView]
    statement: str | None
    documents: list[EvidenceDocument] | None
    options: list[CaseOption]


REVIEW_READERS = frozenset({Party.WORKGROUP.value, Party.EXAMINERS.value})
"""Who sees a case's review tasks on its page."""
INTERVIEW_READERS = frozenset({Party.WORKGROUP.value, Party.INTERVIEW_PANEL.value})
"""Who sees a case's interviews on its page."""


def case_view(runtime: Runtime, person_id: int, case_id: int, language: str | None = None) -> CaseView:
    """Everything the case page shows to `person_id`, capeval's own reasons in `language`, read in one
    statement; NotFoundError for no such case, NotPermitted when the case is not theirs."""
    words = language or runtime.settings.lang
    today = runtime.today()
    with reading_unit(runtime.engine) as uow:
        found = reads.case_page(uow, case_id, person_id, today, ASSIGNED_STATE_VALUES)
        if found is None:
            raise NotFoundError("lookup_case_missing", case_id=case_id)
        case, evidence, history = found.header, found.evidence, found.history
        if case.viewer_name is None:
            raise NotPermitted("account_session_missing")
        standing = standing_of(person_id, case.person_id, case.standing)
        held = {party.value for party in standing.parties}
        if not held:
            raise NotPermitted("console_case_not_yours", actor=case.viewer_name, case_id=case_id)
        detail = _detail(case, evidence, found.deadlines, history, found.periods, words)
        tasks = _tasks(found.tasks) if held & REVIEW_READERS else []
        interviews = _interviews(found.interviews) if held & INTERVIEW_READERS else []
        statement: str | None = None
        documents: list[EvidenceDocument] | None = None
        reached = {line.to_stage for line in history}
        try:
            require_reading(
                held, standing.society_administrator, reached, case.appealed, reader=case.viewer_name, case_id=case_id
            )
            statement, documents = case.self_statement, _documents(evidence)
        except NotPermitted:
            pass
        options = _options(case.stage, case.route, held, lambda: _stored_facts(uow, runtime, case_id))
    return CaseView(held, detail, case.reference or "", tasks, interviews, statement, documents, options)


def _detail(
    case: reads.CaseHeader,
    evidence: list[reads.EvidenceLine],
    deadlines: list[reads.DeadlineLine],
    history: list[reads.HistoryLine],
    periods: list[reads.PeriodLine],
    words: str,
) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "applicant": {"name": case.applicant},
        "society": case.society,
        "field": case.field_code,
        "level": case.level,
        "route": case.route,
        "stage": case.stage,
        "version": case.version,
        "last_reason": reason_text(case.last_reason, words),
        "evidence": [
            {"kind": e.kind, "reference": e.reference, "description": e.description, "round": e.supplement_round}
            for e in evidence
        ],
        "deadlines": [deadline_shown(d) for d in deadlines],
        "history": [history_shown(h, words) for h in history],
        "work_experience": [
            {
                "from": p.starts_on,
                "until": p.ends_on,
                "stage": PracticeStage(p.stage).value,
                "employer": p.employer,
                "role": p.role,
            }
            for p in periods
        ],
    }


def _documents(evidence: list[reads.EvidenceLine]) -> list[EvidenceDocument]:
    return [
        EvidenceDocument(
            kind=e.kind,
            reference=e.reference,
            description=e.description,
            supplement_round=e.supplement_round,
            added_at=e.added_at.astimezone(SHANGHAI),
            digest=e.digest,
            filename=document_name(e.reference) if e.digest is not None else None,
            media_type=e.media_type,
            size=e.size,
        )
        for e in evidence
    ]


def _tasks(lines: list[reads.TaskLine]) -> list[TaskView]:
    return [
        TaskView(
            t.task_id, t.case_id, t.examiner_id, t.examiner_name, t.round, t.state, t.respond_by, t.due_on, t.reason
        )
        for t in lines
    ]


def _interviews(lines: list[reads.InterviewLine]) -> list[InterviewView]:
    found: dict[int, InterviewView] = {}
    for line in lines:
        view = found.get(line.interview_id)
        if view is None:
            view = found[line.interview_id] = InterviewView(
                line.interview_id,
                line.case_id,
                line.state,
                line.starts_at,
                line.place,
                line.video_link,
                [],
                line.total,
                line.passed,
                line.reasons,
            )
        if line.panelist is not None:
            view.panel.append(line.panelist)
    return list(found.values())


def _stored_facts(uow: UnitOfWork, runtime: Runtime, case_id: int) -> StoredFacts:
    context = uow.applications.context(case_id)
    if context is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    return StoredFacts(uow, context, today=runtime.today(), reason=REASON_TO_BE_GIVEN, policy=runtime.policy)


def _options(stage: str, route: str, held: set[str], facts_of: Callable[[], StoredFacts]) -> list[CaseOption]:
    """The actions from the stage whose party the viewer holds, each ready or blocked by its guards (the
    engine still checks each when taken). A guard that only wants a reason passes with the one to be given,
    so the stored facts are read only for an action with another guard."""
    options = []
    facts: StoredFacts | None = None
    for move in moves_from(Stage(stage), Route(route)):
        if move.by.value not in held:
            continue
        blocked: list[str] = []
        if any(guard is not guards.REASON_GIVEN for guard in move.guards):
            facts = facts or facts_of()
            blocked = [str(problem) for _, problem in refusals(move, facts)]
        options.append(
            CaseOption(
                move.action.value,
                move.dest.value,
                move.by.value,
                not blocked,
                blocked,
                any(guard is guards.REASON_GIVEN for guard in move.guards),
                move.action in COMMITTEE_DECISIONS,
            )
        )
    return options
