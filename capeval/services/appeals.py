"""Appeals to the impartiality committee (Charter art. 11).

Nobody who took part in the original decision may sit on the panel: the participants are gathered from the
history of the evaluation case (every actor recorded on it, and on earlier appeals and feedback about it)
and from the deciders the appellant names for certificate decisions.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from capeval.models import Appeal, GovernanceAppointment
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.states import appeals as ap
from capeval.states.application import REOPEN_ACTIONS, Stage
from capeval.states.calendar import SHANGHAI
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, InputError, NotFoundError, Problem
from capeval.states.events import AppealDecided, AppealEvent, AppealLodged, Recipient
from capeval.states.governance import Body, GovernanceFacts
from capeval.states.governance_commands import ActOnAppeal, LodgeAppeal

from .governance_steps import (
    GovernanceOutcome,
    cited_resolution,
    history_rows,
    load_case,
    move_deadline,
    new_reference,
    parse_action,
    record_step,
)
from .handlers import take_action_in
from .runtime import Runtime

KIND = "appeal"
AppealEventT = TypeVar("AppealEventT", bound=AppealEvent)
CERTIFICATE_STATUS = {"suspension": "suspended", "revocation": "revoked"}


def lodge_appeal(runtime: Runtime, command: LodgeAppeal) -> GovernanceOutcome:
    """Receive an appeal if it is admissible: appealable subject, stated grounds, decision standing, in time."""
    if not command.appellant_name.strip():
        raise InputError("appeal_appellant_required")
    if not command.appellant_email.strip():
        raise InputError("appeal_email_required")
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        decided_on, decided_by, state_refusal, application_id = _decision(uow, command)
        open_appeal = uow.governance.open_appeal_for(application_id, command.registration_number)
        if open_appeal is not None:
            raise InputError("appeal_already_open", reference=open_appeal.reference)
        window = (
            runtime.calendar(uow).add_working_days(decided_on, runtime.governance.appeal_window_working_days)
            if decided_on
            else None
        )
        facts = ap.LodgingFacts(
            today=today,
            subject=command.subject,
            grounds=tuple(g.strip() for g in command.grounds if g.strip()),
            statement=command.statement,
            decided_on=decided_on,
            window_closes_on=window,
            subject_state_ok=state_refusal,
            policy=runtime.governance,
        )
        refused = [(rule.name, problem) for rule in ap.LODGING_RULES if (problem := rule.problem(facts))]
        if refused:
            raise GuardRefused(refused)
        assert decided_on is not None
        row = Appeal(
            reference=new_reference(uow, KIND, today),
            appellant_name=command.appellant_name.strip(),
            appellant_email=command.appellant_email.strip(),
            subject=command.subject,
            application_id=application_id,
            registration_number=command.registration_number,
            decided_on=decided_on,
            decided_by=", ".join(decided_by),
            grounds=", ".join(facts.grounds),
            statement=command.statement.strip(),
            stage=ap.WORKFLOW.initial.value,
            created_at=now,
            updated_at=now,
        )
        uow.governance.add(row)
        uow.flush()
        record_step(uow, KIND, row, from_stage=None, action="lodge", actor=row.appellant_name, reason="", now=now)
        due_on = move_deadline(uow, runtime, KIND, row, ap.STEP_DUE, now)
        publish(uow, [_event(AppealLodged, row, row.statement)], now)
        uow.commit()
        return GovernanceOutcome(
            KIND, row.reference, row.stage, row.version, None, due_on, {"window_closed_on": window}
        )


def act_on_appeal(runtime: Runtime, command: ActOnAppeal) -> GovernanceOutcome:
    """Appoint the panel, or decide: dismiss with reasons, or uphold (and reopen a failed evaluation)."""
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow, uow.no_autoflush():
        row: Appeal = load_case(uow, KIND, command.reference)
        stage = ap.AppealStage(row.stage)
        action = parse_action(ap.AppealAction, command.action, ap.WORKFLOW.allowed(stage))
        resolution, resolution_facts = cited_resolution(uow, command.resolution, KIND, row.reference)
        reopen_stage = (command.reopen_stage or "").strip() or None
        if reopen_stage is not None and reopen_stage not in ap.REOPEN_STAGES:
            raise InputError("appeal_reopen_stage_unknown", choices=list(ap.REOPEN_STAGES), stage=reopen_stage)
        facts = GovernanceFacts(
            today=today,
            reason=command.reason,
            appointees=tuple(n.strip() for n in command.panel if n.strip()),
            participants=frozenset(participants(uow, row)),
            resolution=resolution_facts,
            required_body=Body.IMPARTIALITY_COMMITTEE,
            reopen_stage=reopen_stage,
            reopen_needed=row.subject == ap.Subject.FAILED_EVALUATION.value and row.application_id is not None,
            policy=runtime.governance,
        )
        step = ap.WORKFLOW.advance(stage, action, facts)
        assert row.id is not None
        if action is ap.AppealAction.APPOINT_PANEL:
            for name in dict.fromkeys(facts.appointees):
                uow.governance.add(
                    GovernanceAppointment(
                        case_kind=KIND, case_id=row.id, person_name=name, role="panel", appointed_at=now
                    )
                )
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
            actor=command.actor,
            reason=command.reason.strip(),
            now=now,
            resolution_id=row.resolution_id,
        )
        due_on = move_deadline(uow, runtime, KIND, row, ap.STEP_DUE, now)
        detail: dict[str, Any] = {}
        if action is ap.AppealAction.UPHOLD and row.reopen_stage and row.application_id is not None:
            reopened = take_action_in(
                uow,
                runtime,
                TakeAction(
                    row.application_id,
                    REOPEN_ACTIONS[Stage(row.reopen_stage)],
                    command.actor,
                    f"appeal {row.reference} upheld by resolution {resolution.reference if resolution else ''}: "
                    f"{command.reason.strip()}",
                ),
            )
            row.reopened_at = now
            detail = {"case_id": reopened.case_id, "case_stage": reopened.stage}
        if action is not ap.AppealAction.APPOINT_PANEL:
            detail["resolution"] = resolution.reference if resolution else None
            detail["arithmetic"] = resolution.arithmetic if resolution else None
            decided = _event(AppealDecided, row, row.decision, outcome=row.stage, reopened_at_stage=row.reopen_stage)
            publish(uow, [decided], now)
        uow.commit()
        return GovernanceOutcome(KIND, row.reference, row.stage, row.version, stage.value, due_on, detail)


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
            "grounds": row.grounds,
            "stage": row.stage,
            "step_due_on": deadlines[0].due_on if deadlines else None,
            "panel": [a.person_name for a in uow.governance.appointments(KIND, row.id)],
            "excluded": sorted(participants(uow, row)),
            "decision": row.decision,
            "resolution": resolution.reference if resolution else None,
            "arithmetic": resolution.arithmetic if resolution else None,
            "reopened_at_stage": row.reopen_stage,
            "history": history_rows(uow, KIND, row),
        }


def participants(uow: UnitOfWork, row: Appeal) -> set[str]:
    """Who took part in the original decision, and so may not sit on the appeal (plus the appellant)."""
    found = {row.appellant_name} | {name.strip() for name in row.decided_by.split(",") if name.strip()}
    if row.application_id is not None:
        found |= uow.governance.participants_of_application(row.application_id)
    assert row.id is not None
    found -= {a.person_name for a in uow.governance.appointments(KIND, row.id)}
    return found


def _decision(uow: UnitOfWork, command: LodgeAppeal) -> tuple[date | None, tuple[str, ...], Problem | None, int | None]:
    """(date of the decision, its deciders, why it cannot be appealed or None, the evaluation case)."""
    if command.subject == ap.Subject.FAILED_EVALUATION.value:
        if command.case_id is None:
            raise InputError("appeal_case_required")
        case = uow.applications.get(command.case_id)
        if case is None:
            raise NotFoundError("governance_evaluation_case_not_found", case_id=command.case_id)
        if case.stage != Stage.REJECTED.value:
            return None, (), Problem("appeal_case_not_rejected", {"case_id": case.id, "stage": case.stage}), case.id
        lines = [h for h in uow.history.for_case(command.case_id) if h.to_stage == Stage.REJECTED.value]
        decided_on = lines[-1].at.astimezone(SHANGHAI).date() if lines else None
        return decided_on, (), None, case.id
    if command.registration_number is None:
        raise InputError("appeal_certificate_required", subject=ap.subject_term(command.subject))
    certificate = uow.governance.certificate(command.registration_number)
    if certificate is None:
        raise NotFoundError("appeal_certificate_not_found", registration_number=command.registration_number)
    if command.decided_on is None:
        raise InputError("appeal_decided_on_required")
    wanted = CERTIFICATE_STATUS.get(command.subject)
    refusal = None
    if wanted and certificate.status != wanted:
        refusal = Problem(
            "appeal_certificate_status",
            {"registration_number": certificate.registration_number, "status": certificate.status, "wanted": wanted},
        )
    return command.decided_on, command.decided_by, refusal, certificate.application_id


def _event(event: type[AppealEventT], row: Appeal, reason: str, **extra: Any) -> AppealEventT:
    assert row.id is not None
    appellant = Recipient(row.appellant_name, row.appellant_email)
    return event(row.id, row.version, row.reference, appellant, row.subject, reason, row.application_id, **extra)
