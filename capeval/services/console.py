"""The web console's reads and checks: who the signed-in person is, what they may see, and the pages' data.

Everything here reads through the unit of work and returns plain values. The board itself is
`queries.board`; this module turns the console's filters (due within N working days, overdue) into dates
with the stored working-day calendar, so the web layer holds no rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from capeval.models.board import BoardFilters
from capeval.models.console_repository import ViewerRole, viewer_roles
from capeval.models.console_repository import session_viewer as session_viewer_roles
from capeval.models.directory import Person
from capeval.models.reads import read_connection, reading_unit
from capeval.models.unit_of_work import UnitOfWork
from capeval.states import guards
from capeval.states.application import WAITING_ON, Action, Party, Stage, moves_from
from capeval.states.authority import StaffRole
from capeval.states.calendar import SHANGHAI, WorkingDayCalendar
from capeval.states.errors import CalendarError, InputError, NotFoundError, NotPermitted
from capeval.states.governance import Body
from capeval.states.levels import Route

from . import accounts, queries
from .accounts import SignedIn
from .authority import case_parties
from .runtime import Runtime

BOARD_PAGE_SIZE = 25
"""Cases per page of the board."""


@dataclass(frozen=True)
class Viewer:
    """What the signed-in person is, from the directory: the roles the console's menus and pages check."""

    person_id: int
    username: str
    name: str
    workgroup_of: tuple[str, ...] = ()
    administers: tuple[str, ...] = ()
    secretariat: bool = False
    administrator: bool = False
    examiner: bool = False
    committee: bool = False
    applicant: bool = False
    holder: bool = False
    workgroup_ids: tuple[int, ...] = ()
    """The ids of the societies of `workgroup_of`, in the same order, when read with the roles."""

    @property
    def staff(self) -> bool:
        """Whether the board is theirs: workgroup of a society or the secretariat."""
        return bool(self.workgroup_of) or self.secretariat


def viewer(runtime: Runtime, person_id: int) -> Viewer:
    """The roles `person_id` holds today, read in one statement."""
    with runtime.engine.connect() as connection:
        lines = viewer_roles(connection, person_id, Body.REVIEW_COMMITTEE.value, runtime.today())
    if not lines:
        raise NotPermitted("account_session_missing")
    return _viewer_of(lines)


def session_viewer(runtime: Runtime, token: str) -> tuple[SignedIn, Viewer]:
    """Who the console session `token` belongs to and the roles they hold today, read in one statement (the
    session's last-seen time noted, to the minute, as `accounts.session_of` does); NotPermitted when the
    session is unknown, ended or expired."""
    now = runtime.clock.now()
    with read_connection(runtime.engine) as connection:
        found = session_viewer_roles(connection, accounts.digest(token), Body.REVIEW_COMMITTEE.value, runtime.today())
    if found is None:
        raise NotPermitted("account_session_missing")
    if accounts.open_session_seen(found.ended_at, found.expires_at, found.last_seen_at, now):
        accounts.note_seen(runtime, found.session_id, now)
    person = found.roles[0]
    who = SignedIn(person.person_id, person.username, person.name, found.language, found.csrf_token, found.expires_at)
    return who, _viewer_of(found.roles)


def _viewer_of(lines: list[ViewerRole]) -> Viewer:
    first = lines[0]
    held = [(line.role, line.society_id, line.society) for line in lines if line.role is not None]

    def societies(role: StaffRole) -> tuple[str, ...]:
        return tuple(sorted(code for name, _, code in held if name == role.value and code is not None))

    workgroup = sorted((code, society_id) for name, society_id, code in held if name == StaffRole.WORKGROUP.value)

    def federation(role: StaffRole) -> bool:
        return any(name == role.value and society_id is None for name, society_id, _ in held)

    return Viewer(
        first.person_id,
        first.username,
        first.name,
        societies(StaffRole.WORKGROUP),
        societies(StaffRole.SOCIETY_ADMINISTRATOR),
        secretariat=federation(StaffRole.SECRETARIAT),
        administrator=federation(StaffRole.ADMINISTRATOR),
        examiner=bool(first.examiner),
        committee=bool(first.committee),
        applicant=bool(first.applicant),
        holder=bool(first.holder),
        workgroup_ids=tuple(
            society_id for code, society_id in workgroup if code is not None and society_id is not None
        ),
    )


