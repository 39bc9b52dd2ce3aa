"""Command handlers: load through the unit of work, let the workflow decide, write everything in one commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from capeval.models import Application, EvidenceItem, Person, StageHistory
from capeval.models.case_context import PLAIN, ContextRead
from capeval.models.repositories import CaseContext
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states.application import INITIAL_STAGE, OPEN_STAGES, PARTY_OF, Action, Move, Party, Stage, advance
from capeval.states.authority import Actor, require
from capeval.states.calendar import Projection, local_date
from capeval.states.commands import AddSupplement, CreateApplication, EvidenceRef, ReviseMaterial, TakeAction
from capeval.states.engine import ensure_unchanged
from capeval.states.errors import DomainError, InputError, NotFoundError, NotPermitted
from capeval.states.events import APPLICATION_EVENTS, Recipient
from capeval.states.guards import EVIDENCE_LABELS
from capeval.states.identity import id_number_digest, mask_id_number
from capeval.states.messages import Term

from . import deadlines
from .authority import STAFF_ROLE_OF, actor_of, case_actor, case_parties, person_acting
from .certificates import issue_certificate, revoke_all_for_fraud
from .directory import new_username
from .facts import CONTEXT_FACTS, RESUBMISSION, SUPPLEMENT, StoredFacts, supplement_round
from .identity_key import id_key
from .runtime import Runtime
from .work_experience import store_periods

DEADLINE_OF_STAGE = {Stage.RETURNED: RESUBMISSION, Stage.SUPPLEMENT_REQUESTED: SUPPLEMENT}
EDITABLE_STAGES = frozenset({Stage.DRAFT, Stage.RETURNED})
"""Material can be changed only before material review starts (Q&A Q19); after that only supplements."""
_ROLES_LOOKED_UP: dict[Party, tuple[tuple[str, bool], ...]] = {
    party: ((role.value, of_the_society),) for party, (role, of_the_society) in STAFF_ROLE_OF.items()
}
"""The staff role that holds each such party, asked for in the case context read so that `case_actor`'s
lookup of it sends nothing (`authority.case_parties` decides)."""
_DETACHED_READS: dict[Action, ContextRead] = {
    action: replace(CONTEXT_FACTS.get(action, PLAIN), detached=True) for action in Action
}
"""Each action's context read, its rows as detached copies: a move reads the case context, it writes through
statements of its own."""
REVISE, ADD_SUPPLEMENT = "revise", "add_supplement"
"""The history actions of a change of the material: the stage stays, the version rises by one."""


@dataclass(frozen=True)
class Outcome:
    """What a command did to a case."""

    case_id: int
    stage: str
    version: int
    previous_stage: str | None = None
    due_on: date | None = None
    registration_number: str | None = None
    applicant: str | None = None
    """The username of the case's applicant."""
    due_provisional: bool = False
    """`due_on` is 暂定: it reaches a year whose holiday schedule is not published yet."""


def handle(runtime: Runtime, command: object) -> Outcome:
    """Run `command` through its handler."""
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"no handler for {type(command).__name__}")
    return handler(runtime, command)


