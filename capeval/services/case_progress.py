"""Where a case stands, as its readers (the applicant first) see it: whom it waits on, by when, the reason
last given, the applicant's own next steps with what still blocks them, and how much evidence is held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from capeval.states.application import PARTY_OF, WAITING_ON, Party, Stage, moves_from, refusals
from capeval.states.errors import Problem
from capeval.states.levels import Route
from capeval.states.stored_reasons import reason_text

from .case_documents import readable_case
from .facts import StoredFacts
from .runtime import Runtime


@dataclass(frozen=True)
class NextStep:
    """An action of the applicant's the case allows now; `blocked_by` says what still stands in its way."""

    action: str
    to_stage: str
    blocked_by: tuple[Problem, ...]

    @property
    def ready(self) -> bool:
        return not self.blocked_by


@dataclass(frozen=True)
class CaseProgress:
    """What a case waits for."""

    case_id: int
    stage: str
    waiting_on: str | None
    """The party the case waits on (None: the case is closed)."""
    due_on: date | None
    due_kind: str | None
    last_reason: str
    applicant_steps: tuple[NextStep, ...]
    files_held: int
    references_without_file: int


def case_progress(runtime: Runtime, case_id: int, actor: str) -> CaseProgress:
    """Where the case stands and what it waits for, for the people who may read it."""
    with runtime.unit_of_work() as uow:
        context = readable_case(uow, runtime, case_id, actor)
        case = context.case
        stage = Stage(case.stage)
        facts = StoredFacts(uow, context, today=runtime.today(), reason="(to be given)", policy=runtime.policy)
        steps = tuple(
            NextStep(move.action.value, move.dest.value, tuple(problem for _, problem in refusals(move, facts)))
            for move in moves_from(stage, Route(case.route))
            if PARTY_OF[move.action] is Party.APPLICANT
        )
        deadlines = sorted(uow.deadlines.open_for_cases([case_id]), key=lambda d: d.due_on)
        evidence = uow.documents.evidence_of_case(case_id)
        waiting = WAITING_ON.get(stage)
        return CaseProgress(
            case_id=case_id,
            stage=stage.value,
            waiting_on=waiting.value if waiting else None,
            due_on=deadlines[0].due_on if deadlines else None,
            due_kind=deadlines[0].kind if deadlines else None,
            last_reason=reason_text(case.last_reason, runtime.settings.lang),
            applicant_steps=steps,
            files_held=sum(1 for _, document in evidence if document is not None),
            references_without_file=sum(1 for _, document in evidence if document is None),
        )