# --- the board -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilter:
    """What the board is narrowed to; None or empty means no narrowing. `after` is the cursor of the page:
    the cases with an id above it."""

    society: str | None = None
    stages: tuple[str, ...] = ()
    field: str | None = None
    due_within: int | None = None
    overdue: bool = False
    after: int | None = None


@dataclass(frozen=True)
class BoardLine:
    """A case on the board with how many working days are left to its due date (negative: overdue)."""

    row: queries.BoardRow
    working_days_left: int | None
    days_in_stage: int | None = None
    """Calendar days since the case entered its stage (its ageing)."""


@dataclass(frozen=True)
class BoardPage:
    """One page of the board, the counts per stage of everything the filter matches, and the cursor of the
    next page (None on the last)."""

    lines: list[BoardLine]
    counts: dict[str, int]
    total: int
    next_after: int | None
    after: int | None = None
    societies: tuple[str, ...] = field(default_factory=tuple)
    fields: tuple[str, ...] = field(default_factory=tuple)
    """The codes of every engineering field, for the board's filter."""
    capped: bool = False
    """More cases match a due-date filter than `count_cap`: each count is then a lower bound (at least that
    many) and `total` (`count_cap` + 1) means more than `count_cap`."""
    count_cap: int = 0
    """The most cases a due-date filter's counts take (the `board_count_cap` setting)."""


def board_page(runtime: Runtime, who: Viewer, wanted: BoardFilter) -> BoardPage:
    """The board of the societies `who` is workgroup of (every society for the secretariat), filtered.

    One unit of work: the calendar's fingerprint, the societies' ids, one page statement (with when each
    case entered its stage), one count statement and the field codes, whatever the number of cases: the
    filters run in the database, and a due-date filter's count stops after the `board_count_cap` setting's
    number of cases (`capped`). "Due within N working days" keeps the cases whose earliest open deadline
    falls before the (N+1)-th working day after today, so exactly those showing at most N working days
    left (overdue ones included); "overdue" keeps those due before today. Days left and ageing are worked
    out for the shown rows only.
    """
    if not who.staff:
        raise NotPermitted("console_board_not_staff", actor=who.name)
    societies: tuple[str, ...]
    if who.secretariat:
        societies = (wanted.society,) if wanted.society else ()
    elif wanted.society:
        if wanted.society not in who.workgroup_of:
            raise NotPermitted("console_board_other_society", actor=who.name, society=wanted.society)
        societies = (wanted.society,)
    else:
        societies = who.workgroup_of
    for stage in wanted.stages:
        if stage not in {s.value for s in Stage}:
            raise InputError("console_stage_unknown", stage=stage, choices=[s.value for s in Stage])
    if wanted.due_within is not None and not 0 <= wanted.due_within <= 250:
        raise InputError("console_due_within_range", value=wanted.due_within)
    today = runtime.today()
    with reading_unit(runtime.engine) as uow:
        calendar = runtime.calendar(uow)
        due_by = None
        if wanted.due_within is not None:
            due_by = queries.last_due_day(calendar, today, wanted.due_within)
        own = dict(zip(who.workgroup_of, who.workgroup_ids, strict=False))
        known = own if all(code in own for code in societies) else uow.board.society_ids(societies)
        missing = [code for code in societies if code not in known]
        if missing:
            raise NotFoundError("lookup_society_missing", code=missing[0])
        filters = BoardFilters(
            tuple(known[code] for code in sorted(societies)),
            wanted.stages,
            wanted.field,
            due_by,
            today if wanted.overdue else None,
        )
        found = uow.board.entered_page(filters, wanted.after, BOARD_PAGE_SIZE + 1)
        cap = runtime.settings.board_count_cap
        counts = uow.board.counts(filters, cap)
        fields = tuple(uow.board.field_codes())
    days_left = _working_days_left(calendar, today, {line.due_on for line in found if line.due_on is not None})
    shown = [
        BoardLine(
            queries.board_row(line),
            days_left[line.due_on] if line.due_on is not None else None,
            (today - line.entered_at.astimezone(SHANGHAI).date()).days if line.entered_at is not None else None,
        )
        for line in found[:BOARD_PAGE_SIZE]
    ]
    next_after = shown[-1].row.case_id if len(found) > BOARD_PAGE_SIZE else None
    return BoardPage(
        shown, counts.by_stage, counts.total, next_after, wanted.after, societies, fields, counts.capped, cap
    )


