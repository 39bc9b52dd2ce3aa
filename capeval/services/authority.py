"""Who is acting: resolve `--actor` to exactly one person, and the parties that person holds for a subject.

A person is named by username, or by name when exactly one person bears it. The parties held for a case
come from the directory (workgroup of its society, the secretariat, a seat on a committee on the day)
and from the case itself (its applicant, the examiners assigned to it, its interview panel). The
applicant of a case holds no other party on it: nobody decides their own case. Likewise the holder of a
certificate holds only `holder` on it; the workgroup of its society decides (`society`), and its workgroup
or administrator keep its CPD ledger (`society_staff`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from capeval.models import Certificate, Person
from capeval.models.repositories import CaseContext
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.application import Party
from capeval.states.authority import Actor, StaffRole, Sweep
from capeval.states.certificates import Party as CertificateParty
from capeval.states.errors import NotPermitted
from capeval.states.governance import Body
from capeval.states.review import OPEN_TASK_STATES, TaskState

ASSIGNED_TASK_STATES = frozenset({*OPEN_TASK_STATES, TaskState.SUBMITTED})
"""The task states in which an examiner counts as assigned to the case (invited, accepted, overdue, submitted)."""


def person_acting(uow: UnitOfWork, who: str) -> Person:
    """The one person `who` names (a username, or a name borne by exactly one person); else NotPermitted."""
    text = who.strip()
    called = uow.directory.people_called(text)
    by_username = [person for person in called if person.username == text]
    if by_username:
        return by_username[0]
    named = [person for person in called if person.name == text]
    if len(named) == 1:
        return named[0]
    if not named:
        raise NotPermitted("actor_unknown", actor=text)
    raise NotPermitted("actor_ambiguous", actor=text, usernames=[p.username for p in named])


def actor_of(person: Person) -> Actor:
    """`person` as an actor holding no party yet."""
    return Actor(person.username, person.name, person.id)


def is_staff(uow: UnitOfWork, person: Person, role: StaffRole, society_id: int | None = None) -> bool:
    """Whether `person` holds `role` for the society (`society_id`) or, with None, for the federation."""
    assert person.id is not None
    return uow.directory.holds_role(person.id, role.value, society_id)


def sits_on(uow: UnitOfWork, person: Person, body: Body, on: date) -> bool:
    """Whether `person` holds a seat on `body` whose term covers `on`."""
    assert person.id is not None
    return any(seat.body == body.value and seat.holds_on(on) for seat in uow.directory.seats_of(person.id))


def case_parties(
    uow: UnitOfWork, person: Person, context: CaseContext, today: date, wanted: Collection[Party] | None = None
) -> set[Party]:
    """The parties `person` holds for this case today; with `wanted`, only those are looked up."""
    case = context.case
    assert case.id is not None and person.id is not None
    if person.id == case.person_id:
        return {Party.APPLICANT}
    checks: dict[Party, Callable[[], bool]] = {
        Party.WORKGROUP: lambda: is_staff(uow, person, StaffRole.WORKGROUP, case.society_id),
        Party.SECRETARIAT: lambda: is_staff(uow, person, StaffRole.SECRETARIAT),
        Party.COMMITTEE: lambda: sits_on(uow, person, Body.REVIEW_COMMITTEE, today),
        Party.IMPARTIALITY_COMMITTEE: lambda: sits_on(uow, person, Body.IMPARTIALITY_COMMITTEE, today),
        Party.EXAMINERS: lambda: _assigned_examiner(uow, person, context),
        Party.INTERVIEW_PANEL: lambda: _on_interview_panel(uow, person, context),
    }
    return {party for party, holds in checks.items() if (wanted is None or party in wanted) and holds()}


def _examiner_ids(uow: UnitOfWork, person: Person, context: CaseContext) -> set[int | None]:
    case = context.case
    return {e.id for e in uow.directory.examiners(case.society_id, case.field_code) if e.person_id == person.id}


def _assigned_examiner(uow: UnitOfWork, person: Person, context: CaseContext) -> bool:
    examiner_ids = _examiner_ids(uow, person, context)
    if not examiner_ids:
        return False
    tasks = uow.review.tasks_of_case(context.case.id or 0)
    return any(t.examiner_id in examiner_ids and TaskState(t.state) in ASSIGNED_TASK_STATES for t in tasks)


def _on_interview_panel(uow: UnitOfWork, person: Person, context: CaseContext) -> bool:
    examiner_ids = _examiner_ids(uow, person, context)
    if not examiner_ids:
        return False
    panels = (uow.review.panel(interview.id or 0) for interview in uow.review.interviews_of_case(context.case.id or 0))
    return any(panelist.examiner_id in examiner_ids for panel in panels for panelist in panel)


def case_actor(
    uow: UnitOfWork, who: str | Sweep, context: CaseContext, today: date, wanted: Collection[Party] | None = None
) -> Actor:
    """The actor `who` is on this case: a sweep holds the system; a person the parties of `case_parties`
    (only the `wanted` ones looked up, when the caller knows which parties the step needs)."""
    if isinstance(who, Sweep):
        return Actor.sweep(who)
    person = person_acting(uow, who)
    return actor_of(person).holding(case_parties(uow, person, context, today, wanted))


def society_staff(uow: UnitOfWork, person: Person, society_id: int) -> bool:
    """Whether `person` is staff of the society: on its workgroup, or its administrator (CPD-2024 art. 12)."""
    return any(
        is_staff(uow, person, role, society_id) for role in (StaffRole.WORKGROUP, StaffRole.SOCIETY_ADMINISTRATOR)
    )


def society_actor(uow: UnitOfWork, who: str, society_id: int) -> Actor:
    """The person `who` names, holding `society_staff` when staff of the society."""
    person = person_acting(uow, who)
    holds = {CertificateParty.SOCIETY_STAFF} if society_staff(uow, person, society_id) else set()
    return actor_of(person).holding(holds)


def certificate_parties(uow: UnitOfWork, person: Person, certificate: Certificate) -> set[CertificateParty]:
    """The parties `person` holds for this certificate: its holder holds `holder` only; the workgroup of its
    society holds `society` and `society_staff`; the society's administrator `society_staff`."""
    if person.id == certificate.person_id:
        return {CertificateParty.HOLDER}
    parties: set[CertificateParty] = set()
    if is_staff(uow, person, StaffRole.WORKGROUP, certificate.society_id):
        parties.add(CertificateParty.SOCIETY)
    if society_staff(uow, person, certificate.society_id):
        parties.add(CertificateParty.SOCIETY_STAFF)
    return parties


def certificate_actor(uow: UnitOfWork, who: str | Sweep, certificate: Certificate) -> Actor:
    """The actor `who` is on this certificate: a sweep holds the system; a person the parties of
    `certificate_parties`."""
    if isinstance(who, Sweep):
        return Actor.sweep(who)
    person = person_acting(uow, who)
    return actor_of(person).holding(certificate_parties(uow, person, certificate))
