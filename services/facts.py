"""Gather, through the unit of work, the facts the workflow guards judge a case by."""

from __future__ import annotations

from datetime import date

from capeval.models import Application, Person
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.guards import ApplicationFacts
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy

RESUBMISSION = "resubmission"
SUPPLEMENT = "supplement"


def supplement_round(uow: UnitOfWork, case: Application) -> int:
    """How many times supplements have been requested for this case (the current round's number)."""
    assert case.id is not None
    return uow.deadlines.count(case.id, SUPPLEMENT)


def gather(
    uow: UnitOfWork, case: Application, person: Person, *, today: date, reason: str, policy: PipelinePolicy
) -> ApplicationFacts:
    """The facts of `case` as they stand in the database today."""
    assert case.id is not None and person.id is not None
    society = uow.directory.society(case.society_id)
    authorization = uow.directory.authorization(case.society_id, case.field_code)
    authorized = authorization is not None and (
        authorization.withdrawn_on is None or authorization.withdrawn_on > today
    ) and authorization.authorized_on <= today
    membership = uow.directory.membership(person.id, case.society_id)
    certificate = uow.registry.active_certificate(person.id, case.field_code)
    evidence = uow.applications.evidence(case.id)
    resubmission = uow.deadlines.open_for(case.id, RESUBMISSION)
    supplement = uow.deadlines.open_for(case.id, SUPPLEMENT)
    current_round = supplement_round(uow, case)
    return ApplicationFacts(
        route=Route(case.route),
        level=Level(case.level),
        field_code=case.field_code,
        society_code=society.code if society else str(case.society_id),
        today=today,
        self_statement_chars=len(case.self_statement.strip()),
        evidence_kinds=frozenset(item.kind for item in evidence),
        commitment_signed=case.commitment_signed_at is not None,
        applicant_is_member=membership is not None and membership.status == "active",
        membership_pending=membership is not None and membership.status == "pending",
        society_authorized_for_field=authorized,
        applicant_banned=uow.registry.ban(person.id_number_digest) is not None,
        active_certificate_level=Level(certificate.level) if certificate else None,
        international_title=case.international_title,
        resubmission_due=resubmission.due_on if resubmission else None,
        supplement_due=supplement.due_on if supplement else None,
        supplements_since_request=sum(
            1 for item in evidence if item.kind == "supplement" and item.supplement_round == current_round > 0
        ),
        reason=reason,
        policy=policy,
    )