"""Whom a case in each stage waits on ('-' for none)."""


def _working_days_left(calendar: WorkingDayCalendar, today: date, dues: set[date]) -> dict[date, int | None]:
    """The working days from `today` to each due date (negative: overdue), None for a date past the
    published calendar. The dates are taken in order away from today and each gap walked once, so a page
    costs the span of its dates, not the span once per row."""
    left: dict[date, int | None] = {}
    for ahead in (True, False):
        side = sorted((due for due in dues if (due >= today) == ahead), reverse=not ahead)
        count: int | None = 0
        previous = today
        for due in side:
            if count is not None:
                try:
                    gap = calendar.working_days_between(*((previous, due) if ahead else (due, previous)))
                except CalendarError:  # a date past the published calendar shows no count, not an error
                    count = None
                else:
                    count += gap
            left[due] = None if count is None else count if ahead else -count
            previous = due
    return left


# --- one case ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseOption:
    """An action of the case the viewer may take now or see blocked, with whether it needs a reason."""

    action: str
    to_stage: str
    by: str
    ready: bool
    blocked_by: list[str]
    needs_reason: bool
    needs_resolution: bool


COMMITTEE_DECISIONS = frozenset({Action.APPROVE, Action.REFER_BACK, Action.REJECT})


def case_parties_of(runtime: Runtime, person_id: int, case_id: int) -> set[str]:
    """The parties the person holds on the case today; NotPermitted when none (the case is not theirs)."""
    with runtime.unit_of_work() as uow:
        return _parties(uow, person_id, case_id, runtime.today())[0]


def _parties(uow: UnitOfWork, person_id: int, case_id: int, today: date) -> tuple[set[str], Person]:
    context = uow.applications.context(case_id)
    if context is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    person = uow.directory.person(person_id)
    if person is None:
        raise NotPermitted("account_session_missing")
    held = {party.value for party in case_parties(uow, person, context, today)}
    if not held:
        raise NotPermitted("console_case_not_yours", actor=person.name, case_id=case_id)
    return held, person


def case_options(runtime: Runtime, case_id: int, held: set[str]) -> list[CaseOption]:
    """The actions from the case's stage whose party the viewer holds (the engine still checks each)."""
    with runtime.unit_of_work() as uow:
        options = queries.actions_in(uow, runtime, case_id)
        case = uow.applications.get(case_id)
        assert case is not None
        return _options(case.stage, case.route, [asdict(option) for option in options], held)


def _options(stage: str, route: str, actions: list[dict[str, Any]], held: set[str]) -> list[CaseOption]:
    moves = {move.action.value: move for move in moves_from(Stage(stage), Route(route))}
    options = []
    for option in actions:
        if option["by"] not in held:
            continue
        move = moves[option["action"]]
        options.append(
            CaseOption(
                option["action"],
                option["to_stage"],
                option["by"],
                option["ready"],
                option["blocked_by"],
                any(guard is guards.REASON_GIVEN for guard in move.guards),
                move.action in COMMITTEE_DECISIONS,
            )
        )
    return options


@dataclass(frozen=True)
class OwnCase:
    """An applicant's own case: its stage, what it waits on and by when."""

    case_id: int
    society: str
    field: str
    level: str
    stage: str
    waiting_on: str
    due_on: date | None
    version: int


def own_cases(runtime: Runtime, person_id: int) -> list[OwnCase]:
    """The cases the person applied for, newest first."""
    with runtime.unit_of_work() as uow:
        cases = uow.console.cases_of_person(person_id)
        due = {d.application_id: d.due_on for d in uow.deadlines.open_for_cases([c.id for c in cases if c.id])}
        societies = {s.id: s.code for s in uow.directory.societies()}
        lines = []
        for case in cases:
            assert case.id is not None
            waiting = WAITING_ON.get(Stage(case.stage))
            lines.append(
                OwnCase(
                    case.id,
                    societies.get(case.society_id, "?"),
                    case.field_code,
                    case.level,
                    case.stage,
                    waiting.value if waiting else "-",
                    due.get(case.id),
                    case.version,
                )
            )
        return lines


APPLICANT = Party.APPLICANT.value
"""The party an applicant holds on their own case."""
