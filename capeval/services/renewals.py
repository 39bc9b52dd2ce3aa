"""The renewal sweep: renewal reminders, the yearly CPD shortfall warning, and expiry of unrenewed certificates;
and the society's refusal of a renewal applied for (the decision an appeal against a refused renewal names).

Each part selects due certificates through an index (`next_reminder_on`, `cpd_check_on`, and
(status, expires_on)), a batch at a time, and handles a batch in one transaction. Every message has a
dedupe key per certificate and point, and the due date moves on in the same transaction, so running the
sweep again, or after a kill halfway, sends nothing twice. The cost follows the due items, not the
number of certificates. A sweep may be split into key ranges of the certificate id (`due_ranges`), each
swept on its own (`run_renewal_sweep(key_range=...)`): a certificate lies in exactly one range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from capeval.models import Certificate, CpdActivity, CpdLecturer, Person
from capeval.notifications.cpd_notice import cpd_shortfall_context
from capeval.states.authority import Actor, Sweep, require
from capeval.states.certificates import Change, Party, Status
from capeval.states.commands import RefuseRenewal
from capeval.states.cpd import cpd_policy, policy_for_year
from capeval.states.errors import ConcurrencyConflict, DomainError, InputError, NotFoundError
from capeval.states.renewal_policy import RenewalPolicy
from capeval.states.stored_reasons import coded_reason

from .authority import certificate_actor
from .certificates import lecturer_periods, notice_row, record_change, records_for, society_policy_choices
from .partitions import KeyRange, key_ranges
from .runtime import Runtime

SWEEP_ACTOR = Sweep("renewal sweep")
RENEWAL_REFUSED = "renewal_refused"
"""The certificate history action that records a refused renewal (the status does not change)."""
REFUSAL_TEMPLATE = "certificate.renewal_refused"
PARTS = ("reminders", "cpd_warnings", "expiries")
SWEEPING = Actor.sweep(SWEEP_ACTOR)


@dataclass
class RenewalSweepReport:
    """What one renewal sweep did."""

    as_of: str = ""
    reminders: int = 0
    cpd_warnings: int = 0
    expired: list[str] = field(default_factory=list)
    examined: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of,
            "reminders": self.reminders,
            "cpd_warnings": self.cpd_warnings,
            "expired": len(self.expired),
            "examined": self.examined,
            "batches": self.batches,
        }

    def merged(self, other: RenewalSweepReport) -> RenewalSweepReport:
        """This report and another partition's, added up."""
        return RenewalSweepReport(
            self.as_of or other.as_of,
            self.reminders + other.reminders,
            self.cpd_warnings + other.cpd_warnings,
            self.expired + other.expired,
            self.examined + other.examined,
            self.batches + other.batches,
        )


def reminder_key(certificate: Certificate, days: int) -> str:
    return f"certificate:{certificate.id}:expires:{certificate.expires_on.isoformat()}:reminder:{days}"


def cpd_warning_key(certificate: Certificate, year: int) -> str:
    return f"certificate:{certificate.id}:cpd:{year}"


Cursor = tuple[date, int] | None
"""Where a part of the sweep stands: the (due date, id) of the last certificate handled."""


def _cursor(rows: Sequence[tuple[Certificate, Person]], column: str, after: Cursor) -> Cursor:
    """The cursor after `rows`, read before the batch moves the due dates on."""
    if not rows:
        return after
    last = rows[-1][0]
    return getattr(last, column), last.id or 0


def _ids(key_range: KeyRange | None) -> tuple[int, int] | None:
    return key_range.bounds() if key_range is not None else None


def due_ranges(runtime: Runtime, partitions: int) -> list[KeyRange]:
    """The certificate ids split into at most `partitions` key ranges (none without certificates)."""
    with runtime.unit_of_work() as uow:
        return key_ranges(uow.certificates.id_bounds(), partitions)


