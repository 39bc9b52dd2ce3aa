"""Society authorization for a field (Charter art. 13, 16-17, 20): apply, three reviews, approve or withdraw.

Approval creates or renews the society's `society_field` row, which the `society_authorized_for_field` guard
of the application workflow reads; withdrawal sets its `withdrawn_on` and lists the open cases to transfer.
The workgroup (or administrator) of the society applies; each step is taken by the party its move names: the
secretariat, a member of the review committee or of the presidium on the day.
"""

from __future__ import annotations

from typing import Any

from capeval.models import AuthorizationApplication, SocietyField
from capeval.notifications.notices import publish
from capeval.states import authorization as au
from capeval.states.application import CLOSED_STAGES, Stage
from capeval.states.authority import StaffRole, require
from capeval.states.errors import DomainError, NotFoundError
from capeval.states.events import AUTHORIZATION_EVENTS, Recipient
from capeval.states.governance import GovernanceFacts, Party
from capeval.states.governance_commands import ActOnAuthorization, ApplyForAuthorization

from .authority import actor_of, is_staff, person_acting
from .governance_steps import (
    GovernanceOutcome,
    cited_resolution,
    ensure_may,
    history_rows,
    load_case,
    move_deadline,
    new_reference,
    parse_action,
    record_step,
    seated_parties,
    step_due,
    step_outcome,
)
from .runtime import Runtime

KIND = "authorization"
OPEN_CASE_STAGES = tuple(stage.value for stage in Stage if stage not in CLOSED_STAGES)
APPLYING_ROLES = (StaffRole.WORKGROUP, StaffRole.SOCIETY_ADMINISTRATOR)
"""Who applies for the society: its workgroup or its administrator (capeval's choice; Charter art. 16 names
the society only)."""


def apply_for_authorization(runtime: Runtime, command: ApplyForAuthorization) -> GovernanceOutcome:
    """A member society applies for a field; the secretariat's first review is due within the policy's limit."""
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(command.society_code)
        if society is None or society.id is None:
            raise NotFoundError("authorization_society_not_found", code=command.society_code)
        person = person_acting(uow, command.actor)
        applies = any(is_staff(uow, person, role, society.id) for role in APPLYING_ROLES)
        applicant = actor_of(person).holding({Party.APPLYING_SOCIETY} if applies else set())
        require(applicant, Party.APPLYING_SOCIETY, "apply")
        if uow.directory.field(command.field_code) is None:
            raise NotFoundError("authorization_field_not_found", field=command.field_code)
        current = uow.directory.authorization(society.id, command.field_code)
        if current is not None and (current.withdrawn_on is None or current.withdrawn_on > today):
            raise DomainError("authorization_already_granted", society=society.code, field=command.field_code)
        if uow.governance.open_authorization(society.id, command.field_code) is not None:
            raise DomainError("authorization_already_open", society=society.code, field=command.field_code)
        row = AuthorizationApplication(
            reference=new_reference(uow, KIND, today),
            society_id=society.id,
            field_code=command.field_code,
            statement=command.statement.strip(),
            stage=au.WORKFLOW.initial.value,
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
            action="apply",
            actor=applicant.label,
            actor_id=applicant.person_id,
            reason="",
            now=now,
        )
        next_due = move_deadline(uow, runtime, KIND, row, au.STEP_DUE, now)
        uow.commit()
        return step_outcome(KIND, row, None, next_due)


def act_on_authorization(runtime: Runtime, command: ActOnAuthorization) -> GovernanceOutcome:
    """Take one review step; approval and withdrawal change the society's authorization in the same commit."""
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        row: AuthorizationApplication = load_case(uow, KIND, command.reference)
        stage = au.AuthorizationStage(row.stage)
        action = parse_action(au.AuthorizationAction, command.action, au.WORKFLOW.allowed(stage))
        person = person_acting(uow, command.actor)
        actor = actor_of(person).holding(seated_parties(uow, person, today))
        ensure_may(au.WORKFLOW, stage, action, actor)
        resolution, resolution_facts = cited_resolution(uow, command.resolution, KIND, row.reference)
        facts = GovernanceFacts(
            today=today,
            reason=command.reason,
            resolution=resolution_facts,
            required_body=au.DECIDING_BODY.get(stage),
            policy=runtime.governance,
        )
        step = au.WORKFLOW.advance(stage, action, facts, actor)
        society = uow.directory.society(row.society_id)
        assert society is not None
        authorization = uow.directory.authorization(row.society_id, row.field_code)
        detail: dict[str, Any] = {}
        if step.dest is au.AuthorizationStage.AUTHORIZED:
            if authorization is None:
                authorization = SocietyField(society_id=row.society_id, field_code=row.field_code, authorized_on=today)
                uow.directory.add(authorization)
            authorization.authorized_on, authorization.withdrawn_on = today, None
        elif step.dest is au.AuthorizationStage.WITHDRAWN:
            if authorization is None:
                raise NotFoundError("authorization_row_missing", society=society.code, field=row.field_code)
            authorization.withdrawn_on = today
            detail["open_cases"] = [
                c.id for c in uow.governance.open_cases_of(row.society_id, row.field_code, OPEN_CASE_STAGES)
            ]
        row.stage, row.updated_at = step.dest.value, now
        row.last_reason = command.reason.strip() or row.last_reason
        if resolution is not None:
            row.resolution_id = resolution.id
            detail["resolution"] = resolution.reference
            detail["arithmetic"] = resolution.arithmetic
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
            resolution_id=resolution.id if resolution else None,
        )
        next_due = move_deadline(uow, runtime, KIND, row, au.STEP_DUE, now)
        decided = AUTHORIZATION_EVENTS.get(step.dest.value)
        if decided is not None:
            assert row.id is not None
            recipient = Recipient(society.name_zh, society.email or runtime.governance.secretariat_email)
            event = decided(row.id, row.version, row.reference, recipient, society.code, row.field_code, command.reason)
            publish(uow, [event], now)
        uow.commit()
        return step_outcome(KIND, row, stage.value, next_due, detail)


def open_cases(runtime: Runtime, society_code: str, field_code: str) -> list[dict[str, Any]]:
    """The open evaluation cases of a society in a field, for the secretariat to transfer after a withdrawal."""
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code)
        if society is None or society.id is None:
            raise NotFoundError("authorization_society_not_found", code=society_code)
        if uow.directory.field(field_code) is None:
            raise NotFoundError("authorization_field_not_found", field=field_code)
        rows = uow.governance.open_cases_of(society.id, field_code, OPEN_CASE_STAGES)
        result = []
        for case in rows:
            person = uow.directory.person(case.person_id)
            result.append(
                {
                    "case_id": case.id,
                    "applicant": person.name if person else "",
                    "stage": case.stage,
                    "batch": case.batch,
                }
            )
        return result


def show_authorization(runtime: Runtime, reference: str) -> dict[str, Any]:
    with runtime.unit_of_work() as uow:
        row: AuthorizationApplication = load_case(uow, KIND, reference)
        assert row.id is not None
        society = uow.directory.society(row.society_id)
        deadlines = uow.governance.open_deadlines(KIND, row.id)
        return {
            "reference": row.reference,
            "society": society.code if society else "",
            "field": row.field_code,
            "stage": row.stage,
            **step_due(deadlines),
            "reason": row.last_reason,
            "history": history_rows(uow, KIND, row),
        }
