"""Appeals to the impartiality committee (Charter art. 11).

The appellant is the person the decision concerns: the applicant of the failed case, the holder of the
certificate. The decision must be recorded — the case's rejection line in its stage history, the
suspension, revocation or renewal-refusal line in the certificate's history — and the appeal window runs
from its date. Nobody who took part in the matter may sit on the panel, take the appeal's steps or vote on
the resolution that decides it: the appellant, every person recorded in the history of the evaluation case
and of the certificate, the case's examiners and interview panelists, and everyone who acted on or was
appointed to earlier appeals and feedback about it, all by person id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from capeval.models import Appeal, Certificate, Person
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states import appeals as ap
from capeval.states.application import REOPEN_ACTIONS, Stage
from capeval.states.authority import Actor, party_term
from capeval.states.calendar import SHANGHAI
from capeval.states.certificates import CertificateFacts, Change, Status, change_status
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, InputError, NotFoundError, NotPermitted, Problem
from capeval.states.events import AppealDecided, AppealEvent, AppealLodged, Recipient
from capeval.states.governance import Body, GovernanceFacts, Party
from capeval.states.governance_commands import ActOnAppeal, LodgeAppeal

from .authority import actor_of, person_acting
from .certificates import schedule, write_change
from .governance_steps import (
    GovernanceOutcome,
    appoint,
    appointees,
    cited_resolution,
    ensure_may,
    history_rows,
    load_case,
    move_deadline,
    names_of,
    new_reference,
    parse_action,
    record_step,
    refuse_if_took_part,
    seated_parties,
    step_due,
    step_outcome,
)
from .handlers import take_action_in
from .renewals import RENEWAL_REFUSED
from .runtime import Runtime

KIND = "appeal"
AppealEventT = TypeVar("AppealEventT", bound=AppealEvent)
CERTIFICATE_DECISION = {
    ap.Subject.SUSPENSION.value: ("suspend", "suspended"),
    ap.Subject.REVOCATION.value: ("revoke", "revoked"),
    ap.Subject.REFUSED_RENEWAL.value: (RENEWAL_REFUSED, None),
}
"""The certificate history line each certificate decision is recorded by, and the status it leaves."""
REINSTATED_SUBJECTS = frozenset({ap.Subject.SUSPENSION.value, ap.Subject.REVOCATION.value})
"""Decisions an upheld appeal undoes on the certificate itself (the certificate returns to active)."""


@dataclass(frozen=True)
class Decision:
    """The recorded decision an appeal is against: whom it concerns, when and by whom it was taken."""

    concerns: int
    application_id: int | None
    decided_on: date | None = None
    decided_by: tuple[str, ...] = ()
    refusal: Problem | None = None


def lodge_appeal(runtime: Runtime, command: LodgeAppeal) -> GovernanceOutcome:
    """Receive the appeal of the person a recorded decision concerns, if admissible: appealable subject,
    stated grounds, the decision standing, within the window from its recorded date."""
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        appellant = person_acting(uow, command.actor)
        decision = _decision(uow, command)
        if appellant.id != decision.concerns:
            raise NotPermitted(
                "authority_party_needed", actor=appellant.name, action="lodge", party=party_term(Party.APPELLANT)
            )
        open_appeal = uow.governance.open_appeal_for(decision.application_id, command.registration_number)
        if open_appeal is not None:
            raise InputError("appeal_already_open", reference=open_appeal.reference)
        window = (
            runtime.calendar(uow).add_working_days(decision.decided_on, runtime.governance.appeal_window_working_days)
            if decision.decided_on
            else None
        )
        facts = ap.LodgingFacts(
            today=today,
            subject=command.subject,
            grounds=tuple(g.strip() for g in command.grounds if g.strip()),
            statement=command.statement,
            decided_on=decision.decided_on,
            window_closes_on=window,
            subject_state_ok=decision.refusal,
            policy=runtime.governance,
        )
        refused = [(rule.name, problem) for rule in ap.LODGING_RULES if (problem := rule.problem(facts))]
        if refused:
            raise GuardRefused(refused)
        assert decision.decided_on is not None
        row = Appeal(
            reference=new_reference(uow, KIND, today),
            appellant_id=appellant.id,
            appellant_name=appellant.name,
            appellant_email=appellant.email,
            subject=command.subject,
            application_id=decision.application_id,
            registration_number=command.registration_number,
            decided_on=decision.decided_on,
            decided_by=", ".join(decision.decided_by),
            grounds=", ".join(facts.grounds),
            statement=command.statement.strip(),
            stage=ap.WORKFLOW.initial.value,
            created_at=now,
            updated_at=now,
        )
        uow.governance.add(row)
        uow.flush()
        record_step(
            uow,
            KIND,
            row,
            from_stage=None,
            action="lodge",
            actor=appellant.name,
            actor_id=appellant.id,
            reason="",
            now=now,
        )
        next_due = move_deadline(uow, runtime, KIND, row, ap.STEP_DUE, now)
        publish(uow, [_event(AppealLodged, row, row.statement)], now)
        uow.commit()
        return step_outcome(KIND, row, None, next_due, {"decided_on": decision.decided_on, "window_closed_on": window})


def appeal_actor(uow: UnitOfWork, person: Person, row: Appeal, today: date) -> Actor:
    """`person` on this appeal: its appellant holds only that; anyone else the parties their seats give."""
    if person.id is not None and person.id == row.appellant_id:
        return actor_of(person).holding({Party.APPELLANT})
    return actor_of(person).holding(seated_parties(uow, person, today))


def act_on_appeal(runtime: Runtime, command: ActOnAppeal) -> GovernanceOutcome:
    """Appoint the panel, or decide: dismiss with reasons, or uphold (and reopen a failed evaluation); each
    by a member of the impartiality committee on the day who took no part in the matter."""
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow, uow.no_autoflush():
        row: Appeal = load_case(uow, KIND, command.reference)
        stage = ap.AppealStage(row.stage)
        action = parse_action(ap.AppealAction, command.action, ap.WORKFLOW.allowed(stage))
        actor = appeal_actor(uow, person_acting(uow, command.actor), row, today)
        ensure_may(ap.WORKFLOW, stage, action, actor)
        excluded = participants(uow, row)
        refuse_if_took_part(actor, excluded, row.reference)
        resolution, resolution_facts = cited_resolution(uow, command.resolution, KIND, row.reference)
        reopen_stage = (command.reopen_stage or "").strip() or None
        if reopen_stage is not None and reopen_stage not in ap.REOPEN_STAGES:
            raise InputError("appeal_reopen_stage_unknown", choices=list(ap.REOPEN_STAGES), stage=reopen_stage)
        facts = GovernanceFacts(
            today=today,
            reason=command.reason,
            appointees=appointees(uow, command.panel),
            participants=frozenset(excluded),
            resolution=resolution_facts,
            required_body=Body.IMPARTIALITY_COMMITTEE,
            reopen_stage=reopen_stage,
            reopen_needed=row.subject == ap.Subject.FAILED_EVALUATION.value and row.application_id is not None,
            policy=runtime.governance,
        )
        step = ap.WORKFLOW.advance(stage, action, facts, actor)
        assert row.id is not None
        if action is ap.AppealAction.APPOINT_PANEL:
            appoint(uow, KIND, row.id, facts.appointees, "panel", now)
        else:
            row.decision = command.reason.strip()
            row.resolution_id = resolution.id if resolution else None
        row.stage, row.updated_at = step.dest.value, now
        if action is ap.AppealAction.UPHOLD and facts.reopen_needed:
            row.reopen_stage = reopen_stage
        uow.flush()
        record_step(
            uow,
            KIND,
            row,
            from_stage=stage.value,
            action=action.value,
            actor=actor.label,
            actor_id=actor.person_id,
            reason=command.reason.strip(),
            now=now,
            resolution_id=row.resolution_id,
        )
        next_due = move_deadline(uow, runtime, KIND, row, ap.STEP_DUE, now)
        detail: dict[str, Any] = {}
        if action is ap.AppealAction.UPHOLD and row.reopen_stage and row.application_id is not None:
            reopened = take_action_in(
                uow,
                runtime,
                TakeAction(
                    row.application_id,
                    REOPEN_ACTIONS[Stage(row.reopen_stage)],
                    actor.username,
                    f"appeal {row.reference} upheld by resolution {resolution.reference if resolution else ''}: "
                    f"{command.reason.strip()}",
                ),
            )
            row.reopened_at = now
            detail = {"case_id": reopened.case_id, "case_stage": reopened.stage}
        if action is ap.AppealAction.UPHOLD and row.subject in REINSTATED_SUBJECTS:
            basis = f"appeal {row.reference} upheld by resolution {resolution.reference if resolution else ''}"
            detail |= reinstate_certificate(uow, runtime, row, actor, f"{basis}: {command.reason.strip()}")
        if action is not ap.AppealAction.APPOINT_PANEL:
            detail["resolution"] = resolution.reference if resolution else None
            detail["arithmetic"] = resolution.arithmetic if resolution else None
            decided = _event(AppealDecided, row, row.decision, outcome=row.stage, reopened_at_stage=row.reopen_stage)
            publish(uow, [decided], now)
        uow.commit()
        return step_outcome(KIND, row, stage.value, next_due, detail)


def reinstate_certificate(uow: UnitOfWork, runtime: Runtime, row: Appeal, actor: Actor, basis: str) -> dict[str, Any]:
    """Return the certificate an upheld suspension or revocation appeal is about to active, through the
    certificate workflow's `reinstate` move (history line and the holder's notice included), when it still
    stands in the status the appealed decision left; a certificate changed since (restored, expired,
    revoked on another ground) is left as it is, and the detail says so."""
    assert row.registration_number is not None
    found = uow.certificates.with_holder(row.registration_number)
    if found is None:
        raise NotFoundError("appeal_certificate_not_found", registration_number=row.registration_number)
    certificate, person, _ = found
    _, left = CERTIFICATE_DECISION[row.subject]
    previous = certificate.status
    if certificate.status != left:
        return {"certificate": certificate.registration_number, "certificate_status": previous, "reinstated": False}
    now, today = runtime.clock.now(), runtime.today()
    values = schedule(certificate.term_starts_on, certificate.expires_on, runtime.policies.renewal, today)
    previous_status = Status(previous)
    facts = CertificateFacts(today, certificate.expires_on, basis, appeal_upheld=True)
    move = change_status(previous_status, Change.REINSTATE, facts, actor)
    status = write_change(
        uow, certificate, person, previous_status, move.dest, Change.REINSTATE, actor, basis, today, now, values
    )
    return {"certificate": certificate.registration_number, "certificate_status": status.value, "reinstated": True}


def show_appeal(runtime: Runtime, reference: str) -> dict[str, Any]:
    with runtime.unit_of_work() as uow:
        row: Appeal = load_case(uow, KIND, reference)
        assert row.id is not None
        deadlines = uow.governance.open_deadlines(KIND, row.id)
        resolution = uow.governance.resolution_by_id(row.resolution_id) if row.resolution_id else None
        return {
            "reference": row.reference,
            "appellant": row.appellant_name,
            "subject": row.subject,
            "case_id": row.application_id,
            "registration_number": row.registration_number,
            "decided_on": row.decided_on,
            "decided_by": row.decided_by,
            "grounds": row.grounds,
            "stage": row.stage,
            **step_due(deadlines),
            "panel": [a.person_name for a in uow.governance.appointments(KIND, row.id)],
            "excluded": names_of(uow, participants(uow, row)),
            "decision": row.decision,
            "resolution": resolution.reference if resolution else None,
            "arithmetic": resolution.arithmetic if resolution else None,
            "reopened_at_stage": row.reopen_stage,
            "history": history_rows(uow, KIND, row),
        }


def participants(uow: UnitOfWork, row: Appeal) -> set[int]:
    """The ids of everyone who took part in the matter appealed (the appellant among them): they may not sit
    on the panel, take its steps, or vote on the resolution deciding it."""
    assert row.id is not None
    found = uow.governance.people_behind([(row.appellant_id, row.appellant_name)])
    if row.application_id is not None:
        found |= uow.governance.participants_of_application(row.application_id, besides=(KIND, row.id))
    if row.registration_number is not None:
        certificate = uow.governance.certificate(row.registration_number)
        if certificate is not None and certificate.id is not None:
            found |= uow.governance.participants_of_certificate(certificate.id)
    return found


def _decision(uow: UnitOfWork, command: LodgeAppeal) -> Decision:
    """The decision appealed against as recorded, or why it cannot be appealed."""
    if command.subject == ap.Subject.FAILED_EVALUATION.value:
        if command.case_id is None:
            raise InputError("appeal_case_required")
        case = uow.applications.get(command.case_id)
        if case is None or case.id is None:
            raise NotFoundError("governance_evaluation_case_not_found", case_id=command.case_id)
        if case.stage != Stage.REJECTED.value:
            refusal = Problem("appeal_case_not_rejected", {"case_id": case.id, "stage": case.stage})
            return Decision(case.person_id, case.id, refusal=refusal)
        lines = [h for h in uow.history.for_case(case.id) if h.to_stage == Stage.REJECTED.value]
        if not lines:
            refusal = Problem("appeal_rejection_not_recorded", {"case_id": case.id})
            return Decision(case.person_id, case.id, refusal=refusal)
        line = lines[-1]
        return Decision(case.person_id, case.id, line.at.astimezone(SHANGHAI).date(), (line.actor,))
    if command.registration_number is None:
        raise InputError("appeal_certificate_required", subject=ap.subject_term(command.subject))
    certificate = uow.governance.certificate(command.registration_number)
    if certificate is None:
        raise NotFoundError("appeal_certificate_not_found", registration_number=command.registration_number)
    return _certificate_decision(uow, certificate, command.subject)


def _certificate_decision(uow: UnitOfWork, certificate: Certificate, subject: str) -> Decision:
    assert certificate.id is not None
    concerns, case_id = certificate.person_id, certificate.application_id
    if subject not in CERTIFICATE_DECISION:
        return Decision(concerns, case_id)
    action, status = CERTIFICATE_DECISION[subject]
    number = certificate.registration_number
    if status is not None and certificate.status != status:
        refusal = Problem(
            "appeal_certificate_status", {"registration_number": number, "status": certificate.status, "wanted": status}
        )
        return Decision(concerns, case_id, refusal=refusal)
    history = list(uow.certificates.history(certificate.id))
    lines = [(n, h) for n, h in enumerate(history) if h.action == action]
    if not lines:
        params = {"registration_number": number, "subject": ap.subject_term(subject)}
        if action == RENEWAL_REFUSED:
            return Decision(concerns, case_id, refusal=Problem("appeal_renewal_not_refused", params))
        return Decision(concerns, case_id, refusal=Problem("appeal_decision_not_recorded", params))
    position, line = lines[-1]
    if action == RENEWAL_REFUSED and any(h.action == Change.RENEW.value for h in history[position + 1 :]):
        refusal = Problem(
            "appeal_renewal_since_renewed", {"registration_number": number, "refused_on": line.effective_on}
        )
        return Decision(concerns, case_id, refusal=refusal)
    return Decision(concerns, case_id, line.effective_on, (line.actor,))


def _event(event: type[AppealEventT], row: Appeal, reason: str, **extra: Any) -> AppealEventT:
    assert row.id is not None
    appellant = Recipient(row.appellant_name, row.appellant_email)
    return event(row.id, row.version, row.reference, appellant, row.subject, reason, row.application_id, **extra)
