"""The console's case page: everything one case shows to the person signed in, behind the same checks as
the case's other pages (the parties they hold, the reading check for the statement and documents)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from capeval.states.application import Party
from capeval.states.errors import NotPermitted

from . import queries
from .case_documents import EvidenceDocument, case_reading_in
from .console import CaseOption, _options, _parties
from .interviews import InterviewView, interview_view
from .review import TaskView, task_view
from .runtime import Runtime


@dataclass(frozen=True)
class CaseView:
    """The case page: the parties the viewer holds, the case as `queries.show` gives it, its reference, the
    review tasks and interviews the viewer may see, the statement and evidence when they may read them (None
    otherwise), and the actions they may take."""

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
    """Everything the case page shows to `person_id`, capeval's own reasons in `language`, read in one unit
    of work; NotPermitted when the case is not theirs."""
    with runtime.unit_of_work() as uow:
        held, person = _parties(uow, person_id, case_id, runtime.today())
        detail = queries.show_in(uow, runtime, case_id, language)
        tasks = [task_view(uow, task) for task in uow.review.tasks_of_case(case_id)] if held & REVIEW_READERS else []
        interviews = []
        if held & INTERVIEW_READERS:
            interviews = [interview_view(uow.review, found) for found in uow.review.interviews_of_case(case_id)]
        statement: str | None = None
        documents: list[EvidenceDocument] | None = None
        try:
            read, documents = case_reading_in(uow, runtime, case_id, person.username, held)
            statement = read.text
        except NotPermitted:
            pass
        reference = uow.references.of_cases([case_id]).get(case_id, "")
    options = _options(detail["stage"], detail["route"], detail["actions"], held)
    return CaseView(held, detail, reference, tasks, interviews, statement, documents, options)
