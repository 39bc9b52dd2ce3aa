"""The reminder sweep: lapse warnings to applicants and the workgroup's daily digest, queued in the outbox.

Both are found through indexes a batch at a time and are idempotent: every warning has the dedupe key of
its deadline and every digest the key of its recipient and day, so a sweep run twice, or killed and run
again, queues each message once. The warnings may be split into key ranges of the deadline id
(`due_ranges`), each swept on its own (`sweep_lapse_warnings(key_range=...)`); the digests, one per
workgroup member and society, are swept once per run (`sweep_digests`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, NamedTuple

from capeval.models import Person
from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.outbox import Notice, outbox_row
from capeval.states.application import WAITING_ON, Party
from capeval.states.calendar import local_date
from capeval.states.errors import ConcurrencyConflict
from capeval.states.events import Recipient

from . import calendar_store
from .facts import RESUBMISSION, SUPPLEMENT
from .partitions import KeyRange, key_ranges
from .runtime import Runtime

LAPSE_WARNING = "application.lapse_warning"
DAILY_DIGEST = "workgroup.daily_digest"
DIGEST_LIST_LIMIT = 200
WORKGROUP_STAGES = tuple(stage.value for stage, party in WAITING_ON.items() if party is Party.WORKGROUP)
KINDS = (RESUBMISSION, SUPPLEMENT)


class WarningItem(NamedTuple):
    """An open deadline close enough to warn about."""

    deadline_id: int
    case_id: int


@dataclass
class ReminderReport:
    """Counts of one reminder sweep."""

    as_of: str = ""
    warnings_due: int = 0
    warnings_queued: int = 0
    warning_batches: int = 0
    societies: int = 0
    digests_queued: int = 0
    digest_batches: int = 0

    def merged(self, other: ReminderReport) -> ReminderReport:
        """This report and another partition's (or the digests'), added up."""
        counts = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self) if f.name != "as_of"}
        return ReminderReport(as_of=self.as_of or other.as_of, **counts)


def lapse_warning_key(deadline_id: int) -> str:
    """One lapse warning per deadline, however often the sweep runs."""
    return f"deadline:{deadline_id}:{LAPSE_WARNING}"


def digest_key(society_id: int, person_id: int, day: date) -> str:
    """One digest per workgroup member, society and day."""
    return f"digest:{society_id}:{person_id}:{day.isoformat()}"


def warning_horizon(runtime: Runtime, uow: UnitOfWork) -> date:
    """The last due date warned about today: `lapse_warning_working_days` working days ahead."""
    return runtime.calendar(uow).add_working_days(runtime.today(), runtime.policy.lapse_warning_working_days)


def warning_batch(runtime: Runtime, after_id: int, size: int, key_range: KeyRange | None = None) -> list[WarningItem]:
    """Open resubmission and supplement deadlines due from today to the horizon, after deadline `after_id`
    (within `key_range`, when given)."""
    ids = key_range.bounds() if key_range is not None else None
    with runtime.unit_of_work() as uow:
        horizon = warning_horizon(runtime, uow)
        found = uow.deadlines.open_due_between(KINDS, runtime.today(), horizon, after_id, size, ids)
        return [WarningItem(deadline_id, case_id) for deadline_id, case_id in found]


def due_ranges(runtime: Runtime, partitions: int) -> list[KeyRange]:
    """The ids of the deadlines to warn about today split into at most `partitions` key ranges (none if
    nothing is near)."""
    with runtime.unit_of_work() as uow:
        horizon = warning_horizon(runtime, uow)
        return key_ranges(uow.deadlines.open_due_between_bounds(KINDS, runtime.today(), horizon), partitions)


def _queue_missing(uow: UnitOfWork, messages: Sequence[dict[str, Any]]) -> int:
    known = uow.outbox.existing_keys([m["dedupe_key"] for m in messages])
    queued = sum(uow.outbox.append_once(m) for m in messages if m["dedupe_key"] not in known)
    uow.commit()
    return queued


def _queue_idempotently(runtime: Runtime, build: Callable[[UnitOfWork], list[dict[str, Any]]]) -> int:
    """Queue what `build` returns, skipping keys already queued (also by a sweep running at once, whose
    rows the insert waits for and then passes over); one retry if the transaction still lost a race."""
    for attempt in (1, 2):
        try:
            with runtime.unit_of_work() as uow:
                return _queue_missing(uow, build(uow))
        except ConcurrencyConflict:
            if attempt == 2:
                raise
    return 0


def _message(
    template: str, person: Person, key: str, context: dict[str, Any], now: datetime, application_id: int | None = None
) -> dict[str, Any]:
    recipient = Recipient(person.name, person.email, person.language, person.id)
    return outbox_row(Notice(key, template, recipient, context, application_id), now)


def queue_lapse_warnings(runtime: Runtime, batch: list[WarningItem]) -> int:
    """Queue the lapse warning of every deadline in `batch` that has none yet; returns how many were queued."""
    if not batch:
        return 0
    now, today = runtime.clock.now(), runtime.today()

    def build(uow: UnitOfWork) -> list[dict[str, Any]]:
        calendar = runtime.calendar(uow)
        rows = uow.deadlines.open_with_case([item.deadline_id for item in batch])
        messages = []
        for deadline, case, person in rows:
            assert deadline.id is not None and case.id is not None
            context = {
                "case_id": case.id,
                "applicant_name": person.name,
                "action": "lapse_warning",
                "stage": case.stage,
                "kind": deadline.kind,
                "due_on": deadline.due_on.isoformat(),
                "due_provisional": deadline.provisional,
                "working_days_left": calendar.working_days_between(today, deadline.due_on),
                "reason": case.last_reason,
                "field_code": case.field_code,
                "level": case.level,
            }
            key = lapse_warning_key(deadline.id)
            messages.append(_message(LAPSE_WARNING, person, key, context, now, application_id=case.id))
        return messages

    return _queue_idempotently(runtime, build)


def society_batch(runtime: Runtime, after_id: int, size: int) -> list[int]:
    """Society ids after `after_id`, in order."""
    with runtime.unit_of_work() as uow:
        return uow.directory.society_ids(after_id, size)


def queue_digests(runtime: Runtime, society_ids: list[int]) -> int:
    """Queue today's digest for each workgroup member of these societies that has something to look at."""
    now, today = runtime.clock.now(), runtime.today()

    def build(uow: UnitOfWork) -> list[dict[str, Any]]:
        horizon = warning_horizon(runtime, uow)
        missing = calendar_store.missing_next_year(runtime.calendar(uow), today, runtime.policy.calendar_warning_from)
        messages = []
        for society_id in society_ids:
            society = uow.directory.society(society_id)
            assert society is not None
            waiting = _waiting_cases(uow, society_id)
            deadlines = _deadlines_due(uow, society_id, horizon)
            if not waiting and not deadlines and missing is None:
                continue
            context = {
                "society_code": society.code,
                "society_name": society.name_zh,
                "digest_date": today.isoformat(),
                "waiting": waiting[:DIGEST_LIST_LIMIT],
                "waiting_count": len(waiting),
                "deadlines": deadlines[:DIGEST_LIST_LIMIT],
                "deadline_count": len(deadlines),
                "calendar_missing_year": missing.year if missing is not None else None,
            }
            for person in uow.directory.workgroup(society_id):
                assert person.id is not None
                key = digest_key(society_id, person.id, today)
                messages.append(_message(DAILY_DIGEST, person, key, {**context, "recipient_name": person.name}, now))
        return messages

    return _queue_idempotently(runtime, build)


