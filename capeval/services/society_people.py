"""The people of a society with their roles there: its staff (workgroup, administrator), its examiners with
their fields and levels, and its members with their status; paged by person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from capeval.states.errors import InputError, NotFoundError

from .runtime import Runtime

MAX_PAGE = 200
"""The most people one page lists."""


@dataclass(frozen=True)
class ExaminerField:
    """A field a person examines in for the society, at a level; `active` False once stood down."""

    field: str
    level: str
    active: bool


@dataclass(frozen=True)
class SocietyPerson:
    """One person of a society and what they are there (no ID number, no contact details)."""

    person_id: int
    username: str
    name: str
    staff_roles: tuple[str, ...]
    examiner_fields: tuple[ExaminerField, ...]
    membership: str | None
    """The membership status (active, pending, ...), or None when not a member."""


@dataclass(frozen=True)
class PeoplePage:
    """One page of a society's people; `next_after` is the `after` of the next page (None: the last)."""

    society: str
    rows: list[SocietyPerson]
    next_after: int | None


def society_people(runtime: Runtime, society_code: str, limit: int = 50, after: int = 0) -> PeoplePage:
    """The people holding any role in the society, by person id after `after`, at most `limit` (1 to 200)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError("society_people_limit_out_of_range", limit=limit, maximum=MAX_PAGE)
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code.strip())
        if society is None or society.id is None:
            known = [s.code for s in uow.directory.societies()]
            raise NotFoundError("register_society_unknown", society=society_code, known=known)
        found = list(uow.public_register.people_of_society(society.id, limit + 1, after))
        people = found[:limit]
        ids = [person.id for person in people if person.id is not None]
        staff, examiners, members = uow.public_register.roles_in_society(society.id, ids)
        roles: dict[int, list[str]] = defaultdict(list)
        for assignment in staff:
            roles[assignment.person_id].append(assignment.role)
        fields: dict[int, list[ExaminerField]] = defaultdict(list)
        for examiner in examiners:
            fields[examiner.person_id].append(ExaminerField(examiner.field_code, examiner.level, examiner.active))
        membership = {member.person_id: member.status for member in members}
        rows = [
            SocietyPerson(
                person.id or 0,
                person.username,
                person.name,
                tuple(roles[person.id or 0]),
                tuple(fields[person.id or 0]),
                membership.get(person.id or 0),
            )
            for person in people
        ]
    more = len(found) > limit
    return PeoplePage(society.code, rows, rows[-1].person_id if more and rows else None)
