"""Certificate handlers: issue, change status, renew, exempt; each one transaction with history and notice.

Every change goes through the certificate lifecycle table (`states.certificates.change_status`) as the
person taking it (`services.authority.certificate_actor`: the workgroup of the certificate's society
decides, the holder applies for renewal and records CPD, staff of the society keep the CPD ledger), appends
an immutable `certificate_history` line (reason, the person's name and id, date) and queues
`certificate.status_changed` for the holder, all in the same unit of work. Who recorded, recognized,
granted or chose something is stored by the person's name, as the history's `actor` is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from capeval.models import (
    Certificate,
    CpdActivity,
    CpdExemption,
    CpdLecturer,
    LifetimeBan,
    Person,
    Society,
    SocietyCpdPolicy,
)
from capeval.models.repositories import CaseContext
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import publish
from capeval.notifications.outbox import Notice, outbox_row
from capeval.states.authority import Actor, Sweep, require
from capeval.states.calendar import local_date
from capeval.states.certificates import (
    CertificateFacts,
    Change,
    Party,
    Status,
    change_status,
    check_renewal_application,
    expiry_date,
    registration_number,
    renewed_expiry,
)
from capeval.states.commands import (
    ApplyForRenewal,
    ChangeCertificate,
    ChooseCpdPolicy,
    GrantCpdExemption,
    RecordCpdActivities,
    RecordLecturer,
    RenewCertificate,
    TakeAction,
)
from capeval.states.cpd import (
    DEFAULT_POLICY,
    POLICIES,
    CpdRecord,
    Evaluation,
    LecturerPeriod,
    cpd_policy,
    parse_activity,
    policy_for_year,
    shortfall_years,
)
from capeval.states.cpd_ledger import Entry, LedgerFacts, check_entries, lecturer_period_problem, natural_key
from capeval.states.engine import ensure_unchanged
from capeval.states.errors import DomainError, InputError, NotFoundError, NotPermitted
from capeval.states.events import CERTIFICATE_EVENTS, Recipient
from capeval.states.messages import Term
from capeval.states.renewal_policy import RenewalPolicy
from capeval.states.stored_reasons import coded_reason

from .authority import certificate_actor, society_actor
from .runtime import Runtime

SUPERSEDING = Sweep("upgrade registration")
"""Who supersedes the old certificate when the upgrade's new one is issued: the system, not a person."""
CPD_RECORDERS = "holder_or_society_staff"
"""The party word of who records CPD on a certificate: its holder, or staff of its society."""


@dataclass(frozen=True)
class CertificateOutcome:
    """What a certificate command did."""

    registration_number: str
    status: str
    previous_status: str | None
    expires_on: date
    banned: bool = False
    also_revoked: tuple[str, ...] = ()
    closed_cases: tuple[int, ...] = ()


def holder(person: Person) -> Recipient:
    """The holder of a certificate as a message recipient."""
    return Recipient(person.name, person.email, person.language, person.id)


