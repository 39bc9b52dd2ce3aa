"""The read side shared by the CLI, the demo and the web console: plain values, never rows or sessions.

The workgroup's board, one case with its history and the actions allowed now; certificates and their CPD;
the outbox as operators see it; the stored working-day calendar. Each function reads in its own unit of
work (the board on one connection of its own: a read needs no ORM session) and returns dataclasses (or
plain values), so a caller never holds a database session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from capeval.models.outbox_queue import STATUSES, OutboxLine
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.application import WAITING_ON, Stage, moves_from, refusals
from capeval.states.bounds import BOARD_PAGE, BOARD_PAGE_MAX
from capeval.states.calendar import SHANGHAI, WorkingDayCalendar
from capeval.states.cpd import Evaluation
from capeval.states.errors import InputError, NotFoundError
from capeval.states.levels import Route
from capeval.states.statement import measure
from capeval.states.stored_reasons import reason_text

from .certificates import counted_rows, evaluate_years, society_policy_name
from .facts import StoredFacts
from .runtime import Runtime
from .work_experience import periods_shown

OUTBOX_STATUSES: tuple[str, ...] = STATUSES
"""Every status an outbox message can be in."""


@dataclass
class BoardRow:
    """One case on the board (not frozen: a frozen dataclass costs a page of 50 rows several times its SQL)."""

    case_id: int
    applicant: str
    society: str
    field: str
    level: str
    route: str
    stage: str
    waiting_on: str
    due_on: date | None
    version: int
    provisional: bool = False
    """`due_on` is 暂定: it reaches a year whose holiday schedule is not published yet."""
    reference: str | None = None
    """The case's reference (DES-2026-0004), None for a case that has none."""


@dataclass(frozen=True)
class ActionOption:
    """An action the table allows from the current stage, and whether its guards agree right now."""

    action: str
    to_stage: str
    by: str
    ready: bool
    blocked_by: list[str] = field(default_factory=list)


_WAITING_ON = {stage.value: WAITING_ON[stage].value if stage in WAITING_ON else "-" for stage in Stage}
_STAGES = frozenset(_WAITING_ON)


@dataclass(frozen=True)
class BoardPage:
    """One page of the board: its rows in case-id order, the cursor of the next page (None on the last) and,
    when asked for, how many cases of the same filters are in each stage."""

    rows: list[BoardRow]
    next_after: int | None
    counts_by_stage: dict[str, int] | None = None
    counts_capped: bool = False
    """More cases match a due-date filter than `count_cap`: each count by stage is a lower bound (at least
    that many, of the first `count_cap` + 1 found) and there are more than `count_cap` in all."""
    count_cap: int | None = None
    """The most cases a due-date filter's counts take (the `board_count_cap` setting), when counted."""


def board(
    runtime: Runtime,
    society_code: str | None = None,
    stages: Sequence[str] | None = None,
    field: str | None = None,
    after: int | None = None,
    limit: int = BOARD_PAGE,
    *,
    counts: bool = False,
    due_by: date | None = None,
    overdue_before: date | None = None,
    society_codes: Sequence[str] = (),
) -> BoardPage:
    """A page of cases (after the case id `after`, up to `limit`), with whom each waits on and its due date.

    One statement selects the page whatever the number of cases; `counts` adds one grouped count over the
    filtered cases (from the kept counts; under a due-date filter it reads at most the `board_count_cap`
    setting's number of them plus one, so a caller paging through asks for it once). `due_by`
    keeps the cases whose earliest open deadline is on or before that date, `overdue_before` those whose
    earliest open deadline is strictly before it; `society_codes` (with `society_code`) keeps the cases of
    any of those societies.
    """
    from capeval.models.board import BoardFilters
    from capeval.models.board import reading as board_reading

    if not 1 <= limit <= BOARD_PAGE_MAX:
        raise InputError("board_limit_invalid", limit=limit, maximum=BOARD_PAGE_MAX)
    if after is not None and after < 0:
        raise InputError("board_after_invalid", after=after)
    unknown = sorted(set(stages or ()) - _STAGES)
    if unknown:
        raise InputError("board_stage_unknown", stage=unknown[0], stages=", ".join(s.value for s in Stage))
    codes = sorted({*society_codes, *([society_code] if society_code is not None else [])})
    with board_reading(runtime.engine) as board_rows:
        known = board_rows.society_ids(codes)
        missing = [code for code in codes if code not in known]
        if missing:
            raise NotFoundError("lookup_society_missing", code=missing[0])
        society_ids = tuple(known[code] for code in codes)
        filters = BoardFilters(society_ids, tuple(stages or ()), field, due_by, overdue_before)
        lines = board_rows.page(filters, after, limit + 1)
        cap = runtime.settings.board_count_cap
        tally = board_rows.counts(filters, cap) if counts else None
    rows = [board_row(line) for line in lines[:limit]]
    next_after = rows[-1].case_id if len(lines) > limit else None
    if tally is None:
        return BoardPage(rows, next_after)
    return BoardPage(rows, next_after, tally.by_stage, tally.capped, cap)


