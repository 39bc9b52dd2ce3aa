"""Who is acting: resolve `--actor` to exactly one person, and the parties that person holds for a subject.

A person is named by username, or by name when exactly one person bears it. The parties held for a case
come from the directory (workgroup of its society, the secretariat, a seat on a committee on the day)
and from the case itself (its applicant, the examiners assigned to it, its interview panel). The
applicant of a case holds no other party on it: nobody decides their own case. Likewise the holder of a
certificate holds only `holder` on it; the workgroup of its society decides (`society`), and its workgroup
or administrator keep its CPD ledger (`society_staff`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from capeval.models import Certificate, Person
from capeval.models.case_standing import PersonOnCase, person_on_case
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
ASSIGNED_STATE_VALUES = frozenset(state.value for state in ASSIGNED_TASK_STATES)


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


STAFF_ROLE_OF: dict[Party, tuple[StaffRole, bool]] = {
    Party.WORKGROUP: (StaffRole.WORKGROUP, True),
    Party.SECRETARIAT: (StaffRole.SECRETARIAT, False),
}
"""The parties a staff role holds on a case: the role, and whether it is the case's society's (else the
federation's). `case_parties` asks only for these roles when only these parties are wanted."""


@dataclass(frozen=True)
class CaseStanding:
    """What a person is on a case today: the parties they hold, and whether they administer the case's
    society (which the reading check counts). The applicant holds `applicant` alone and administers nothing."""

    parties: frozenset[Party]
    society_administrator: bool = False


def standing_of(person_id: int, applicant_id: int, found: PersonOnCase | None) -> CaseStanding:
    """The standing the directory's facts (`found`, None when not read) give `person_id` on a case of
    `applicant_id`: workgroup of its society, the secretariat, a seat on either committee covering the day,
    an examiner of its society and field assigned to it or on one of its interview panels."""
    if person_id == applicant_id:
        return CaseStanding(frozenset({Party.APPLICANT}))
    if found is None:
        return CaseStanding(frozenset())
    holds = {
        Party.WORKGROUP: found.workgroup,
        Party.SECRETARIAT: found.secretariat,
        Party.COMMITTEE: found.review_committee,
        Party.IMPARTIALITY_COMMITTEE: found.impartiality_committee,
        Party.EXAMINERS: found.assigned_examiner,
        Party.INTERVIEW_PANEL: found.interview_panelist,
    }
    return CaseStanding(frozenset(party for party, held in holds.items() if held), found.society_administrator)


def case_standing(uow: UnitOfWork, person: Person, context: CaseContext, today: date) -> CaseStanding:
    """The standing of `person` on this case today, read in one statement (none for its applicant)."""
    case = context.case
    assert case.id is not None and person.id is not None
    if person.id == case.person_id:
        return standing_of(person.id, case.person_id, None)
    found = person_on_case(uow, person.id, case.id, case.society_id, case.field_code, today, ASSIGNED_STATE_VALUES)
    return standing_of(person.id, case.person_id, found)


def case_parties(
    uow: UnitOfWork, person: Person, context: CaseContext, today: date, wanted: Collection[Party] | None = None
) -> set[Party]:
    """The parties `person` holds for this case today; with `wanted`, only those (nothing is read when the
    applicant is all that is wanted)."""
    if person.id == context.case.person_id:
        return {Party.APPLICANT}
    if wanted is not None and all(party is Party.APPLICANT for party in wanted):
        return set()
    if wanted is not None and all(party in STAFF_ROLE_OF or party is Party.APPLICANT for party in wanted):
        return {party for party in wanted if party in STAFF_ROLE_OF and _holds_staff_party(uow, person, party, context)}
    held = case_standing(uow, person, context, today).parties
    return {party for party in held if wanted is None or party in wanted}


def _holds_staff_party(uow: UnitOfWork, person: Person, party: Party, context: CaseContext) -> bool:
    role, of_the_society = STAFF_ROLE_OF[party]
    return is_staff(uow, person, role, context.case.society_id if of_the_society else None)


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