def create_application(runtime: Runtime, command: CreateApplication) -> Outcome:
    """Open a draft case; the applicant is matched by ID number or recorded on first application."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        key = id_key(runtime, uow)
        society = uow.directory.society_by_code(command.society_code)
        if society is None or society.id is None:
            known = [s.code for s in uow.directory.societies()] or Term("lookup_none_loaded")
            raise NotFoundError("case_society_unknown", code=command.society_code, known=known)
        if uow.directory.field(command.field_code) is None:
            known = [f.code for f in uow.directory.fields()]
            raise NotFoundError("case_field_unknown", code=command.field_code, known=known)
        _check_evidence_kinds(command.evidence)
        person = _person_for(uow, command, now, key)
        assert person.id is not None
        _refuse_a_second_open_case(uow, person, society.id, command)
        case = Application(
            person_id=person.id,
            society_id=society.id,
            field_code=command.field_code,
            level=command.level.value,
            route=command.route.value,
            stage=INITIAL_STAGE.value,
            batch=command.batch,
            self_statement=command.self_statement,
            commitment_signed_at=now if command.commitment_signed else None,
            international_title=command.international_title,
            international_title_issuer=command.international_title_issuer,
            international_title_expires_on=command.international_title_expires_on,
            created_at=now,
            updated_at=now,
        )
        uow.applications.add(case)
        uow.flush()
        assert case.id is not None
        uow.references.assign(case.id, society.id, society.code, local_date(now).year)
        _attach(uow, case.id, command.evidence, now, person.id)
        store_periods(uow, case.id, command.work_experience, runtime.today())
        uow.history.add(
            StageHistory(
                application_id=case.id,
                version=case.version,
                from_stage=None,
                to_stage=case.stage,
                action="create",
                actor=person.name,
                actor_id=person.id,
                reason="",
                at=now,
            )
        )
        outcome = Outcome(case.id, case.stage, case.version, applicant=person.username)
        if command.submit:
            uow.flush()
            with uow.no_autoflush():
                outcome = take_action_in(uow, runtime, TakeAction(case.id, Action.SUBMIT, person.username))
        uow.commit()
        return outcome


def _refuse_a_second_open_case(uow: UnitOfWork, person: Person, society_id: int, command: CreateApplication) -> None:
    """One open case per person, society, field and level: a second application is refused, not opened."""
    assert person.id is not None
    stages = sorted(stage.value for stage in OPEN_STAGES)
    level = command.level.value
    open_case = uow.applications.open_case_like(person.id, society_id, command.field_code, level, stages)
    if open_case is not None:
        raise DomainError(
            "case_already_open",
            name=person.name,
            case_id=open_case,
            society=command.society_code,
            field=command.field_code,
            level=level,
        )


def revise_material(runtime: Runtime, command: ReviseMaterial) -> Outcome:
    """Change the statement, add evidence or sign the commitment while the case is a draft or returned."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        context = _load(uow, command.case_id, command.expected_version)
        case = context.case
        actor = _applicant_only(uow, command.actor, context, runtime.today(), REVISE)
        if Stage(case.stage) not in EDITABLE_STAGES:
            raise DomainError("case_material_frozen", case_id=case.id, stage=case.stage)
        _check_evidence_kinds(command.evidence)
        if command.self_statement is not None:
            case.self_statement = command.self_statement
        if command.sign_commitment and case.commitment_signed_at is None:
            case.commitment_signed_at = now
        assert case.id is not None
        _attach(uow, case.id, command.evidence, now, case.person_id)
        _record_material(uow, case, REVISE, actor, now)
        uow.commit()
        return Outcome(case.id, case.stage, case.version)


def add_supplement(runtime: Runtime, command: AddSupplement) -> Outcome:
    """Attach supplementary material in answer to the open request."""
    now = runtime.clock.now()
    if not command.evidence:
        raise InputError("case_supplement_empty")
    with runtime.unit_of_work() as uow:
        context = _load(uow, command.case_id, command.expected_version)
        case = context.case
        actor = _applicant_only(uow, command.actor, context, runtime.today(), ADD_SUPPLEMENT)
        if Stage(case.stage) is not Stage.SUPPLEMENT_REQUESTED:
            raise DomainError("case_supplement_not_requested", case_id=case.id, stage=case.stage)
        assert case.id is not None
        current_round = supplement_round(uow, case)
        for ref in command.evidence:
            uow.applications.add(
                EvidenceItem(
                    application_id=case.id,
                    kind="supplement",
                    reference=ref.reference,
                    description=ref.description,
                    supplement_round=current_round,
                    added_at=now,
                    document_digest=_document_of(uow, ref, now, case.person_id),
                )
            )
        _record_material(uow, case, ADD_SUPPLEMENT, actor, now)
        uow.commit()
        return Outcome(case.id, case.stage, case.version)


def take_action(runtime: Runtime, command: TakeAction) -> Outcome:
    """Fire one workflow action; stage, history, deadlines, certificate or ban, and notice commit together."""
    with runtime.unit_of_work() as uow, uow.no_autoflush():
        outcome = take_action_in(uow, runtime, command)
        uow.commit()
        return outcome


def take_action_as_party(runtime: Runtime, command: TakeAction) -> Outcome:
    """`take_action` for a person who must hold a part on the case (the console's and the API's actions): one
    who holds none is refused (`console_case_not_yours`) before the version or the action is looked at. The
    parties are those the handler reads anyway, so this sends no statement more than `take_action`."""
    with runtime.unit_of_work() as uow, uow.no_autoflush():
        outcome = take_action_in(uow, runtime, command, outsiders_refused=True)
        uow.commit()
        return outcome