def last_due_day(calendar: WorkingDayCalendar, today: date, working_days: int) -> date:
    """The latest due date of a case "due within `working_days` working days": the day before the
    (N+1)-th working day after today, so exactly the cases showing at most N working days left (overdue
    ones included)."""
    return calendar.add_working_days(today, working_days + 1) - timedelta(days=1)


def due_within(runtime: Runtime, working_days: int) -> date:
    """`last_due_day` from today by the stored working-day calendar, for `board`'s `due_by`."""
    with runtime.unit_of_work() as uow:
        return last_due_day(runtime.calendar(uow), runtime.today(), working_days)


def board_row(line: Sequence[Any]) -> BoardRow:
    """A line of the board's page (`models.board`: id, applicant, society, field, level, route, stage, due
    date, version, provisional, reference, then any further columns) as the board shows it."""
    case_id, applicant, society, field_code, level, route, stage, due_on, version, flag, reference = line[:11]
    return BoardRow(
        case_id,
        applicant,
        society,
        field_code,
        level,
        route,
        stage,
        _WAITING_ON[stage],
        due_on,
        version,
        bool(flag),
        reference,
    )


def actions(runtime: Runtime, case_id: int) -> list[ActionOption]:
    """The actions allowed from the case's stage, each marked ready or blocked with the guards' reasons."""
    with runtime.unit_of_work() as uow:
        return actions_in(uow, runtime, case_id)


def actions_in(uow: UnitOfWork, runtime: Runtime, case_id: int) -> list[ActionOption]:
    """`actions` inside the caller's unit of work."""
    context = uow.applications.context(case_id)
    if context is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    case = context.case
    facts = StoredFacts(uow, context, today=runtime.today(), reason="(to be given)", policy=runtime.policy)
    options = []
    for move in moves_from(Stage(case.stage), Route(case.route)):
        refused = refusals(move, facts)
        options.append(
            ActionOption(move.action.value, move.dest.value, move.by.value, not refused, [str(r) for _, r in refused])
        )
    return options


def show(runtime: Runtime, case_id: int, language: str | None = None) -> dict[str, Any]:
    """Everything about one case that staff may see (the ID number only masked); the reasons capeval
    recorded itself in `language` (the settings' language when not given)."""
    words = language or runtime.settings.lang
    with runtime.unit_of_work() as uow:
        return show_in(uow, runtime, case_id, words)


def show_in(uow: UnitOfWork, runtime: Runtime, case_id: int, language: str | None = None) -> dict[str, Any]:
    """`show` inside the caller's unit of work."""
    words = language or runtime.settings.lang
    case = uow.applications.get(case_id)
    if case is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    person = uow.directory.person(case.person_id)
    society = uow.directory.society(case.society_id)
    assert person is not None and society is not None
    certificate = uow.registry.certificate_for_case(case_id)
    statement = measure(case.self_statement)
    detail: dict[str, Any] = {
        "case_id": case.id,
        "applicant": {"name": person.name, "id_number": person.id_number_masked, "email": person.email},
        "society": society.code,
        "field": case.field_code,
        "level": case.level,
        "route": case.route,
        "stage": case.stage,
        "version": case.version,
        "batch": case.batch,
        "self_statement_chars": statement.chars,
        "self_statement_chinese_percent": statement.cjk_percent,
        "commitment_signed": case.commitment_signed_at is not None,
        "international_title": case.international_title,
        "last_reason": reason_text(case.last_reason, words),
        "evidence": [
            {
                "kind": e.kind,
                "reference": e.reference,
                "description": e.description,
                "round": e.supplement_round,
                "file": _document_line(e.reference, d.digest, d.media_type, d.size) if d else None,
                "digest": d.digest if d else None,
            }
            for e, d in uow.documents.evidence_of_case(case_id)
        ],
        "deadlines": [deadline_shown(d) for d in uow.deadlines.open_for_cases([case_id])],
        "deadline_changes": [
            {
                "change": c.change,
                "old_due_on": c.old_due_on,
                "new_due_on": c.new_due_on,
                "working_days": c.working_days,
                "reason": c.reason,
                "actor": c.actor,
                "at": c.at.astimezone(SHANGHAI),
            }
            for c in uow.deadline_changes.of_case(case_id)
        ],
        "history": [history_shown(h, words) for h in uow.history.for_case(case_id)],
        "notices": [
            {"template": m.template, "to": m.recipient_email, "status": m.status} for m in uow.outbox.for_case(case_id)
        ],
        "certificate": certificate.registration_number if certificate else None,
        "work_experience": periods_shown(uow, case_id),
    }
    detail["actions"] = [asdict(option) for option in actions_in(uow, runtime, case_id)]
    return detail