def _waiting_cases(uow: UnitOfWork, society_id: int) -> list[dict[str, Any]]:
    rows = uow.applications.waiting_in(society_id, WORKGROUP_STAGES)
    return [
        {"case_id": case_id, "applicant_name": name, "stage": stage, "since": local_date(updated).isoformat()}
        for case_id, name, stage, updated in rows
    ]


def _deadlines_due(uow: UnitOfWork, society_id: int, horizon: date) -> list[dict[str, Any]]:
    rows = uow.deadlines.open_due_by(society_id, horizon)
    return [
        {
            "case_id": case_id,
            "applicant_name": name,
            "kind": kind,
            "due_on": due.isoformat(),
            "provisional": provisional,
        }
        for case_id, name, kind, due, provisional in rows
    ]


WarningRunner = Callable[[Runtime, list[WarningItem]], int]
DigestRunner = Callable[[Runtime, list[int]], int]


def sweep_lapse_warnings(
    runtime: Runtime,
    *,
    batch_size: int = 500,
    key_range: KeyRange | None = None,
    warn: WarningRunner = queue_lapse_warnings,
) -> ReminderReport:
    """Queue every lapse warning due today (of the deadlines in `key_range` only, when given); `warn` runs
    one batch, the Prefect flow passes a task here."""
    report = ReminderReport(as_of=runtime.today().isoformat())
    after_id = 0
    while batch := warning_batch(runtime, after_id, batch_size, key_range):
        report.warning_batches += 1
        report.warnings_due += len(batch)
        report.warnings_queued += warn(runtime, batch)
        after_id = batch[-1].deadline_id
    return report


def sweep_digests(runtime: Runtime, *, batch_size: int = 500, digest: DigestRunner = queue_digests) -> ReminderReport:
    """Queue today's workgroup digests, a batch of societies at a time (`digest` runs one batch)."""
    report = ReminderReport(as_of=runtime.today().isoformat())
    after_id = 0
    while societies := society_batch(runtime, after_id, batch_size):
        report.digest_batches += 1
        report.societies += len(societies)
        report.digests_queued += digest(runtime, societies)
        after_id = societies[-1]
    return report


def sweep_reminders(
    runtime: Runtime,
    *,
    batch_size: int = 500,
    key_range: KeyRange | None = None,
    digests: bool = True,
    warn: WarningRunner = queue_lapse_warnings,
    digest: DigestRunner = queue_digests,
) -> ReminderReport:
    """Queue every lapse warning due today (of `key_range` only, when given) and, unless `digests` is off,
    the workgroup digests."""
    report = sweep_lapse_warnings(runtime, batch_size=batch_size, key_range=key_range, warn=warn)
    if digests:
        report = report.merged(sweep_digests(runtime, batch_size=batch_size, digest=digest))
    return report
