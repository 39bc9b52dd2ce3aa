"""The web console's reads and checks: who the signed-in person is, what they may see, and the pages' data.

Everything here reads through the unit of work and returns plain values. The board itself is
`queries.board`; this module filters and pages it (field, stage, due within N working days, overdue) with
the stored working-day calendar, so the web layer holds no rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from capeval.models import Certificate, Person, Society
from capeval.states import guards
from capeval.states.application import WAITING_ON, Action, Party, Stage, moves_from
from capeval.states.authority import StaffRole
from capeval.states.calendar import SHANGHAI, WorkingDayCalendar
from capeval.states.commands import ApplicantDetails, CreateApplication, EvidenceRef
from capeval.states.errors import CalendarError, InputError, NotFoundError, NotPermitted
from capeval.states.governance import Body
from capeval.states.identity import id_number_digest
from capeval.states.interview import InterviewResult, check_scores, judge
from capeval.states.levels import Level, Route

from . import queries
from .authority import case_parties, certificate_parties, is_staff, sits_on
from .handlers import Outcome, handle
from .identity_key import id_key
from .resolutions import resolutions_for_case
from .roles import RoleLine, roles_of, roster
from .runtime import Runtime

REGISTER_PAGE_SIZE = 20
"""Certificates per page of the public register."""
REGISTER_MAX_PAGES = 10
"""The public register shows at most this many pages of one search: narrow it by society or field."""
MIN_NAME_PART = 2
"""The shortest part of a name the public register searches for (characters)."""
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

    @property
    def staff(self) -> bool:
        """Whether the board is theirs: workgroup of a society or the secretariat."""
        return bool(self.workgroup_of) or self.secretariat


def viewer(runtime: Runtime, person_id: int) -> Viewer:
    """The roles `person_id` holds today."""
    today = runtime.today()
    with runtime.unit_of_work() as uow:
        person = uow.directory.person(person_id)
        if person is None or person.id is None:
            raise NotPermitted("account_session_missing")
        societies = {s.id: s.code for s in uow.directory.societies()}
        assignments = uow.directory.assignments(person.id)
        workgroup = sorted(
            societies[a.society_id]
            for a in assignments
            if a.role == StaffRole.WORKGROUP.value and a.society_id in societies
        )
        administers = sorted(
            societies[a.society_id]
            for a in assignments
            if a.role == StaffRole.SOCIETY_ADMINISTRATOR.value and a.society_id in societies
        )
        return Viewer(
            person.id,
            person.username,
            person.name,
            tuple(workgroup),
            tuple(administers),
            secretariat=is_staff(uow, person, StaffRole.SECRETARIAT),
            administrator=is_staff(uow, person, StaffRole.ADMINISTRATOR),
            examiner=bool(uow.review.examiner_roles(person.id)),
            committee=sits_on(uow, person, Body.REVIEW_COMMITTEE, today),
            applicant=bool(uow.console.cases_of_person(person.id)),
            holder=bool(uow.console.certificates_of_person(person.id)),
        )


# --- the public register -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCertificate:
    """A certificate as the public sees it: name, level, field, society, validity and status only."""

    registration_number: str
    name: str
    level: str
    field: str
    society: str
    society_name: str
    valid_from: date
    valid_until: date
    status: str


@dataclass(frozen=True)
class RegisterPage:
    """One page of a register search."""

    entries: list[PublicCertificate]
    total: int
    page: int
    pages: int


def _public(certificate: Certificate, person: Person, society: Society) -> PublicCertificate:
    return PublicCertificate(
        certificate.registration_number,
        person.name,
        certificate.level,
        certificate.field_code,
        society.code,
        society.name_zh,
        certificate.valid_from or certificate.issued_on,
        certificate.expires_on,
        certificate.status,
    )


def register_search(
    runtime: Runtime,
    *,
    number: str | None = None,
    name: str | None = None,
    society: str | None = None,
    field_code: str | None = None,
    page: int = 1,
) -> RegisterPage:
    """The register by registration number, or by part of the holder's name (with society and field filters).

    A name part needs `MIN_NAME_PART` characters; at most `REGISTER_MAX_PAGES` pages are shown."""
    number = (number or "").strip()
    name = (name or "").strip()
    if number and name:
        raise InputError("register_lookup_both")
    if not number and not name:
        raise InputError("console_register_query_missing")
    if page < 1 or page > REGISTER_MAX_PAGES:
        raise InputError("console_page_out_of_range", page=page, last=REGISTER_MAX_PAGES)
    with runtime.unit_of_work() as uow:
        if number:
            found = uow.certificates.with_holder(number)
            entries = [_public(*found)] if found else []
            return RegisterPage(entries, len(entries), 1, 1)
        if len(name) < MIN_NAME_PART:
            raise InputError("console_name_part_short", minimum=MIN_NAME_PART)
        offset = (page - 1) * REGISTER_PAGE_SIZE
        total, rows = uow.console.register_by_name_part(
            name, (society or "").strip() or None, (field_code or "").strip() or None, REGISTER_PAGE_SIZE, offset
        )
        pages = min(REGISTER_MAX_PAGES, max(1, -(-total // REGISTER_PAGE_SIZE)))
        return RegisterPage([_public(*row) for row in rows], total, page, pages)


def societies_and_fields(runtime: Runtime) -> tuple[list[tuple[str, str]], list[str]]:
    """The society codes with their names, and the field codes, for the filters of a page."""
    with runtime.unit_of_work() as uow:
        societies = [(s.code, s.name_zh) for s in uow.directory.societies()]
        fields = [f.code for f in uow.directory.fields()]
        return societies, fields


# --- the board -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilter:
    """What the board is narrowed to; None or empty means no narrowing."""

    society: str | None = None
    stages: tuple[str, ...] = ()
    field: str | None = None
    due_within: int | None = None
    overdue: bool = False
    page: int = 1


@dataclass(frozen=True)
class BoardLine:
    """A case on the board with how many working days are left to its due date (negative: overdue)."""

    row: queries.BoardRow
    working_days_left: int | None
    days_in_stage: int | None = None
    """Calendar days since the case entered its stage (its ageing)."""


@dataclass(frozen=True)
class BoardPage:
    """One page of the board, the counts per stage of everything the filter matches, and the pages."""

    lines: list[BoardLine]
    counts: dict[str, int]
    total: int
    page: int
    pages: int
    societies: tuple[str, ...] = field(default_factory=tuple)


def board_page(runtime: Runtime, who: Viewer, wanted: BoardFilter) -> BoardPage:
    """The board of the societies `who` is workgroup of (every society for the secretariat), filtered."""
    if not who.staff:
        raise NotPermitted("console_board_not_staff", actor=who.name)
    societies: Sequence[str | None]
    if who.secretariat:
        societies = [wanted.society] if wanted.society else [None]
    elif wanted.society:
        if wanted.society not in who.workgroup_of:
            raise NotPermitted("console_board_other_society", actor=who.name, society=wanted.society)
        societies = [wanted.society]
    else:
        societies = list(who.workgroup_of)
    for stage in wanted.stages:
        if stage not in {s.value for s in Stage}:
            raise InputError("console_stage_unknown", stage=stage, choices=[s.value for s in Stage])
    if wanted.due_within is not None and not 0 <= wanted.due_within <= 250:
        raise InputError("console_due_within_range", value=wanted.due_within)
    if wanted.page < 1:
        raise InputError("console_page_out_of_range", page=wanted.page, last="-")
    rows = [row for code in societies for row in queries.board(runtime, code, list(wanted.stages) or None)]
    today = runtime.today()
    with runtime.unit_of_work() as uow:
        calendar = runtime.calendar(uow)
    lines = []
    for row in rows:
        if wanted.field and row.field != wanted.field:
            continue
        left = _working_days_left(calendar, today, row.due_on)
        if wanted.overdue and (left is None or left >= 0):
            continue
        if wanted.due_within is not None and (left is None or left > wanted.due_within):
            continue
        lines.append(BoardLine(row, left))
    counts = dict(Counter(line.row.stage for line in lines))
    pages = max(1, -(-len(lines) // BOARD_PAGE_SIZE))
    if wanted.page > pages:
        raise InputError("console_page_out_of_range", page=wanted.page, last=pages)
    start = (wanted.page - 1) * BOARD_PAGE_SIZE
    shown = lines[start : start + BOARD_PAGE_SIZE]
    with runtime.unit_of_work() as uow:
        entered = uow.console.entered_stage_at([line.row.case_id for line in shown])
    shown = [
        BoardLine(
            line.row,
            line.working_days_left,
            (today - entered[line.row.case_id].astimezone(SHANGHAI).date()).days
            if line.row.case_id in entered
            else None,
        )
        for line in shown
    ]
    return BoardPage(shown, counts, len(lines), wanted.page, pages, tuple(c for c in societies if c))


def _working_days_left(calendar: WorkingDayCalendar, today: date, due: date | None) -> int | None:
    if due is None:
        return None
    try:
        if due >= today:
            return calendar.working_days_between(today, due)
        return -calendar.working_days_between(due, today)
    except CalendarError:  # a date past the published calendar shows no count, not an error
        return None


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
        context = uow.applications.context(case_id)
        if context is None:
            raise NotFoundError("lookup_case_missing", case_id=case_id)
        person = uow.directory.person(person_id)
        if person is None:
            raise NotPermitted("account_session_missing")
        held = {party.value for party in case_parties(uow, person, context, runtime.today())}
        if not held:
            raise NotPermitted("console_case_not_yours", actor=person.name, case_id=case_id)
        return held


def case_options(runtime: Runtime, case_id: int, held: set[str]) -> list[CaseOption]:
    """The actions from the case's stage whose party the viewer holds (the engine still checks each)."""
    detail = queries.show(runtime, case_id)
    moves = {move.action.value: move for move in moves_from(Stage(detail["stage"]), Route(detail["route"]))}
    options = []
    for option in queries.actions(runtime, case_id):
        if option.by not in held:
            continue
        move = moves[option.action]
        options.append(
            CaseOption(
                option.action,
                option.to_stage,
                option.by,
                option.ready,
                option.blocked_by,
                any(guard is guards.REASON_GIVEN for guard in move.guards),
                move.action in COMMITTEE_DECISIONS,
            )
        )
    return options