def deadline_shown(d: Any) -> dict[str, Any]:
    """An open deadline (a stored row, or a line read for the case page) as a case's detail shows it."""
    return {
        "kind": d.kind,
        "due_on": d.due_on,
        "status": d.status,
        "provisional": d.provisional,
        "basis": d.basis,
        "original_due_on": d.original_due_on,
    }


def history_shown(h: Any, words: str) -> dict[str, Any]:
    """A history line (a stored row, or a line read for the case page) as a case's detail shows it, its
    reason in the language `words`."""
    return {
        "at": h.at.astimezone(SHANGHAI),
        "version": h.version,
        "from": h.from_stage,
        "to": h.to_stage,
        "action": h.action,
        "actor": h.actor,
        "reason": reason_text(h.reason, words),
        "basis": h.basis,
    }


def _document_line(reference: str, digest: str, media_type: str, size: int) -> str:
    """A stored document as a case page names it: "diploma.pdf (application/pdf, 1234 bytes, 3f5a…)"."""
    return f"{Path(reference).name or reference} ({media_type}, {size} bytes, {digest[:12]})"


def last_reason(runtime: Runtime, case_id: int) -> str:
    """The reason recorded with the case's last stage change ('' for an unknown case), capeval's own in the
    settings' language."""
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        return reason_text(case.last_reason, runtime.settings.lang) if case is not None else ""


# --- certificates and CPD -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateChange:
    """One line of a certificate's history."""

    effective_on: date
    change: str
    from_status: str | None
    to_status: str
    actor: str
    reason: str


@dataclass(frozen=True)
class CertificateDetail:
    """A certificate as staff see it, with its history and the CPD years excused."""

    registration_number: str
    holder: str
    society: str
    field: str
    level: str
    status: str
    issued_on: date
    expires_on: date
    renewals: int
    superseded_by: str | None
    renewal_requested_on: date | None
    next_reminder_on: date | None
    cpd_check_on: date | None
    cpd_exempt_years: list[int]
    history: list[CertificateChange]


@dataclass(frozen=True)
class CpdYear:
    """The CPD evaluation of one year of a certificate, and whether that year is excused."""

    evaluation: Evaluation
    exempt: bool


def certificate(runtime: Runtime, number: str, language: str | None = None) -> CertificateDetail:
    """A certificate by registration number, with its history; NotFoundError when there is none. The reasons
    capeval recorded itself are in `language` (the settings' language when not given)."""
    words = language or runtime.settings.lang
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number)
        if found is None:
            raise NotFoundError("lookup_certificate_missing", number=number)
        row, person, society = found
        assert row.id is not None
        history = [
            CertificateChange(
                h.effective_on, h.action, h.from_status, h.to_status, h.actor, reason_text(h.reason, words)
            )
            for h in uow.certificates.history(row.id)
        ]
        return CertificateDetail(
            registration_number=row.registration_number,
            holder=person.name,
            society=society.code,
            field=row.field_code,
            level=row.level,
            status=row.status,
            issued_on=row.issued_on,
            expires_on=row.expires_on,
            renewals=row.renewals,
            superseded_by=row.superseded_by,
            renewal_requested_on=row.renewal_requested_on,
            next_reminder_on=row.next_reminder_on,
            cpd_check_on=row.cpd_check_on,
            cpd_exempt_years=sorted(uow.certificates.exempt_years(row.id)),
            history=history,
        )


def certificate_numbers(runtime: Runtime, case_ids: Sequence[int]) -> dict[int, str]:
    """The registration number of the certificate issued for each of these cases that has one."""
    with runtime.unit_of_work() as uow:
        found = {case_id: uow.registry.certificate_for_case(case_id) for case_id in case_ids}
        return {case_id: row.registration_number for case_id, row in found.items() if row is not None}


def cpd_years(runtime: Runtime, number: str, years: Sequence[int] = ()) -> list[CpdYear]:
    """The holder's CPD per year under the society's policy (default: each year of validity up to today)."""
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number)
        if found is None:
            raise NotFoundError("lookup_certificate_missing", number=number)
        row, person, _ = found
        assert row.id is not None
        chosen = list(years) or list(range(row.issued_on.year, min(runtime.today().year, row.expires_on.year) + 1))
        evaluations = evaluate_years(uow, row, person, chosen)
        exempt = uow.certificates.exempt_years(row.id)
        return [CpdYear(evaluation, evaluation.year in exempt) for evaluation in evaluations]