def notice_row(
    person: Person, certificate: Certificate, template: str, key: str, context: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """The outbox row of a message to the holder of `certificate`; `key` is its dedupe key."""
    context = {"registration_number": certificate.registration_number, "holder_name": person.name, **context}
    return outbox_row(Notice(key, template, holder(person), context, certificate.application_id), now)


def record_change(
    uow: UnitOfWork,
    certificate: Certificate,
    person: Person,
    change: Change,
    *,
    actor: Actor,
    reason: str,
    today: date,
    now: datetime,
    values: dict[str, Any] | None = None,
) -> Status:
    """Apply `change` as `actor` (its party, then the guards decide), write the row, a history line and the
    holder's notice; returns the new status."""
    assert certificate.id is not None
    previous = Status(certificate.status)
    move = change_status(previous, change, CertificateFacts(today, certificate.expires_on, reason), actor)
    return write_change(uow, certificate, person, previous, move.dest, change, actor, reason, today, now, values)


def write_change(
    uow: UnitOfWork,
    certificate: Certificate,
    person: Person,
    previous: Status,
    dest: Status,
    change: Change,
    actor: Actor,
    reason: str,
    today: date,
    now: datetime,
    values: dict[str, Any] | None = None,
) -> Status:
    """Write a decided change: row (only if still in `previous`), history line and notice, in `uow`."""
    assert certificate.id is not None
    updates = dict(values or {})
    updates["status"] = dest.value
    if dest not in (Status.ACTIVE, Status.SUSPENDED):
        updates.update(next_reminder_on=None, cpd_check_on=None)
    ensure_unchanged(
        Term("subject_certificate", {"number": certificate.registration_number}),
        uow.certificates.move(certificate.id, previous.value, updates),
    )
    for name, value in updates.items():
        setattr(certificate, name, value)
    history_id = uow.certificates.append_history(
        {
            "certificate_id": certificate.id,
            "from_status": previous.value,
            "to_status": dest.value,
            "action": change.value,
            "actor": actor.label,
            "actor_id": actor.person_id,
            "reason": reason,
            "effective_on": today,
            "at": now,
        }
    )
    event = CERTIFICATE_EVENTS[change](
        certificate_id=certificate.id,
        history_id=history_id,
        registration_number=certificate.registration_number,
        application_id=certificate.application_id,
        holder=holder(person),
        status=dest.value,
        reason=reason,
        effective_on=today,
        expires_on=certificate.expires_on if change is Change.RENEW else None,
    )
    publish(uow, [event], now)
    return dest


def schedule(valid_from: date, expires_on: date, policy: RenewalPolicy, today: date) -> dict[str, Any]:
    """The renewal sweep's due dates, from `today` on, for a live certificate in the term from `valid_from`."""
    return {
        "next_reminder_on": policy.next_reminder(expires_on, today),
        "cpd_check_on": policy.next_cpd_check(valid_from, expires_on, today),
    }


def issue_certificate(
    uow: UnitOfWork, runtime: Runtime, context: CaseContext, command: TakeAction, actor: Actor, now: datetime
) -> dict[str, Any]:
    """The `register` effect: number from the society's yearly counter, 5 years' validity, first history line.

    On an upgrade the old active certificate of the field is superseded by the new one (Q&A Q34).
    """
    today = runtime.today()
    case, person, society = context.case, context.person, context.society
    assert case.id is not None and person.id is not None
    sequence = uow.certificates.next_sequence(case.society_id, today.year)
    number = registration_number(society.code, case.field_code, today.year, sequence)
    expires_on = expiry_date(today, runtime.policy.certificate_validity_years)
    certificate_id = uow.certificates.insert(
        {
            "registration_number": number,
            "person_id": person.id,
            "society_id": case.society_id,
            "application_id": case.id,
            "field_code": case.field_code,
            "level": case.level,
            "issued_on": today,
            "valid_from": today,
            "expires_on": expires_on,
            **schedule(today, expires_on, runtime.policies.renewal, today),
        }
    )
    uow.certificates.append_history(
        {
            "certificate_id": certificate_id,
            "from_status": None,
            "to_status": Status.ACTIVE.value,
            "action": Change.ISSUE.value,
            "actor": actor.label,
            "actor_id": actor.person_id,
            "reason": command.reason or coded_reason("certificate_registered_reason", case_id=case.id),
            "effective_on": today,
            "at": now,
        }
    )
    old = context.active_certificate
    if old is not None:
        reason = coded_reason("certificate_superseded_reason", level=Term(f"level_{case.level}"), number=number)
        write_change(
            uow,
            old,
            person,
            Status(old.status),
            Status.SUPERSEDED,
            Change.SUPERSEDE,
            Actor.sweep(SUPERSEDING),
            reason,
            today,
            now,
            {"superseded_by": number},
        )
    return {"registration_number": number, "expires_on": expires_on.isoformat()}


def ban_for_life(
    uow: UnitOfWork, person: Person, reason: str, actor: str, now: datetime, application_id: int | None = None
) -> bool:
    """Ban the person from applying, keyed by ID-number digest (Q&A Q14); False if already banned.

    `actor` is the name of the person who decided it."""
    assert person.id is not None
    if uow.registry.ban(person.id_number_digest) is not None:
        return False
    uow.registry.add(
        LifetimeBan(
            id_number_digest=person.id_number_digest,
            person_id=person.id,
            application_id=application_id,
            reason=reason,
            imposed_by=actor,
            imposed_at=now,
        )
    )
    return True


def revoke_all_for_fraud(
    uow: UnitOfWork, runtime: Runtime, context: CaseContext, command: TakeAction, actor: Actor, now: datetime
) -> dict[str, Any]:
    """The `disqualify` effect: lifetime ban, and every certificate of the person revoked with history."""
    person = context.person
    ban_for_life(uow, person, command.reason, actor.label, now, context.case.id)
    revoked = revoke_every_certificate(
        uow, person, decider=actor, reason=command.reason, today=runtime.today(), now=now
    )
    return {"revoked_certificates": revoked}


def revoke_every_certificate(
    uow: UnitOfWork, person: Person, *, decider: Actor, reason: str, today: date, now: datetime
) -> list[str]:
    """Revoke every certificate of the person not yet revoked, each with its history line and notice.

    The one disqualification revokes them all: its decider acts on each as the society, whatever society
    the certificate is of (Q&A Q14).
    """
    assert person.id is not None
    revoked = []
    consequence = decider.holding({Party.SOCIETY})
    for certificate in uow.registry.certificates_of(person.id):
        if certificate.status != Status.REVOKED.value:
            record_change(
                uow, certificate, person, Change.REVOKE, actor=consequence, reason=reason, today=today, now=now
            )
            revoked.append(certificate.registration_number)
    return revoked


def _holding(uow: UnitOfWork, number: str) -> tuple[Certificate, Person, Society]:
    """The certificate, its holder and its society; NotFoundError when there is no such number."""
    found = uow.certificates.with_holder(number.strip())
    if found is None:
        raise NotFoundError("certificate_not_found", number=number)
    return found


def _holder(uow: UnitOfWork, number: str) -> tuple[Certificate, Person]:
    certificate, person, _ = _holding(uow, number)
    return certificate, person


def change_certificate(runtime: Runtime, command: ChangeCertificate) -> CertificateOutcome:
    """Suspend, restore, cancel or revoke, as the workgroup of the certificate's society; a revocation for
    fraud disqualifies the holder (Q&A Q14).

    Disqualified, the holder is banned for life, every other certificate of theirs is revoked and every
    open case of theirs closed through the workflow, in the same transaction.
    """
    if command.change not in (Change.SUSPEND, Change.RESTORE, Change.CANCEL, Change.REVOKE):
        raise InputError("certificate_change_unknown", change=command.change)
    if command.fraud and command.change is not Change.REVOKE:
        raise InputError("certificate_fraud_needs_revoke")
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        certificate, person = _holder(uow, command.registration_number)
        actor = certificate_actor(uow, command.actor, certificate)
        previous = certificate.status
        values: dict[str, Any] = {}
        if command.change is Change.RESTORE:
            values = schedule(certificate.term_starts_on, certificate.expires_on, runtime.policies.renewal, today)
        status = record_change(
            uow,
            certificate,
            person,
            command.change,
            actor=actor,
            reason=command.reason,
            today=today,
            now=now,
            values=values,
        )
        banned = command.fraud and ban_for_life(uow, person, command.reason, actor.name, now)
        revoked: list[str] = []
        closed: list[int] = []
        if command.fraud:
            from .handlers import close_open_cases  # the case handlers import this module for their effects

            assert person.id is not None
            cause = coded_reason(
                "certificate_fraud_revocation_reason", number=certificate.registration_number, grounds=command.reason
            )
            revoked = revoke_every_certificate(uow, person, decider=actor, reason=cause, today=today, now=now)
            closed = close_open_cases(uow, runtime, person.id, decider=actor, reason=cause)
        uow.commit()
        return CertificateOutcome(
            certificate.registration_number,
            status.value,
            previous,
            certificate.expires_on,
            banned,
            tuple(revoked),
            tuple(closed),
        )


def society_policy_name(uow: UnitOfWork, society_id: int) -> str:
    return uow.certificates.cpd_policies([society_id]).get(society_id, DEFAULT_POLICY)


def society_policy_choices(uow: UnitOfWork, society_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Each society's CPD policy choices as (from year, policy), oldest first (CE-2026 art. 31)."""
    choices: dict[int, list[tuple[int, str]]] = {}
    for change in uow.cpd_policy_changes.of_societies(society_ids):
        choices.setdefault(change.society_id, []).append((change.from_year, change.policy))
    return choices


def counted_rows(activities: Sequence[CpdActivity]) -> list[CpdActivity]:
    """Ledger rows that count: a row dated after the day it was recorded (kept from before the ledger refused
    such rows) never does, nor one whose hours were revoked for fraud (CE-2026 art. 27)."""
    return [a for a in activities if a.happened_on <= local_date(a.recorded_at) and a.revoked_at is None]


def lecturer_periods(rows: Sequence[CpdLecturer]) -> tuple[LecturerPeriod, ...]:
    return tuple(LecturerPeriod(row.since, row.until) for row in rows)


def records_for(
    activities: Sequence[CpdActivity], member: str, year: int, lecturer: tuple[LecturerPeriod, ...] = ()
) -> CpdRecord:
    """A year's CPD record from ledger rows (rows of the next year count when made up for this one).

    Teaching counts as a qualified lecturer's only on days the society recorded in `lecturer`; an attribute
    a member typed with an activity never makes it so.
    """
    rows = counted_rows(activities)
    chosen = [a for a in rows if a.year == year or a.attributes.get("make_up_for") == year or _spans(a, year)]
    parsed = tuple(parse_activity(a.attributes, f"ledger activity {a.id}") for a in chosen)
    return CpdRecord(member, year, parsed, lecturer=lecturer)


def _spans(row: CpdActivity, year: int) -> bool:
    """An aid posting recorded in an earlier year that lasts into `year` (CE-2026 art. 19)."""
    until = row.attributes.get("until")
    return row.kind == "aid_posting" and row.year < year and isinstance(until, str) and until[:4] >= str(year)


def evaluate_years(uow: UnitOfWork, certificate: Certificate, person: Person, years: list[int]) -> list[Evaluation]:
    """The CPD evaluation of each year under the society's policy."""
    assert person.id is not None
    choices = society_policy_choices(uow, [certificate.society_id]).get(certificate.society_id, [])
    wanted = sorted({*years, *(y + 1 for y in years), *(y - 1 for y in years)})
    rows = list(uow.certificates.activities([person.id], wanted))
    lecturer = lecturer_periods(uow.certificates.lecturer_periods([person.id]))
    return [
        cpd_policy(policy_for_year(choices, year)).evaluate(records_for(rows, person.name, year, lecturer))
        for year in years
    ]


@dataclass(frozen=True)
class RenewalReview:
    """The society's CPD review for a renewal: each reviewed year, and the ones excused."""

    years: list[int]
    evaluations: list[Evaluation]
    exempt_years: frozenset[int]
    shortfall: dict[int, dict[str, int]]

    def reason(self, valid_until: date) -> str:
        """The coded reason a renewal records when staff give none: the years reviewed and excused."""
        years: list[int] | Term = list(self.years) or Term("certificate_no_cpd_year")
        until = valid_until.isoformat()
        if not self.exempt_years:
            return coded_reason("certificate_renewed_reason", years=years, valid_until=until)
        excused = sorted(self.exempt_years)
        return coded_reason("certificate_renewed_excused_reason", years=years, excused=excused, valid_until=until)


def review_renewal(uow: UnitOfWork, certificate: Certificate, person: Person, policy: RenewalPolicy) -> RenewalReview:
    """Every year of the current term of validity under the society's CPD policy (Q&A Q23; CPD-2024 art. 5, 18)."""
    assert certificate.id is not None
    years = policy.reviewed_years(certificate.term_starts_on, certificate.expires_on)
    evaluations = evaluate_years(uow, certificate, person, years)
    exempt = uow.certificates.exempt_years(certificate.id)
    return RenewalReview(years, evaluations, exempt, shortfall_years(evaluations, exempt))


def renewal_facts(
    uow: UnitOfWork, certificate: Certificate, person: Person, policy: RenewalPolicy, today: date, **more: Any
) -> CertificateFacts:
    """What the renewal guards read: the window, and the holder's ban and membership as they stand today."""
    assert person.id is not None
    membership = uow.directory.membership(person.id, certificate.society_id)
    return CertificateFacts(
        today,
        certificate.expires_on,
        renewal_opens_on=policy.renewal_opens_on(certificate.expires_on),
        holder_banned=uow.registry.ban(person.id_number_digest) is not None,
        holder_membership=membership.status if membership is not None else None,
        **more,
    )


def apply_for_renewal(runtime: Runtime, command: ApplyForRenewal) -> date:
    """Record the member's renewal application: only by its holder, for an active certificate, within the
    renewal window, by a holder not banned and still a member of the society."""
    today = runtime.today()
    with runtime.unit_of_work() as uow:
        certificate, person = _holder(uow, command.registration_number)
        assert certificate.id is not None
        require(certificate_actor(uow, command.actor, certificate), Party.HOLDER, "apply_for_renewal")
        if certificate.status != Status.ACTIVE.value:
            raise DomainError(
                "certificate_renewal_not_active", number=certificate.registration_number, status=certificate.status
            )
        if today > certificate.expires_on:
            raise DomainError(
                "certificate_renewal_after_expiry",
                number=certificate.registration_number,
                expires_on=certificate.expires_on,
            )
        policy = runtime.policies.renewal
        check_renewal_application(renewal_facts(uow, certificate, person, policy, today, renewal_requested_on=today))
        if certificate.renewal_requested_on is not None:
            return certificate.renewal_requested_on
        uow.certificates.set_renewal_requested(certificate.id, today)
        uow.commit()
        return today


def renew_certificate(runtime: Runtime, command: RenewCertificate) -> CertificateOutcome:
    """Renew, as the workgroup of the certificate's society, when applied for within the window, the holder is
    still eligible and every year of the term meets the CPD policy or is excused; the number stays and the
    new term runs from the day after the old expiry."""
    now, today = runtime.clock.now(), runtime.today()
    policy = runtime.policies.renewal
    with runtime.unit_of_work() as uow:
        certificate, person = _holder(uow, command.registration_number)
        actor = certificate_actor(uow, command.actor, certificate)
        review = review_renewal(uow, certificate, person, policy)
        previous = Status(certificate.status)
        facts = renewal_facts(
            uow,
            certificate,
            person,
            policy,
            today,
            reason=command.reason,
            cpd_shortfall=review.shortfall,
            renewal_requested_on=certificate.renewal_requested_on,
        )
        move = change_status(previous, Change.RENEW, facts, actor)
        new_start = certificate.expires_on + timedelta(days=1)
        new_expiry = renewed_expiry(certificate.expires_on, runtime.policy.certificate_validity_years)
        values: dict[str, Any] = {
            "expires_on": new_expiry,
            "valid_from": new_start,
            "renewals": certificate.renewals + 1,
            "renewal_requested_on": None,
        }
        values.update(schedule(new_start, new_expiry, policy, today))
        reason = command.reason or review.reason(new_expiry)
        write_change(uow, certificate, person, previous, move.dest, Change.RENEW, actor, reason, today, now, values)
        uow.commit()
        return CertificateOutcome(certificate.registration_number, move.dest.value, previous.value, new_expiry)


def grant_exemption(runtime: Runtime, command: GrantCpdExemption) -> CpdExemption:
    """The workgroup of the certificate's society excuses one year of validity under its contingency plan; it
    needs a reason and evidence."""
    if not command.reason.strip():
        raise InputError("cpd_exemption_reason_missing")
    if not command.evidence.strip():
        raise InputError("cpd_exemption_evidence_missing")
    with runtime.unit_of_work() as uow:
        certificate, _ = _holder(uow, command.registration_number)
        assert certificate.id is not None
        actor = certificate_actor(uow, command.actor, certificate)
        require(actor, Party.SOCIETY, "exempt")
        if not certificate.issued_on.year <= command.year <= certificate.expires_on.year:
            raise DomainError(
                "cpd_exemption_year_outside",
                year=command.year,
                number=certificate.registration_number,
                issued_on=certificate.issued_on,
                expires_on=certificate.expires_on,
            )
        if uow.certificates.exemption(certificate.id, command.year) is not None:
            raise DomainError("cpd_exemption_exists", year=command.year, number=certificate.registration_number)
        row = CpdExemption(
            certificate_id=certificate.id,
            year=command.year,
            reason=command.reason,
            evidence_reference=command.evidence,
            granted_by=actor.name,
            granted_at=runtime.clock.now(),
        )
        uow.certificates.add(row)
        uow.commit()
        return row


@dataclass(frozen=True)
class RecordedActivities:
    """What a recording or an import did: rows added, and activities the ledger already had (not added)."""

    added: int
    already: int


def record_activities(runtime: Runtime, command: RecordCpdActivities, raw: list[dict[str, Any]]) -> RecordedActivities:
    """Add activities to the holder's ledger; `raw` are the validated mappings kept as recorded.

    The holder records their own, or staff of the certificate's society for them; a platform transcript
    (`source` "platform") is imported by staff of the society. The whole batch is refused when one activity
    breaks a rule of `states/cpd_ledger.py` (dated after today or outside the validity, a self-declared
    lecturer, hours the society decides recorded by other than its staff). An activity the ledger already
    has (same natural key) is not added again, and is counted in `already`.
    """
    if not command.activities:
        raise InputError("cpd_activities_none")
    now, today = runtime.clock.now(), runtime.today()
    labels = command.where or tuple(f"activities[{i}]" for i in range(len(command.activities)))
    with runtime.unit_of_work() as uow:
        certificate, person, society = _holding(uow, command.registration_number)
        assert person.id is not None
        actor = certificate_actor(uow, command.actor, certificate)
        if command.source == "platform":
            require(actor, Party.SOCIETY_STAFF, "import_cpd")
        elif not (actor.may(Party.HOLDER) or actor.may(Party.SOCIETY_STAFF)):
            require(actor, CPD_RECORDERS, "record_cpd")
        assert society.id is not None
        from .cpd_plans import check_citations

        check_citations(uow, society.id, command.activities, labels)
        check_entries(
            [
                LedgerFacts(
                    Entry(where, activity, frozenset(attributes)),
                    certificate.registration_number,
                    certificate.issued_on,
                    certificate.expires_on,
                    today,
                    society.code,
                    actor.name,
                    by_staff=actor.may(Party.SOCIETY_STAFF),
                    by_holder=actor.may(Party.HOLDER),
                )
                for where, activity, attributes in zip(labels, command.activities, raw, strict=True)
            ]
        )
        added = 0
        for activity, attributes in zip(command.activities, raw, strict=True):
            added += uow.certificates.add_activity(
                {
                    "person_id": person.id,
                    "year": activity.on.year,
                    "kind": activity.kind,
                    "happened_on": activity.on,
                    "attributes": attributes,
                    "evidence_reference": activity.evidence,
                    "source": command.source,
                    "recorded_by": actor.name,
                    "recorded_at": now,
                    "recognized_by": actor.name,
                    "natural_key": natural_key(activity),
                }
            )
        uow.commit()
        return RecordedActivities(added, len(command.activities) - added)


def record_lecturer(runtime: Runtime, command: RecordLecturer) -> CpdLecturer:
    """The society records the holder as a qualified lecturer from `since` (CPD-2024 art. 13(3), 14).

    Only staff of the certificate's society may, and never the holder; teaching dated in the period then
    counts `qualified_teaching_factor` times.
    """
    problem = lecturer_period_problem(command.since, command.until)
    if problem is not None:
        raise InputError(problem.code, **problem.params)
    with runtime.unit_of_work() as uow:
        certificate, person, society = _holding(uow, command.registration_number)
        assert person.id is not None and society.id is not None
        actor = certificate_actor(uow, command.actor, certificate)
        if actor.may(Party.HOLDER):
            raise NotPermitted("cpd_lecturer_by_holder", actor=actor.name)
        if not actor.may(Party.SOCIETY_STAFF):
            raise NotPermitted("cpd_lecturer_staff_only", society=society.code, actor=actor.name)
        if any(row.since == command.since for row in uow.certificates.lecturer_periods([person.id])):
            raise DomainError("cpd_lecturer_exists", number=certificate.registration_number, since=command.since)
        row = CpdLecturer(
            person_id=person.id,
            society_id=society.id,
            since=command.since,
            until=command.until,
            recorded_by=actor.name,
            recorded_at=runtime.clock.now(),
        )
        uow.certificates.add(row)
        uow.commit()
        return row


def choose_cpd_policy(runtime: Runtime, command: ChooseCpdPolicy) -> str:
    """Set the CPD policy of a society, as its workgroup or administrator (CPD-2024 art. 12)."""
    from capeval.models import SocietyCpdPolicyChange

    if command.policy not in POLICIES:
        raise InputError("cpd_policy_unknown", name=command.policy, choices=list(POLICIES))
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(command.society_code)
        if society is None or society.id is None:
            raise NotFoundError("cpd_society_not_found", code=command.society_code)
        actor = society_actor(uow, command.actor, society.id)
        require(actor, Party.SOCIETY_STAFF, "choose_cpd_policy")
        this_year = runtime.today().year
        from_year = this_year if command.from_year is None else command.from_year
        if from_year < this_year:
            raise InputError("cpd_policy_from_past_year", from_year=from_year, year=this_year)
        uow.cpd_policy_changes.add(
            SocietyCpdPolicyChange(
                society_id=society.id,
                policy=command.policy,
                from_year=from_year,
                chosen_by=actor.name,
                chosen_at=runtime.clock.now(),
            )
        )
        row = uow.certificates.cpd_policy_row(society.id)
        if row is None:
            uow.certificates.add(
                SocietyCpdPolicy(
                    society_id=society.id, policy=command.policy, chosen_by=actor.name, chosen_at=runtime.clock.now()
                )
            )
        else:
            row.policy, row.chosen_by, row.chosen_at = command.policy, actor.name, runtime.clock.now()
        uow.commit()
        return command.policy
