"""What every governance handler does around a step: who acts, references, history, step deadlines, appointees,
cited resolutions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeAlias

from capeval.models import GovernanceAppointment, GovernanceDeadline, Person, Resolution
from capeval.models.governance import Appeal, AuthorizationApplication, Feedback
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states.authority import Actor, StaffRole, require
from capeval.states.calendar import Projection, WorkingDayCalendar
from capeval.states.engine import Workflow
from capeval.states.errors import IllegalTransition, InputError, NotFoundError, NotPermitted
from capeval.states.events import GovernanceStepReprojected
from capeval.states.governance import BODY_OF_PARTY, Body, Party, PersonRef, ResolutionFacts
from capeval.states.messages import Term

from .authority import is_staff, sits_on
from .deadlines import IMPORT_ACTOR, Reprojection, settle, window_columns
from .governance_sweep import responsible
from .runtime import Runtime

PREFIX = {"feedback": "FB", "appeal": "AP", "authorization": "AU", "resolution": "RES"}
REPROJECT_STEP = "reproject_deadline"
"""The history action of a step deadline re-projected after a schedule import: the stage stays."""
GovernanceCase: TypeAlias = Feedback | Appeal | AuthorizationApplication


@dataclass(frozen=True)
class GovernanceOutcome:
    """What a governance command did."""

    kind: str
    reference: str
    stage: str
    version: int
    previous_stage: str | None = None
    due_on: date | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    due_provisional: bool = False
    """`due_on` is 暂定: it reaches a year whose holiday schedule is not published yet."""
    due_basis: str = ""
    """What a provisional `due_on` rests on (the estimate and its years)."""


def step_outcome(
    kind: str,
    row: GovernanceCase,
    previous_stage: str | None,
    step: Projection | None,
    detail: dict[str, Any] | None = None,
) -> GovernanceOutcome:
    """The outcome of a step, with the next step's due date and whether it is provisional."""
    return GovernanceOutcome(
        kind,
        row.reference,
        row.stage,
        row.version,
        previous_stage,
        step.day if step is not None else None,
        detail or {},
        step.provisional if step is not None else False,
        step.basis if step is not None else "",
    )


def step_due(deadlines: Sequence[GovernanceDeadline]) -> dict[str, Any]:
    """The current step's due date as a record shows it: the date, whether 暂定, and its basis."""
    first = deadlines[0] if deadlines else None
    return {
        "step_due_on": first.due_on if first else None,
        "step_due_provisional": first.provisional if first else False,
        "step_due_basis": first.basis if first else "",
    }


def new_reference(uow: UnitOfWork, kind: str, today: date) -> str:
    """The next reference of `kind` this year, e.g. FB-2026-0001."""
    return f"{PREFIX[kind]}-{today.year}-{uow.governance.next_number(kind, today.year):04d}"


def load_case(uow: UnitOfWork, kind: str, reference: str) -> Any:
    row = uow.governance.by_reference(kind, reference.strip())
    if row is None:
        raise NotFoundError("governance_reference_not_found", kind=Term(f"governance_kind_{kind}"), reference=reference)
    return row


def parse_action(enum: type[StrEnum], name: str, allowed: list[str]) -> Any:
    try:
        return enum(name)
    except ValueError:
        if not allowed:
            raise InputError("governance_action_unknown_closed", action=name) from None
        raise InputError("governance_action_unknown", action=name, allowed=allowed) from None


def seated_parties(uow: UnitOfWork, person: Person, today: date) -> set[Party]:
    """The governance parties `person` holds today: the secretariat, and a seat on each body whose term covers it."""
    parties = {party for party, body in BODY_OF_PARTY.items() if sits_on(uow, person, body, today)}
    if is_staff(uow, person, StaffRole.SECRETARIAT):
        parties.add(Party.SECRETARIAT)
    return parties


