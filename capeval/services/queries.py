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
                ActionOption(move.action.value, move.dest.value, move.by.value, not refused, [r for _, r in refused])
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


# --------------------------------------------------------------------------- reads the demo shows
# Self-contained: each function imports what it needs, returns plain values and opens its own unit of work.


@dataclass(frozen=True)
class SentMessage:
    """A message the outbox has sent: its template and the dedupe key its Message-ID is made from."""

    template: str
    dedupe_key: str


def outbox_counts(runtime: Runtime) -> dict[str, int]:
    """How many outbox messages are in each status."""
    with runtime.unit_of_work() as uow:
        return uow.outbox.count_by_status()


def sent_messages(runtime: Runtime, template: str | None = None) -> list[SentMessage]:
    """Every sent message in the order it was queued, or only those of one template."""
    from capeval.models.outbox_queue import OutboxQueue

    with runtime.unit_of_work() as uow:
        rows = OutboxQueue(uow.session).listing("sent", 1_000_000)
        return [
            SentMessage(row.template, row.dedupe_key) for row in rows if template is None or row.template == template
        ]


def last_reason(runtime: Runtime, case_id: int) -> str:
    """The reason recorded with the case's last stage change ("" if none or no such case)."""
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        return case.last_reason if case is not None else ""


def registration_numbers(runtime: Runtime, case_ids: list[int]) -> dict[int, str]:
    """The registration number of the certificate each of these cases was registered with, for those that were."""
    with runtime.unit_of_work() as uow:
        found = {}
        for case_id in case_ids:
            certificate = uow.registry.certificate_for_case(case_id)
            if certificate is not None:
                found[case_id] = certificate.registration_number
        return found


def appeal_participants(runtime: Runtime, reference: str) -> frozenset[str] | None:
    """Who took part in the decision an appeal is against (and the appellant): they may not sit on its panel.

    None if there is no appeal with that reference.
    """
    from capeval.models import Appeal

    from .appeals import participants

    with runtime.unit_of_work() as uow:
        appeal = uow.governance.by_reference("appeal", reference)
        if not isinstance(appeal, Appeal):
            return None
        return frozenset(participants(uow, appeal))


def cpd_evaluation_lines(runtime: Runtime, registration_number: str, year: int) -> tuple[str, ...] | None:
    """The CPD evaluation of one certificate holder's year, line by line, under the society's policy.

    None if there is no certificate with that registration number.
    """
    from .certificates import evaluate_years

    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(registration_number)
        if found is None:
            return None
        return tuple(evaluate_years(uow, found[0], found[1], [year])[0].text_lines())