def statement_text(runtime: Runtime, case_id: int) -> str:
    """The self-statement of the case as the application row holds it."""
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        if case is None:
            raise NotFoundError("lookup_case_missing", case_id=case_id)
        return case.self_statement


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


# --- the committee -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeCase:
    """A case awaiting the evaluation committee, with the resolutions already recorded about it."""

    row: queries.BoardRow
    resolutions: list[dict[str, object]]


@dataclass(frozen=True)
class CommitteeDesk:
    """The cases awaiting the committee and the roster that votes on them today."""

    cases: list[CommitteeCase]
    roster: list[tuple[str, str]]


def committee_desk(runtime: Runtime, who: Viewer) -> CommitteeDesk:
    """For the secretariat and the review committee's members: the cases in committee review and the roster."""
    if not (who.secretariat or who.committee):
        raise NotPermitted("console_committee_not_yours", actor=who.name)
    rows = queries.board(runtime, None, [Stage.COMMITTEE_REVIEW.value])
    cases = [CommitteeCase(row, list(resolutions_for_case(runtime, row.case_id))) for row in rows]
    members = [(line.username, line.name) for line in roster(runtime, Body.REVIEW_COMMITTEE.value)]
    return CommitteeDesk(cases, members)


# --- the member's certificates and CPD -----------------------------------------------------------------