def send_reminders(
    runtime: Runtime, policy: RenewalPolicy, after: Cursor, batch_size: int, key_range: KeyRange | None = None
) -> tuple[Cursor, int, int]:
    """One batch of due reminders: (cursor, rows examined, reminders queued)."""
    today, now = runtime.today(), runtime.clock.now()
    queued = 0
    moved: list[dict[str, object]] = []
    with runtime.unit_of_work() as uow:
        rows = uow.certificates.due("next_reminder_on", today, batch_size, after, _ids(key_range))
        cursor = _cursor(rows, "next_reminder_on", after)
        for certificate, person in rows:
            assert certificate.id is not None
            days = policy.reminder_due(certificate.expires_on, today)
            applied = certificate.renewal_requested_on is not None
            if days is not None and certificate.status == Status.ACTIVE.value and not applied:
                context = {"expires_on": certificate.expires_on.isoformat(), "days_before": days}
                row = notice_row(
                    person, certificate, "certificate.renewal_reminder", reminder_key(certificate, days), context, now
                )
                queued += uow.certificates.queue_once(row)
            nxt = policy.next_reminder(certificate.expires_on, today + timedelta(days=1))
            moved.append({"certificate_id": certificate.id, "due_on": nxt})
        uow.certificates.set_due("next_reminder_on", moved)
        uow.commit()
    return cursor, len(rows), queued


def warn_cpd_shortfalls(
    runtime: Runtime, policy: RenewalPolicy, after: Cursor, batch_size: int, key_range: KeyRange | None = None
) -> tuple[Cursor, int, int]:
    """One batch of yearly CPD checks: a warning to each holder whose year so far falls short.

    A check found after its year has ended (the sweep did not run for a while) is passed over without a
    warning: the warning is there to let the member catch up before the year closes.
    """
    today, now = runtime.today(), runtime.clock.now()
    queued = 0
    moved: list[dict[str, object]] = []
    with runtime.unit_of_work() as uow:
        rows = uow.certificates.due("cpd_check_on", today, batch_size, after, _ids(key_range))
        cursor = _cursor(rows, "cpd_check_on", after)
        person_ids = sorted({p.id for _, p in rows if p.id is not None})
        years = sorted({c.cpd_check_on.year for c, _ in rows if c.cpd_check_on is not None})
        activities = uow.certificates.activities(person_ids, years)
        by_person: dict[int, list[CpdActivity]] = {}
        for activity in activities:
            by_person.setdefault(activity.person_id, []).append(activity)
        choices = society_policy_choices(uow, sorted({c.society_id for c, _ in rows}))
        lecturers: dict[int, list[CpdLecturer]] = {}
        for qualification in uow.certificates.lecturer_periods(person_ids):
            lecturers.setdefault(qualification.person_id, []).append(qualification)
        for certificate, person in rows:
            assert certificate.id is not None and certificate.cpd_check_on is not None
            year = certificate.cpd_check_on.year
            still_open = year == today.year
            live = certificate.status == Status.ACTIVE.value
            if live and still_open and year not in uow.certificates.exempt_years(certificate.id):
                rules = cpd_policy(policy_for_year(choices.get(certificate.society_id, []), year))
                own = by_person.get(person.id or 0, [])
                lecturer = lecturer_periods(lecturers.get(person.id or 0, []))
                evaluation = rules.evaluate(records_for(own, person.name, year, lecturer))
                if not evaluation.compliant:
                    context = cpd_shortfall_context(evaluation)
                    row = notice_row(
                        person,
                        certificate,
                        "certificate.cpd_shortfall",
                        cpd_warning_key(certificate, year),
                        context,
                        now,
                    )
                    queued += uow.certificates.queue_once(row)
            nxt = policy.next_cpd_check(certificate.term_starts_on, certificate.expires_on, today + timedelta(days=1))
            moved.append({"certificate_id": certificate.id, "due_on": nxt})
        uow.certificates.set_due("cpd_check_on", moved)
        uow.commit()
    return cursor, len(rows), queued


