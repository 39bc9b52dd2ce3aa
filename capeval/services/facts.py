"""The facts the workflow guards judge a stored case by, each read from the database only when used.

One joined query (`ApplicationRepository.context`) brings everything that is one row per case, and for the
actions whose guards look at them (`CONTEXT_FACTS`) the evidence kinds and, as counts, the applicant's other
cases, certificates in the field and the society's batches: a count of none answers its fact at once, any
other is read in full when the guard asks. Everything else (the evidence itself, deadlines) is read only
by the guards that look at it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property

from capeval.models import Application, Deadline, EvidenceItem
from capeval.models.case_context import ContextRead
from capeval.models.repositories import CaseContext
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.application import UNDER_WAY_STAGES, Action, Stage
from capeval.states.batches import BatchStanding, DeclaredBatch
from capeval.states.certificates import Status
from capeval.states.evidence import Basis, Grounds
from capeval.states.guards import HeldCertificate, OpenApplication
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy
from capeval.states.review_policy import ReviewPolicy
from capeval.states.statement import StatementMeasure, measure
from capeval.states.work_experience import ExperienceStanding

from .evidence import grounds_of
from .work_experience import standing_of

RESUBMISSION = "resubmission"
SUPPLEMENT = "supplement"


_UNDER_WAY = tuple(sorted(stage.value for stage in UNDER_WAY_STAGES))
_REJECTED = (Stage.REJECTED.value,)
_HELD_STATUSES = (Status.SUSPENDED.value, Status.EXPIRED.value)
"""The statuses of a certificate in the field that level order looks at besides the active one."""
_SUBMISSION_FACTS = ContextRead(
    evidence_kinds=True,
    other_stages=_UNDER_WAY,
    field_stages=_REJECTED,
    certificate_statuses=_HELD_STATUSES,
    declared_batches=True,
)
_ELIGIBILITY_FACTS = ContextRead(certificate_statuses=_HELD_STATUSES)
CONTEXT_FACTS: dict[Action, ContextRead] = {
    Action.SUBMIT: _SUBMISSION_FACTS,
    Action.RESUBMIT: _SUBMISSION_FACTS,
    Action.ACCEPT_FOR_REVIEW: ContextRead(other_stages=_UNDER_WAY, certificate_statuses=_HELD_STATUSES),
    Action.APPROVE: _ELIGIBILITY_FACTS,
    Action.CONFIRM_TITLE: _ELIGIBILITY_FACTS,
    Action.REGISTER: _ELIGIBILITY_FACTS,
}
"""The facts each action's guards look at that its case context read brings (the evidence kinds, and counts
that answer a fact when they are nought); a fact not brought is read when a guard first asks for it, so this
table decides how many statements a command sends, never what its guards decide."""


def supplement_round(uow: UnitOfWork, case: Application) -> int:
    """How many times supplements have been requested for this case (the current round's number)."""
    assert case.id is not None
    return uow.deadlines.count(case.id, SUPPLEMENT)


class StoredFacts:
    """The CaseFacts of one stored case (see `capeval.states.guards.CaseFacts`)."""

    def __init__(
        self,
        uow: UnitOfWork,
        context: CaseContext,
        *,
        today: date,
        reason: str,
        policy: PipelinePolicy,
        basis: Basis | None = None,
        review_policy: ReviewPolicy | None = None,
    ) -> None:
        case = context.case
        assert case.id is not None
        self._uow, self._case, self._context = uow, case, context
        self.case_id: int = case.id
        self.route = Route(case.route)
        self.level = Level(case.level)
        self.field_code = case.field_code
        self.society_code = context.society.code
        self.today = today
        self.reason: str | None = reason
        self.policy = policy
        self.commitment_signed = case.commitment_signed_at is not None
        self.international_title = case.international_title
        self.international_title_issuer = case.international_title_issuer
        self.international_title_expires_on = case.international_title_expires_on
        membership, authorization = context.membership, context.authorization
        self.applicant_is_member = membership is not None and membership.status == "active"
        self.membership_pending = membership is not None and membership.status == "pending"
        self.society_authorized_for_field = (
            authorization is not None
            and authorization.authorized_on <= today
            and (authorization.withdrawn_on is None or authorization.withdrawn_on > today)
        )
        self.applicant_banned = context.ban is not None
        certificate = context.active_certificate
        self.active_certificate_level = Level(certificate.level) if certificate else None
        self.basis = basis
        self._review_policy = review_policy or ReviewPolicy()

    def _known_none(self, count: int | None, counted: Callable[[ContextRead], bool]) -> bool:
        """Whether the context read counted none of a fact's rows, asked as `counted` says it must have been."""
        asked = self._context.known.asked
        return count == 0 and asked is not None and counted(asked)

    @cached_property
    def evidence(self) -> Sequence[EvidenceItem]:
        assert self._case.id is not None
        return self._uow.applications.evidence(self._case.id)

    @cached_property
    def evidence_kinds(self) -> frozenset[str]:
        known = self._context.known.evidence_kinds
        return known if known is not None else frozenset(item.kind for item in self.evidence)

    @cached_property
    def open_deadlines(self) -> Sequence[Deadline]:
        assert self._case.id is not None
        return self._uow.deadlines.open_for_cases([self._case.id])

    def _due(self, kind: str) -> date | None:
        dates = [d.due_on for d in self.open_deadlines if d.kind == kind]
        return max(dates) if dates else None

    @cached_property
    def resubmission_due(self) -> date | None:
        return self._due(RESUBMISSION)

    @cached_property
    def supplement_due(self) -> date | None:
        return self._due(SUPPLEMENT)

    @cached_property
    def appeal_upheld(self) -> bool:
        return self._uow.governance.upheld_appeal_awaiting_reopening(self.case_id) is not None

    @cached_property
    def supplements_since_request(self) -> int:
        current = supplement_round(self._uow, self._case)
        return sum(1 for item in self.evidence if item.kind == "supplement" and item.supplement_round == current > 0)

    @cached_property
    def self_statement(self) -> StatementMeasure:
        return measure(self._case.self_statement)

    @cached_property
    def other_open_applications(self) -> tuple[OpenApplication, ...]:
        if self._known_none(self._context.known.other_cases, lambda asked: asked.other_stages == _UNDER_WAY):
            return ()
        rows = self._uow.applications.of_person_in(self._case.person_id, list(_UNDER_WAY))
        return tuple(OpenApplication(case_id, field) for case_id, field in rows if case_id != self.case_id)

    @property
    def _no_rejected_in_field(self) -> bool:
        """Whether the context read found no other rejected case of the applicant in this field."""
        return self._known_none(self._context.known.other_cases_in_field, lambda asked: asked.field_stages == _REJECTED)

    @cached_property
    def rejected_in_same_batch(self) -> tuple[int, ...]:
        """The person's rejected cases in this field and this (named) evaluation batch (Q&A Q19-Q20)."""
        batch = self._case.batch.strip()
        if not batch or self._no_rejected_in_field:
            return ()
        rows = self._uow.applications.of_person_in(self._case.person_id, list(_REJECTED))
        found = []
        for case_id, field in rows:
            other = (
                self._uow.applications.get(case_id) if field == self.field_code and case_id != self.case_id else None
            )
            if other is not None and other.batch.strip() == batch:
                found.append(case_id)
        return tuple(found)

    @cached_property
    def batch_standing(self) -> BatchStanding | None:
        """The society's declared batches, the case's and those of the person's rejected cases in the field
        (Q&A Q19); None when the society declares none."""
        society_id = self._context.society.id
        declared_none = self._known_none(self._context.known.declared_batches, lambda asked: asked.declared_batches)
        declared = self._uow.batches.of_society(society_id) if society_id is not None and not declared_none else []
        if not declared:
            return None
        rejected = []
        rows = (
            []
            if self._no_rejected_in_field
            else self._uow.applications.of_person_in(self._case.person_id, list(_REJECTED))
        )
        for case_id, field in rows:
            other = (
                self._uow.applications.get(case_id) if field == self.field_code and case_id != self.case_id else None
            )
            if other is not None and other.batch.strip():
                rejected.append((case_id, other.batch.strip()))
        return BatchStanding(
            tuple(DeclaredBatch(b.name, b.opens_on, b.closes_on) for b in declared), self._case.batch, tuple(rejected)
        )

    @cached_property
    def experience_standing(self) -> ExperienceStanding | None:
        """The field's work-experience rule and the application's periods (Q&A Q33, Q37); None when unset."""
        return standing_of(self._uow, self.case_id, self._context.authorization)

    @cached_property
    def certificates_in_field(self) -> tuple[HeldCertificate, ...]:
        held = self._context.known.certificates_in_field
        if self._known_none(held, lambda asked: asked.certificate_statuses == _HELD_STATUSES):
            return ()
        rows = self._uow.registry.standing_in_field(self._case.person_id, self.field_code, _HELD_STATUSES)
        return tuple(HeldCertificate(number, Level(level), Status(status)) for number, level, status in rows)

    @cached_property
    def decision_grounds(self) -> Grounds | None:
        """What the record the move cites (a review round, an interview, a resolution) decides for this case."""
        return grounds_of(self._uow, self._case, self.basis, self._review_policy, self.today)
