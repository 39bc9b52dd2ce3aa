"""Change who holds which role: staff roles and committee seats, by an administrator, with a record.

A federation administrator may grant or withdraw any role and seat or unseat anyone on a federation body;
a society's administrator may grant or withdraw the roles held for that society. Everyone else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from capeval.models import Person, StaffAssignment
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import SOCIETY_ROLES, StaffRole, require
from capeval.states.errors import DomainError, InputError, NotFoundError
from capeval.states.governance import Body

from .authority import actor_of, is_staff, person_acting
from .directory import SEAT_POSITIONS, body_of, seat_term
from .runtime import Runtime

ADMINISTRATION = "administration"
"""The party that changes the directory (held by administrators)."""


@dataclass(frozen=True)
class RoleLine:
    """One role a person holds: a staff role (for a society or the federation) or a seat on a body."""

    username: str
    name: str
    role: str
    society: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    position: str | None = None


def _society_id(uow: UnitOfWork, role: StaffRole, code: str | None) -> int | None:
    if role not in SOCIETY_ROLES:
        if code is not None:
            raise InputError("roles_society_not_for_role", role=role.value)
        return None
    if code is None:
        raise InputError("roles_society_needed", role=role.value)
    society = uow.directory.society_by_code(code)
    if society is None or society.id is None:
        raise NotFoundError("lookup_society_missing", code=code)
    return society.id


def _administer(uow: UnitOfWork, who: str, society_id: int | None, action: str) -> Person:
    person = person_acting(uow, who)
    allowed = is_staff(uow, person, StaffRole.ADMINISTRATOR) or (
        society_id is not None and is_staff(uow, person, StaffRole.SOCIETY_ADMINISTRATOR, society_id)
    )
    require(actor_of(person).holding({ADMINISTRATION} if allowed else set()), ADMINISTRATION, action)
    return person


def staff_role(text: str) -> StaffRole:
    """`text` as a staff role, or an InputError listing them."""
    try:
        return StaffRole(text)
    except ValueError:
        raise InputError("roles_role_unknown", role=text, choices=[r.value for r in StaffRole]) from None


def grant_role(runtime: Runtime, username: str, role: StaffRole, society: str | None, actor: str) -> RoleLine:
    """Give `username` the staff `role` (for `society` when it is a society role)."""
    with runtime.unit_of_work() as uow:
        society_id = _society_id(uow, role, society)
        _administer(uow, actor, society_id, "grant")
        person = person_acting(uow, username)
        assert person.id is not None
        if uow.directory.assignment(person.id, role.value, society_id) is None:
            uow.directory.add(StaffAssignment(person_id=person.id, role=role.value, society_id=society_id))
        uow.commit()
        return RoleLine(person.username, person.name, role.value, society)


def withdraw_role(runtime: Runtime, username: str, role: StaffRole, society: str | None, actor: str) -> RoleLine:
    """Take the staff `role` from `username`; refused when they do not hold it."""
    with runtime.unit_of_work() as uow:
        society_id = _society_id(uow, role, society)
        _administer(uow, actor, society_id, "withdraw")
        person = person_acting(uow, username)
        assert person.id is not None
        assignment = uow.directory.assignment(person.id, role.value, society_id)
        if assignment is None:
            raise DomainError("roles_not_held", username=person.username, role=role.value)
        uow.directory.withdraw(assignment)
        uow.commit()
        return RoleLine(person.username, person.name, role.value, society)


def seat(
    runtime: Runtime, body: str, username: str, starts_on: date, ends_on: date | None, position: str, actor: str
) -> RoleLine:
    """Seat `username` on a federation body for a term."""
    chosen = body_of(body, "body")
    if position not in SEAT_POSITIONS:
        raise InputError(
            "directory_position_unknown", where="position", position=position, choices=list(SEAT_POSITIONS)
        )
    if ends_on is not None and ends_on < starts_on:
        raise InputError("directory_term_reversed", where="term", starts_on=starts_on, ends_on=ends_on)
    with runtime.unit_of_work() as uow:
        _administer(uow, actor, None, "seat")
        person = person_acting(uow, username)
        row = seat_term(uow, chosen, person, starts_on, ends_on, position)
        uow.commit()
        return RoleLine(person.username, person.name, chosen.value, None, row.starts_on, row.ends_on, row.position)


def end_term(runtime: Runtime, body: str, username: str, on: date, actor: str) -> RoleLine:
    """End `username`'s current term on a body on `on` (the last day they sit)."""
    chosen = body_of(body, "body")
    with runtime.unit_of_work() as uow:
        _administer(uow, actor, None, "end_term")
        person = person_acting(uow, username)
        assert person.id is not None
        current = [s for s in uow.directory.seats_of(person.id) if s.body == chosen.value and s.holds_on(on)]
        if not current:
            raise DomainError("roles_not_seated", username=person.username, body=chosen.value, on=on)
        row = current[-1]
        if on < row.starts_on:
            raise InputError("directory_term_reversed", where="term", starts_on=row.starts_on, ends_on=on)
        row.ends_on = on
        uow.commit()
        return RoleLine(person.username, person.name, chosen.value, None, row.starts_on, row.ends_on, row.position)


def roster(runtime: Runtime, body: str, on: date | None = None) -> list[RoleLine]:
    """The members of a body whose term covers `on` (today by default)."""
    chosen: Body = body_of(body, "body")
    day = on or runtime.today()
    with runtime.unit_of_work() as uow:
        return [
            RoleLine(person.username, person.name, chosen.value, None, row.starts_on, row.ends_on, row.position)
            for row, person in uow.directory.seats(chosen.value)
            if row.holds_on(day)
        ]


def roles_of(runtime: Runtime, who: str) -> list[RoleLine]:
    """Every staff role and seat (past and present) of the person `who` names."""
    with runtime.unit_of_work() as uow:
        person = person_acting(uow, who)
        assert person.id is not None
        lines = []
        for assignment in uow.directory.assignments(person.id):
            society = uow.directory.society(assignment.society_id) if assignment.society_id is not None else None
            lines.append(RoleLine(person.username, person.name, assignment.role, society.code if society else None))
        for row in uow.directory.seats_of(person.id):
            lines.append(
                RoleLine(person.username, person.name, row.body, None, row.starts_on, row.ends_on, row.position)
            )
        return lines
