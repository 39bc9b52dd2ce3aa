"""The read side: the workgroup's board, one case with its history, the actions allowed now."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from capeval.states.application import WAITING_ON, Stage, moves_from, refusals
from capeval.states.clock import SHANGHAI
from capeval.states.errors import NotFoundError
from capeval.states.levels import Route

from .facts import StoredFacts
from .runtime import Runtime


@dataclass(frozen=True)
class BoardRow:
    """One case on the board."""

    case_id: int
    applicant: str
    society: str
    field: str
    level: str
    route: str
    stage: str
    waiting_on: str
    due_on: date | None
    version: int


@dataclass(frozen=True)
class ActionOption:
    """An action the table allows from the current stage, and whether its guards agree right now."""

    action: str
    to_stage: str
    by: str
    ready: bool
    blocked_by: list[str] = field(default_factory=list)


def board(runtime: Runtime, society_code: str | None = None, stages: list[str] | None = None) -> list[BoardRow]:
    """Cases by stage, with whom each waits on and its due date."""
    with runtime.unit_of_work() as uow:
        society_id = None
        if society_code is not None:
            society = uow.directory.society_by_code(society_code)
            if society is None:
                raise NotFoundError(f"no society with code '{society_code}'")
            society_id = society.id
        cases = uow.applications.board(society_id, stages)
        due = {d.application_id: d.due_on for d in uow.deadlines.open_for_cases([c.id for c in cases if c.id])}
        societies = {s.id: s.code for s in uow.directory.societies()}
        rows = []
        for case in cases:
            assert case.id is not None
            person = uow.directory.person(case.person_id)
            waiting = WAITING_ON.get(Stage(case.stage))
            rows.append(
                BoardRow(
                    case.id,
                    person.name if person else "?",
                    societies.get(case.society_id, "?"),
                    case.field_code,
                    case.level,
                    case.route,
                    case.stage,
                    waiting.value if waiting else "-",
                    due.get(case.id),
                    case.version,
                )
            )
        order = {stage.value: index for index, stage in enumerate(Stage)}
        return sorted(rows, key=lambda row: (order[row.stage], row.case_id))


def actions(runtime: Runtime, case_id: int) -> list[ActionOption]:
    """The actions allowed from the case's stage, each marked ready or blocked with the guards' reasons."""
    with runtime.unit_of_work() as uow:
        context = uow.applications.context(case_id)
        if context is None:
            raise NotFoundError(f"no case with id {case_id}")
        case = context.case
        facts = StoredFacts(uow, context, today=runtime.today(), reason="(to be given)", policy=runtime.policy)
        options = []
        for move in moves_from(Stage(case.stage), Route(case.route)):
            refused = refusals(move, facts)
            options.append(
                ActionOption(
                    move.action.value, move.dest.value, move.by.value, not refused, [str(r) for _, r in refused]
                )
            )
        return options


def show(runtime: Runtime, case_id: int) -> dict[str, Any]:
    """Everything about one case that staff may see (the ID number only masked)."""
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        if case is None:
            raise NotFoundError(f"no case with id {case_id}; 'capeval case board' lists the cases")
        person = uow.directory.person(case.person_id)
        society = uow.directory.society(case.society_id)
        assert person is not None and society is not None
        certificate = uow.registry.certificate_for_case(case_id)
        detail: dict[str, Any] = {
            "case_id": case.id,
            "applicant": {"name": person.name, "id_number": person.id_number_masked, "email": person.email},
            "society": society.code,
            "field": case.field_code,
            "level": case.level,
            "route": case.route,
            "stage": case.stage,
            "version": case.version,
            "batch": case.batch,
            "self_statement_chars": len(case.self_statement.strip()),
            "commitment_signed": case.commitment_signed_at is not None,
            "international_title": case.international_title,
            "last_reason": case.last_reason,
            "evidence": [
                {"kind": e.kind, "reference": e.reference, "description": e.description, "round": e.supplement_round}
                for e in uow.applications.evidence(case_id)
            ],
            "deadlines": [
                {"kind": d.kind, "due_on": d.due_on, "status": d.status}
                for d in uow.deadlines.open_for_cases([case_id])
            ],
            "history": [
                {
                    "at": h.at.astimezone(SHANGHAI),
                    "version": h.version,
                    "from": h.from_stage,
                    "to": h.to_stage,
                    "action": h.action,
                    "actor": h.actor,
                    "reason": h.reason,
                }
                for h in uow.history.for_case(case_id)
            ],
            "notices": [
                {"template": m.template, "to": m.recipient_email, "status": m.status}
                for m in uow.outbox.for_case(case_id)
            ],
            "certificate": certificate.registration_number if certificate else None,
        }
    detail["actions"] = [asdict(option) for option in actions(runtime, case_id)]
    return detail