def take_action_in(
    uow: UnitOfWork,
    runtime: Runtime,
    command: TakeAction,
    *,
    details: dict[str, Any] | None = None,
    acting: Actor | None = None,
    outsiders_refused: bool = False,
) -> Outcome:
    """`take_action` inside a unit of work the caller commits (an upheld appeal reopens a case this way).

    With `details` the move records them instead of running its action's effect (the cases a
    disqualification closes: the ban and revocations are already written); `acting` is the actor a
    decision already authorized acts as on the cases it closes; with `outsiders_refused` a person holding
    no part on the case is refused first (`take_action_as_party`)."""
    now, today = runtime.clock.now(), runtime.today()
    party = PARTY_OF[command.action]
    read = _DETACHED_READS[command.action]
    if acting is None and isinstance(command.actor, str):
        read = replace(read, actor=command.actor.strip(), roles=_ROLES_LOOKED_UP.get(party, ()))
    context = _context(uow, command.case_id, read)
    if outsiders_refused and acting is None:
        assert isinstance(command.actor, str)
        acting = _party_acting(uow, command.actor, context, today, party)
    _ensure_version(context, command.expected_version)
    case, person = context.case, context.person
    assert case.id is not None
    facts = StoredFacts(
        uow,
        context,
        today=today,
        reason=command.reason,
        policy=runtime.policy,
        basis=command.basis,
        review_policy=runtime.review_policy,
    )
    actor = acting or case_actor(uow, command.actor, context, today, {party})
    uow.directory.forget_prefetched()
    move = advance(Stage(case.stage), command.action, facts, actor)
    window = _update_deadlines(uow, runtime, facts, move, now, today)
    due_on = window.day if window is not None else None
    if details is not None:
        extra = details
    else:
        extra = EFFECTS[move.action](uow, runtime, context, command, actor, now) if move.action in EFFECTS else {}
    previous, version = case.stage, case.version + 1
    reason = command.reason or case.last_reason
    uow.applications.record_move(
        case.id, case.version, {"stage": move.dest.value, "updated_at": now, "last_reason": reason}
    )
    uow.history.append(
        {
            "application_id": case.id,
            "version": version,
            "from_stage": previous,
            "to_stage": move.dest.value,
            "action": move.action.value,
            "actor": actor.label,
            "actor_id": actor.person_id,
            "reason": command.reason,
            "basis": command.basis.describe() if command.basis is not None else "",
            "at": now,
        }
    )
    event = APPLICATION_EVENTS[move.action](
        case_id=case.id,
        version=version,
        applicant=Recipient(person.name, person.email, person.language, person.id),
        stage=move.dest.value,
        previous_stage=previous,
        reason=command.reason,
        field_code=case.field_code,
        level=case.level,
        due_on=due_on,
        due_provisional=window is not None and window.provisional,
        details=extra,
    )
    publish(uow, [event], now)
    return Outcome(
        case.id,
        move.dest.value,
        version,
        previous,
        due_on,
        extra.get("registration_number"),
        person.username,
        window is not None and window.provisional,
    )


def _update_deadlines(
    uow: UnitOfWork, runtime: Runtime, facts: StoredFacts, move: Move, now: datetime, today: date
) -> Projection | None:
    if move.source in DEADLINE_OF_STAGE:
        closing_status = {Action.RESUBMIT: "met", Action.PROVIDE_SUPPLEMENT: "met", Action.LAPSE: "expired"}
        for deadline in facts.open_deadlines:
            deadline.status = closing_status.get(move.action, "cancelled")
            deadline.closed_at = now
    deadlines.follow_review(uow, runtime, facts.case_id, move.source, move.dest, today, now)
    kind = DEADLINE_OF_STAGE.get(move.dest)
    if kind is None:
        return None
    days = runtime.policy.resubmission_working_days if kind == RESUBMISSION else runtime.policy.supplement_working_days
    return deadlines.open_window(uow, runtime, facts.case_id, kind, days, today, now)


def close_open_cases(
    uow: UnitOfWork, runtime: Runtime, person_id: int, *, decider: Actor, reason: str, sparing: int | None = None
) -> list[int]:
    """Move every open case of a disqualified person but `sparing` to disqualified through the workflow.

    The one decision closes them all: its decider acts on each in the party the move needs, whatever society
    the case is in. Each move writes its history line and the applicant's notice; the ban and the revocations
    are the caller's, so the cases' own `disqualify` effect is not run again (Q&A Q14).
    """
    open_cases = uow.applications.of_person_in(person_id, sorted(stage.value for stage in OPEN_STAGES))
    closed = [case_id for case_id, _ in open_cases if case_id != sparing]
    consequence = decider.holding({PARTY_OF[Action.DISQUALIFY]})
    for case_id in closed:
        already_done: dict[str, Any] = {"revoked_certificates": [], "closed_cases": []}
        order = TakeAction(case_id, Action.DISQUALIFY, decider.username, reason)
        take_action_in(uow, runtime, order, details=already_done, acting=consequence)
    return closed