def ensure_may(workflow: Workflow[Any, Any], stage: StrEnum, action: StrEnum, actor: Actor) -> None:
    """Refuse at once, before anything else is looked up, unless the table has the move and `actor` holds its
    party (the engine asks again when it advances)."""
    move = next((m for m in workflow.moves_from(stage) if m.action == action), None)
    if move is None:
        raise IllegalTransition(stage.value, action.value, workflow.allowed(stage))
    require(actor, move.by, action)


def refuse_if_took_part(actor: Actor, excluded: set[int], reference: str) -> None:
    """Nobody who took part in the matter takes a step of the case about it (Charter art. 11)."""
    if actor.person_id is not None and actor.person_id in excluded:
        raise NotPermitted("governance_actor_took_part", actor=actor.name, reference=reference)


def appointees(uow: UnitOfWork, named: tuple[str, ...]) -> tuple[PersonRef, ...]:
    """The persons of the directory `named` names (usernames, or names one person bears), each once."""
    found: dict[int, PersonRef] = {}
    for text in (n.strip() for n in named):
        if not text:
            continue
        person = uow.directory.person_by_username(text)
        if person is None:
            people = uow.directory.people_named(text)
            if len(people) > 1:
                raise InputError("governance_appointee_ambiguous", name=text, usernames=[p.username for p in people])
            if not people:
                raise InputError("governance_appointee_unknown", name=text)
            person = people[0]
        assert person.id is not None
        found.setdefault(person.id, PersonRef(person.id, person.name))
    return tuple(found.values())


def appoint(uow: UnitOfWork, kind: str, case_id: int, people: tuple[PersonRef, ...], role: str, now: datetime) -> None:
    """Record `people` as appointed to a governance case in `role` (panel, investigator), by person id."""
    for person in people:
        uow.governance.add(
            GovernanceAppointment(
                case_kind=kind,
                case_id=case_id,
                person_id=person.person_id,
                person_name=person.name,
                role=role,
                appointed_at=now,
            )
        )


def names_of(uow: UnitOfWork, person_ids: set[int]) -> list[str]:
    """The names of these persons, sorted (to show who is excluded)."""
    return sorted(person.name for pid in person_ids if (person := uow.directory.person(pid)) is not None)


def record_step(
    uow: UnitOfWork,
    kind: str,
    row: GovernanceCase,
    *,
    from_stage: str | None,
    action: str,
    actor: str,
    reason: str,
    now: datetime,
    actor_id: int | None = None,
    resolution_id: int | None = None,
) -> None:
    """Append the history line of a step the row has just taken (after it was flushed); `actor_id` is the
    person's id (None for a sender outside the directory)."""
    assert row.id is not None
    uow.governance.append_history(
        {
            "case_kind": kind,
            "case_id": row.id,
            "version": row.version,
            "from_stage": from_stage,
            "to_stage": row.stage,
            "action": action,
            "actor": actor,
            "actor_id": actor_id,
            "reason": reason,
            "resolution_id": resolution_id,
            "at": now,
        }
    )


def move_deadline(
    uow: UnitOfWork,
    runtime: Runtime,
    kind: str,
    row: GovernanceCase,
    step_due: Mapping[Any, str],
    now: datetime,
) -> Projection | None:
    """Close the finished step's deadline and open the next one's, per the policy's time limits; through a
    year with no published holiday schedule the date is stored provisional (暂定) with its basis, as a case's
    deadline is, and re-projected when that year's schedule is imported."""
    assert row.id is not None
    for deadline in uow.governance.open_deadlines(kind, row.id):
        deadline.status, deadline.closed_at = "met", now
    rule = next((name for stage, name in step_due.items() if stage == row.stage), None)
    if rule is None:
        return None
    today, days = runtime.today(), getattr(runtime.governance, rule)
    projection = runtime.calendar(uow).project(today, days)
    uow.governance.add(
        GovernanceDeadline(
            case_kind=kind, case_id=row.id, step=row.stage, created_at=now, **window_columns(projection, today, days)
        )
    )
    return projection