@dataclass(frozen=True)
class LedgerLine:
    """One row of a holder's CPD ledger as staff and the member see it, with who recognized it."""

    id: int
    date: date
    kind: str
    title: str
    organizer: str
    source: str
    recorded_by: str
    recognized_by: str
    counted: bool
    plan_item: str = ""


@dataclass(frozen=True)
class CpdLedger:
    """A holder's CPD ledger and the lecturer qualifications the societies recorded (CPD-2024 art. 13-14, 17)."""

    registration_number: str
    holder: str
    lines: list[LedgerLine]
    lecturer: list[dict[str, Any]]


def cpd_ledger(runtime: Runtime, number: str) -> CpdLedger:
    """Every ledger row of the certificate's holder, by date; `counted` is False for a row dated after the day it
    was recorded (never counted)."""
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number)
        if found is None:
            raise NotFoundError("lookup_certificate_missing", number=number)
        row, person, _ = found
        assert person.id is not None
        rows = uow.certificates.ledger(person.id)
        counted = {a.id for a in counted_rows(rows)}
        lines = [
            LedgerLine(
                id=a.id or 0,
                date=a.happened_on,
                kind=a.kind,
                title=str(a.attributes.get("title", "")),
                organizer=str(a.attributes.get("organizer") or "society"),
                source=a.source,
                recorded_by=a.recorded_by,
                recognized_by=a.recognized_by,
                counted=a.id in counted,
                plan_item=str(a.attributes.get("plan_item") or ""),
            )
            for a in rows
        ]
        lecturer = [
            {"since": q.since, "until": q.until, "recorded_by": q.recorded_by}
            for q in uow.certificates.lecturer_periods([person.id])
        ]
        return CpdLedger(row.registration_number, person.name, lines, lecturer)


def cpd_policy_name(runtime: Runtime, society_code: str) -> str:
    """The name of the CPD policy a society has chosen (the default when it chose none)."""
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code)
        if society is None or society.id is None:
            raise NotFoundError("lookup_society_missing", code=society_code)
        return society_policy_name(uow, society.id)


# --- governance -----------------------------------------------------------------------------------------


def appeal_participants(runtime: Runtime, reference: str) -> frozenset[str]:
    """The names of those who took part in the decision an appeal is about, and so may not sit on its panel."""
    from capeval.models.governance import Appeal

    from .appeals import participants
    from .governance_steps import names_of

    with runtime.unit_of_work() as uow:
        row = uow.governance.by_reference("appeal", reference)
        if not isinstance(row, Appeal):
            raise NotFoundError("lookup_appeal_missing", reference=reference)
        return frozenset(names_of(uow, participants(uow, row)))


# --- the outbox -----------------------------------------------------------------------------------------


OutboxEntry = OutboxLine
"""A queued message as operators list it: only the columns the listing shows."""


def outbox_messages(
    runtime: Runtime, status: str | None = None, limit: int = 100, template: str | None = None
) -> list[OutboxEntry]:
    """Messages oldest first, optionally only those of one status and template."""
    with runtime.unit_of_work() as uow:
        return uow.outbox.lines(status, limit, template)


def outbox_counts(runtime: Runtime) -> dict[str, int]:
    """How many messages are in each status."""
    with runtime.unit_of_work() as uow:
        return uow.outbox.count_by_status()


# --- the working-day calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarYear:
    """The newest stored version of one year's holiday schedule."""

    year: int
    version: int
    source: str
    loaded_by: str
    loaded_at: datetime


def working_day_calendar(runtime: Runtime) -> WorkingDayCalendar:
    """The working-day calendar as stored in the database."""
    with runtime.unit_of_work() as uow:
        return runtime.calendar(uow)


def calendar_years(runtime: Runtime) -> list[CalendarYear]:
    """Every stored year with its newest version and where it came from."""
    with runtime.unit_of_work() as uow:
        return [CalendarYear(r.year, r.version, r.source, r.loaded_by, r.loaded_at) for r in uow.calendar.latest()]


@dataclass(frozen=True)
class SentMessage:
    """A message the outbox has sent: its template and the dedupe key its Message-ID is made from."""

    template: str
    dedupe_key: str


def sent_messages(runtime: Runtime, template: str | None = None) -> list[SentMessage]:
    """Every sent message in the order it was queued, or only those of one template."""
    with runtime.unit_of_work() as uow:
        rows = uow.outbox.listing("sent", 1_000_000)
        return [
            SentMessage(row.template, row.dedupe_key) for row in rows if template is None or row.template == template
        ]