def disqualify_applicant(
    uow: UnitOfWork, runtime: Runtime, context: CaseContext, command: TakeAction, actor: Actor, now: datetime
) -> dict[str, Any]:
    """The `disqualify` effect: lifetime ban, every certificate revoked, every other open case closed (Q&A Q14)."""
    extra = revoke_all_for_fraud(uow, runtime, context, command, actor, now)
    assert context.person.id is not None
    cause = f"case {context.case.id} disqualified: {command.reason}"
    closed = close_open_cases(uow, runtime, context.person.id, decider=actor, reason=cause, sparing=context.case.id)
    return {**extra, "closed_cases": closed}


Effect = Callable[[UnitOfWork, Runtime, CaseContext, TakeAction, Actor, datetime], dict[str, Any]]
EFFECTS: dict[Action, Effect] = {Action.REGISTER: issue_certificate, Action.DISQUALIFY: disqualify_applicant}


def _load(uow: UnitOfWork, case_id: int, expected_version: int | None) -> CaseContext:
    context = _context(uow, case_id)
    _ensure_version(context, expected_version)
    return context


def _context(uow: UnitOfWork, case_id: int, read: ContextRead = PLAIN) -> CaseContext:
    context = uow.applications.context(case_id, read=read)
    if context is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    return context


def _ensure_version(context: CaseContext, expected_version: int | None) -> None:
    case = context.case
    subject = Term(
        "subject_case_at_version", {"case_id": case.id, "version": case.version, "expected": expected_version}
    )
    ensure_unchanged(subject, expected_version in (None, case.version))


def _party_acting(uow: UnitOfWork, who: str, context: CaseContext, today: date, party: Party) -> Actor:
    """`case_actor` for `party`, but NotPermitted when the person holds no part on the case at all."""
    person = person_acting(uow, who)
    held = case_parties(uow, person, context, today, {party})
    if not held and not case_parties(uow, person, context, today):
        raise NotPermitted("console_case_not_yours", actor=person.name, case_id=context.case.id)
    return actor_of(person).holding(held)


def _applicant_only(uow: UnitOfWork, who: str, context: CaseContext, today: date, action: str) -> Actor:
    actor = case_actor(uow, who, context, today, {Party.APPLICANT})
    require(actor, Party.APPLICANT, action)
    return actor


def _record_material(uow: UnitOfWork, case: Application, action: str, actor: Actor, now: datetime) -> None:
    """A change of the material raises the case's version once and writes its history line; the stage stays."""
    assert case.id is not None
    case.updated_at = now
    uow.applications.mark_changed(case)
    uow.flush()
    uow.history.append(
        {
            "application_id": case.id,
            "version": case.version,
            "from_stage": case.stage,
            "to_stage": case.stage,
            "action": action,
            "actor": actor.label,
            "actor_id": actor.person_id,
            "reason": "",
            "at": now,
        }
    )


def _person_for(uow: UnitOfWork, command: CreateApplication, now: datetime, key: bytes) -> Person:
    details = command.applicant
    digest = id_number_digest(details.id_number, key)
    person = uow.directory.person_by_digest(digest)
    if person is None:
        person = Person(
            username=new_username(uow, details.email, details.username or None, "applicant"),
            name=details.name,
            id_number_digest=digest,
            id_number_masked=mask_id_number(details.id_number),
            email=details.email,
            language=details.language,
            employer=details.employer,
            created_at=now,
        )
        uow.directory.add(person)
        uow.flush()
    return person


def _check_evidence_kinds(evidence: tuple[EvidenceRef, ...]) -> None:
    for ref in evidence:
        if ref.kind not in EVIDENCE_LABELS or ref.kind == "supplement":
            known = [kind for kind in EVIDENCE_LABELS if kind != "supplement"]
            raise InputError("case_evidence_kind_unknown", kind=ref.kind, known=known)


def _attach(
    uow: UnitOfWork, case_id: int, evidence: tuple[EvidenceRef, ...], now: datetime, sender: int | None
) -> None:
    for ref in evidence:
        uow.applications.add(
            EvidenceItem(
                application_id=case_id,
                kind=ref.kind,
                reference=ref.reference,
                description=ref.description,
                added_at=now,
                document_digest=_document_of(uow, ref, now, sender),
            )
        )


def _document_of(uow: UnitOfWork, ref: EvidenceRef, now: datetime, sender: int | None) -> str | None:
    """The digest of the stored file `ref` carries, its document row recorded; None for a bare reference."""
    if ref.document is None:
        return None
    return uow.documents.record(ref.document, sender, now).digest


HANDLERS: dict[type, Callable[[Runtime, Any], Outcome]] = {
    CreateApplication: create_application,
    ReviseMaterial: revise_material,
    AddSupplement: add_supplement,
    TakeAction: take_action,
}