@dataclass(frozen=True)
class OwnCertificate:
    """A certificate as its holder sees it on their page."""

    registration_number: str
    level: str
    field: str
    society: str
    status: str
    valid_from: date
    expires_on: date
    renewal_requested_on: date | None


def own_certificates(runtime: Runtime, person_id: int) -> list[OwnCertificate]:
    """The person's certificates, newest first."""
    with runtime.unit_of_work() as uow:
        return [
            OwnCertificate(
                c.registration_number,
                c.level,
                c.field_code,
                s.code,
                c.status,
                c.valid_from or c.issued_on,
                c.expires_on,
                c.renewal_requested_on,
            )
            for c, s in uow.console.certificates_of_person(person_id)
        ]


def certificate_parties_of(runtime: Runtime, person_id: int, number: str) -> set[str]:
    """The parties the person holds on the certificate (holder, society, society staff); NotPermitted when none."""
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number.strip())
        if found is None:
            raise NotFoundError("lookup_certificate_missing", number=number)
        person = uow.directory.person(person_id)
        if person is None:
            raise NotPermitted("account_session_missing")
        held = {party.value for party in certificate_parties(uow, person, found[0])}
        if not held:
            raise NotPermitted("console_certificate_not_yours", actor=person.name, number=number)
        return held


# --- the interview score sheet -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSheet:
    """A panelist's score sheet: the areas' maxima, the pass rule's thresholds, and a verdict when scored."""

    interview_id: int
    case_id: int
    level: str
    maxima: dict[str, int]
    pass_total: int
    knowledge_min_professional: int
    knowledge_min_senior: int
    ethics_min: int
    verdict: InterviewResult | None = None