def reproject_steps(uow: UnitOfWork, runtime: Runtime, calendar: WorkingDayCalendar, occasion: str) -> Reprojection:
    """Recompute every open provisional step deadline with `calendar` (the one just imported, `occasion`
    naming it); a date already given is never moved earlier.

    Each step gets a line in its case's history (old and new date, and what the new one rests on) at the
    case's version, which it leaves as it is: the case's own state does not change, so a form opened on it
    before the import still stands. The body responsible for the step gets a notice, in the caller's
    transaction.
    """
    now, reprojected, moved, still = runtime.clock.now(), 0, 0, 0
    for deadline in uow.governance.provisional_deadlines():
        row = uow.governance.case(deadline.case_kind, deadline.case_id)
        if deadline.start_on is None or deadline.working_days is None or row is None:
            continue
        old = deadline.due_on
        settle(deadline, calendar.project(deadline.start_on, deadline.working_days))
        _record_reprojection(uow, deadline, row, old, occasion, now)
        _tell_responsible(uow, runtime, deadline, row.reference, old, occasion, now)
        reprojected, moved, still = reprojected + 1, moved + (deadline.due_on != old), still + deadline.provisional
    return Reprojection(reprojected, moved, still)


def reprojection_reason(old: date, new: date, occasion: str, basis: str) -> str:
    """What a re-projection line says: the old and the new date, and what the new date rests on (the
    imported schedule, and the estimate while a year it reaches is still unpublished)."""
    rests_on = f"{occasion}; {basis}" if basis else occasion
    return f"{old.isoformat()} -> {new.isoformat()} ({rests_on})"


def _record_reprojection(
    uow: UnitOfWork, deadline: GovernanceDeadline, row: GovernanceCase, old: date, occasion: str, now: datetime
) -> None:
    record_step(
        uow,
        deadline.case_kind,
        row,
        from_stage=row.stage,
        action=REPROJECT_STEP,
        actor=IMPORT_ACTOR.name,
        reason=reprojection_reason(old, deadline.due_on, occasion, deadline.basis),
        now=now,
    )


def _tell_responsible(
    uow: UnitOfWork,
    runtime: Runtime,
    deadline: GovernanceDeadline,
    reference: str,
    old: date,
    occasion: str,
    now: datetime,
) -> None:
    assert deadline.id is not None
    event = GovernanceStepReprojected(
        deadline.id,
        reference,
        deadline.case_kind,
        deadline.step,
        deadline.due_on,
        responsible(runtime.governance, deadline.case_kind),
        old,
        deadline.provisional,
        deadline.basis,
        occasion,
    )
    publish(uow, [event], now)


def cited_resolution(
    uow: UnitOfWork, reference: str | None, kind: str, case_reference: str
) -> tuple[Resolution | None, ResolutionFacts | None]:
    """The resolution a decision cites, and its facts for the rules (None when none is cited)."""
    if not reference:
        return None, None
    resolution = uow.governance.resolution(reference.strip())
    if resolution is None:
        raise NotFoundError("resolution_not_found", reference=reference)
    assert resolution.id is not None
    about = {(s.kind, s.ref) for s in uow.governance.subjects(resolution.id)}
    facts = ResolutionFacts(
        resolution.reference,
        Body(resolution.body),
        resolution.valid,
        resolution.arithmetic,
        about_this_case=(kind, case_reference) in about,
    )
    return resolution, facts


def history_rows(uow: UnitOfWork, kind: str, row: GovernanceCase) -> list[dict[str, Any]]:
    assert row.id is not None
    return [
        {
            "at": line.at,
            "from": line.from_stage,
            "to": line.to_stage,
            "action": line.action,
            "actor": line.actor,
            "reason": line.reason,
        }
        for line in uow.governance.history(kind, row.id)
    ]