def expire_certificates(
    runtime: Runtime, after: Cursor, batch_size: int, key_range: KeyRange | None = None
) -> tuple[Cursor, int, list[str]]:
    """One batch of live certificates past their last valid day, expired with history and notice."""
    today, now = runtime.today(), runtime.clock.now()
    expired: list[str] = []
    with runtime.unit_of_work() as uow:
        rows = uow.certificates.past_validity(today, batch_size, after, _ids(key_range))
        cursor = _cursor(rows, "expires_on", after)
        for certificate, person in rows:
            reason = coded_reason("certificate_expired_reason", expired_on=certificate.expires_on.isoformat())
            try:
                record_change(
                    uow, certificate, person, Change.EXPIRE, actor=SWEEPING, reason=reason, today=today, now=now
                )
            except (DomainError, ConcurrencyConflict):
                continue
            expired.append(certificate.registration_number)
        uow.commit()
    return cursor, len(rows), expired


BatchRunner = Callable[[str, Runtime, RenewalPolicy, Cursor, int, "KeyRange | None"], tuple[Cursor, int, object]]


def run_renewal_sweep(
    runtime: Runtime,
    *,
    policy: RenewalPolicy | None = None,
    batch_size: int = 500,
    run_batch: BatchRunner | None = None,
    key_range: KeyRange | None = None,
) -> RenewalSweepReport:
    """Run all three parts as of the runtime's today (over the certificates of `key_range` only, when given).
    `run_batch` lets the Prefect flow make each batch a task."""
    policy = policy or runtime.policies.renewal
    run_batch = run_batch or sweep_batch
    report = RenewalSweepReport(as_of=runtime.today().isoformat())
    for part in PARTS:
        after: Cursor = None
        while True:
            after, examined, result = run_batch(part, runtime, policy, after, batch_size, key_range)
            if not examined:
                break
            report.batches += 1
            report.examined += examined
            if part == "reminders":
                report.reminders += cast(int, result)
            elif part == "cpd_warnings":
                report.cpd_warnings += cast(int, result)
            else:
                report.expired += cast("list[str]", result)
            if examined < batch_size:
                break
    return report


def sweep_batch(
    part: str,
    runtime: Runtime,
    policy: RenewalPolicy,
    after: Cursor,
    batch_size: int,
    key_range: KeyRange | None = None,
) -> tuple[Cursor, int, object]:
    """One batch of one part of the sweep."""
    if part == "reminders":
        return send_reminders(runtime, policy, after, batch_size, key_range)
    if part == "cpd_warnings":
        return warn_cpd_shortfalls(runtime, policy, after, batch_size, key_range)
    if part == "expiries":
        return expire_certificates(runtime, after, batch_size, key_range)
    raise ValueError(f"unknown sweep part {part!r}")


def refuse_renewal(runtime: Runtime, command: RefuseRenewal) -> date:
    """The workgroup of the certificate's society refuses a renewal applied for, with reasons: one
    `renewal_refused` line in the certificate's history and a notice to the holder; returns its date."""
    if not command.reason.strip():
        raise InputError("renewal_refusal_reason_missing")
    today, now = runtime.today(), runtime.clock.now()
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(command.registration_number.strip())
        if found is None:
            raise NotFoundError("certificate_not_found", number=command.registration_number)
        certificate, holder, _ = found
        assert certificate.id is not None
        actor = certificate_actor(uow, command.actor, certificate)
        require(actor, Party.SOCIETY, "refuse_renewal")
        if certificate.renewal_requested_on is None:
            raise DomainError("renewal_refusal_not_applied", number=certificate.registration_number)
        history_id = uow.certificates.append_history(
            {
                "certificate_id": certificate.id,
                "from_status": certificate.status,
                "to_status": certificate.status,
                "action": RENEWAL_REFUSED,
                "actor": actor.label,
                "actor_id": actor.person_id,
                "reason": command.reason.strip(),
                "effective_on": today,
                "at": now,
            }
        )
        context = {"reason": command.reason.strip(), "refused_on": today.isoformat()}
        key = f"certificate:{certificate.id}:h{history_id}:{RENEWAL_REFUSED}"
        uow.certificates.queue_once(notice_row(holder, certificate, REFUSAL_TEMPLATE, key, context, now))
        uow.commit()
        return today