def score_sheet(
    runtime: Runtime, person_id: int, interview_id: int, scores: dict[str, int] | None = None
) -> ScoreSheet:
    """The sheet of an interview for a member of its case's panel; with `scores`, the pass rule's verdict on
    them as filled in so far (checked against the maxima)."""
    with runtime.unit_of_work() as uow:
        interview = uow.review.interview(interview_id)
        if interview is None:
            raise NotFoundError("lookup_interview_missing", interview_id=interview_id)
        case = uow.applications.get(interview.application_id)
        assert case is not None
    held = case_parties_of(runtime, person_id, interview.application_id)
    if Party.INTERVIEW_PANEL.value not in held:
        raise NotPermitted("console_not_on_panel", interview_id=interview_id)
    policy = runtime.review_policy
    level = Level(case.level)
    maxima = policy.maxima_for(case.field_code, level)
    verdict = judge(level, check_scores(scores, maxima), policy) if scores is not None else None
    return ScoreSheet(
        interview_id,
        interview.application_id,
        case.level,
        maxima,
        policy.pass_total,
        policy.knowledge_min_professional,
        policy.knowledge_min_senior,
        policy.ethics_min,
        verdict,
    )


# --- the administrator's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminDesk:
    """The rules in force by table, the stored calendar years, and the roles of a person looked up."""

    rules: dict[str, list[dict[str, object]]]
    calendar_years: list[queries.CalendarYear]
    roles: list[RoleLine] | None
    username: str


def admin_desk(runtime: Runtime, who: Viewer, username: str = "") -> AdminDesk:
    """For federation administrators and society administrators; with `username`, that person's roles."""
    if not (who.administrator or who.administers):
        raise NotPermitted("console_admin_not_yours", actor=who.name)
    policies = runtime.policies
    rules = {
        name: [dict(row) for row in book.describe()]
        for name, book in (
            ("pipeline", policies.pipeline),
            ("review", policies.review),
            ("governance", policies.governance),
            ("delivery", policies.delivery),
            ("renewal", policies.renewal),
        )
    }
    roles = roles_of(runtime, username) if username.strip() else None
    return AdminDesk(rules, queries.calendar_years(runtime), roles, username.strip())


# --- a new application by the signed-in person ---------------------------------------------------------


@dataclass(frozen=True)
class OwnApplication:
    """What the signed-in person fills in to open a case of their own."""

    id_number: str
    society: str
    field: str
    level: str
    route: str
    statement: str
    evidence: tuple[EvidenceRef, ...]
    commitment_signed: bool


def create_own_application(runtime: Runtime, person_id: int, form: OwnApplication) -> Outcome:
    """Open a draft case for the signed-in person: the ID number given must be theirs (its digest is the one
    the directory holds), so nobody opens a case in another person's name."""
    try:
        level, route = Level(form.level), Route(form.route)
    except ValueError:
        raise InputError(
            "console_level_route_unknown", levels=[v.value for v in Level], routes=[v.value for v in Route]
        ) from None
    with runtime.unit_of_work() as uow:
        person = uow.directory.person(person_id)
        if person is None:
            raise NotPermitted("account_session_missing")
        digest = id_number_digest(form.id_number, id_key(runtime, uow))
        if digest != person.id_number_digest:
            raise InputError("console_id_number_not_yours")
        details = ApplicantDetails(person.name, form.id_number, person.email, person.language, person.employer)
    order = CreateApplication(
        details, form.society, form.field, level, route, form.statement, form.evidence, form.commitment_signed
    )
    return handle(runtime, order)
