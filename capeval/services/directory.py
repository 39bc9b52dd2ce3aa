"""Load a directory file: a society (its authorized fields, workgroup, staff, examiners and members) and
the federation's staff and committees with their rosters and terms.

Loading is an upsert: running the same file twice changes nothing; people are matched by ID number, or
named by `username` alone when they are already known. A file with no `[society]` table declares only
federation staff and committees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from capeval.models import CommitteeSeat, Examiner, Person, Society, SocietyField, SocietyMembership, StaffAssignment
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import SOCIETY_ROLES, StaffRole
from capeval.states.errors import InputError
from capeval.states.governance import Body
from capeval.states.identity import id_number_digest, mask_id_number
from capeval.states.levels import Level
from capeval.states.usernames import checked_username, free_username, username_base

from .batches import load_batches
from .documents import Fields
from .identity_key import id_key
from .runtime import Runtime
from .work_experience import set_rule

MEMBERSHIP_STATUSES = ("active", "pending")
SEAT_POSITIONS = ("chair", "vice_chair", "member")


@dataclass(frozen=True)
class DirectoryReport:
    """How many records a load touched."""

    society: str
    authorizations: int
    workgroup: int
    examiners: int
    members: int
    staff: int = 0
    seats: int = 0
    batches: int = 0


def load_directory(runtime: Runtime, document: dict[str, Any], *, origin: str) -> DirectoryReport:
    """Store (or update) what `document` describes; everything or nothing is written."""
    root = Fields(document, origin)
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        key = id_key(runtime, uow)
        society = _society(uow, root.section("society")) if "society" in root.data else None
        society_id = society.id if society is not None else None
        society_parts = ("authorization", "experience", "batch", "workgroup", "examiner", "member")
        if society_id is None and any(key in root.data for key in society_parts):
            raise InputError("directory_society_missing", where=origin)
        authorizations = root.items("authorization")
        for item in authorizations:
            assert society_id is not None
            _authorize(uow, society_id, item, today)
        experience = root.items("experience")
        for item in experience:
            assert society_id is not None
            _experience_rule(uow, society_id, item)
        declared = root.items("batch")
        if declared:
            assert society_id is not None
            load_batches(uow, society_id, declared, f"society load {Path(origin).name}", now)
        workgroup = root.items("workgroup")
        for item in workgroup:
            _assign(uow, person_for(uow, item, now, key), StaffRole.WORKGROUP, society_id)
        staff = root.items("staff")
        for item in staff:
            role = _role(item)
            if role in SOCIETY_ROLES and society_id is None:
                raise InputError("directory_role_needs_society", where=item.where, role=role.value)
            _assign(uow, person_for(uow, item, now, key), role, society_id if role in SOCIETY_ROLES else None)
        examiners = root.items("examiner")
        for item in examiners:
            assert society_id is not None
            _examiner(uow, society_id, item, now, key)
        members = root.items("member")
        for item in members:
            assert society_id is not None
            _member(uow, society_id, item, now, today, key)
        seats = sum(_committee(uow, item, now, today, key) for item in root.items("committee"))
        uow.commit()
        return DirectoryReport(
            society.code if society is not None else "federation",
            len(authorizations),
            len(workgroup),
            len(examiners),
            len(members),
            len(staff),
            seats,
            len(declared),
        )


def _society(uow: UnitOfWork, fields: Fields) -> Society:
    code = fields.text("code")
    society = uow.directory.society_by_code(code)
    if society is None:
        society = Society(code=code, name_zh=fields.text("name_zh"))
        uow.directory.add(society)
    society.name_zh = fields.text("name_zh")
    # a file that leaves out the English name or the email keeps the ones the directory has
    society.name_en = fields.text("name_en", society.name_en or "", allow_empty=True)
    society.email = fields.email("email", society.email or "")
    uow.flush()
    return society


def _known_field(uow: UnitOfWork, fields: Fields, key: str = "field") -> str:
    code = fields.text(key)
    if uow.directory.field(code) is None:
        known = [f.code for f in uow.directory.fields()]
        raise InputError("directory_field_unknown", where=fields.where, key=key, code=code, known=known)
    return code


def _authorize(uow: UnitOfWork, society_id: int, fields: Fields, today: date) -> None:
    code = _known_field(uow, fields)
    authorized_on = fields.day("authorized_on", today)
    withdrawn_on = fields.day("withdrawn_on") if "withdrawn_on" in fields.data else None
    row = uow.directory.authorization(society_id, code)
    if row is None:
        row = SocietyField(society_id=society_id, field_code=code, authorized_on=authorized_on)
        uow.directory.add(row)
    row.authorized_on, row.withdrawn_on = authorized_on, withdrawn_on


def _experience_rule(uow: UnitOfWork, society_id: int, fields: Fields) -> None:
    code = _known_field(uow, fields)
    uow.flush()
    row = uow.directory.authorization(society_id, code)
    if row is None:
        raise InputError("experience_field_not_authorized", where=fields.where, field=code)
    set_rule(row, fields)


def person_for(uow: UnitOfWork, fields: Fields, now: datetime, key: bytes) -> Person:
    """The person an entry names: matched (or recorded) by ID number, or an already known username alone."""
    if "id_number" not in fields.data and "username" in fields.data:
        username = fields.text("username")
        known = uow.directory.person_by_username(username)
        if known is None:
            raise InputError("directory_username_unknown", where=fields.where, username=username)
        return known
    try:
        digest = id_number_digest(fields.text("id_number"), key)
    except InputError as error:
        raise InputError("directory_person_invalid", where=fields.where, problem=error.problem) from None
    person = uow.directory.person_by_digest(digest)
    email = fields.email()
    if person is None:
        person = Person(
            username=new_username(uow, email, fields.optional_text("username"), fields.where),
            name=fields.name(),
            id_number_digest=digest,
            id_number_masked=mask_id_number(fields.text("id_number")),
            email=email,
            created_at=now,
        )
        uow.directory.add(person)
    elif "username" in fields.data and fields.text("username") != person.username:
        person.username = new_username(uow, email, fields.text("username"), fields.where)
    person.name = fields.name()
    person.email = email
    person.language = fields.text("language", person.language or "zh-CN")
    person.employer = fields.text("employer", person.employer or "", allow_empty=True)
    uow.flush()
    return person


def new_username(uow: UnitOfWork, email: str, requested: str | None, where: str) -> str:
    """The `requested` username if valid and free, else (none requested) one derived from the email."""
    if requested is not None:
        username = checked_username(requested, where)
        holder = uow.directory.person_by_username(username)
        if holder is not None:
            raise InputError("directory_username_taken", where=where, username=username, holder=holder.name)
        return username
    base = username_base(email, "person")
    return free_username(base, uow.directory.usernames_like(base))


def _role(fields: Fields) -> StaffRole:
    text = fields.text("role")
    try:
        return StaffRole(text)
    except ValueError:
        choices = [role.value for role in StaffRole]
        raise InputError("directory_role_unknown", where=fields.where, role=text, choices=choices) from None


def _assign(uow: UnitOfWork, person: Person, role: StaffRole, society_id: int | None) -> None:
    assert person.id is not None
    if uow.directory.assignment(person.id, role.value, society_id) is None:
        uow.directory.add(StaffAssignment(person_id=person.id, role=role.value, society_id=society_id))


def _examiner(uow: UnitOfWork, society_id: int, fields: Fields, now: datetime, key: bytes) -> None:
    person = person_for(uow, fields, now, key)
    assert person.id is not None
    code = _known_field(uow, fields)
    level = fields.choice("level", Level, Level.SENIOR.value)
    if not any(e.person_id == person.id for e in uow.directory.examiners(society_id, code)):
        uow.directory.add(Examiner(person_id=person.id, society_id=society_id, field_code=code, level=level.value))


def _member(uow: UnitOfWork, society_id: int, fields: Fields, now: datetime, today: date, key: bytes) -> None:
    person = person_for(uow, fields, now, key)
    assert person.id is not None
    status = fields.text("status", "active")
    if status not in MEMBERSHIP_STATUSES:
        raise InputError(
            "directory_status_unknown", where=fields.where, status=status, choices=list(MEMBERSHIP_STATUSES)
        )
    membership = uow.directory.membership(person.id, society_id)
    if membership is None:
        membership = SocietyMembership(person_id=person.id, society_id=society_id, since=fields.day("since", today))
        uow.directory.add(membership)
    membership.status = status
    membership.member_number = fields.text("member_number", membership.member_number, allow_empty=True)


def body_of(text: str, where: str) -> Body:
    """`text` as a federation body, or an InputError listing the bodies."""
    try:
        return Body(text)
    except ValueError:
        raise InputError("directory_body_unknown", where=where, body=text, choices=[b.value for b in Body]) from None


def _committee(uow: UnitOfWork, fields: Fields, now: datetime, today: date, key: bytes) -> int:
    body = body_of(fields.text("body"), fields.where)
    members = fields.items("member")
    for item in members:
        person = person_for(uow, item, now, key)
        assert person.id is not None
        starts_on = item.day("from", today)
        ends_on = item.day("until") if "until" in item.data else None
        position = item.text("position", "member")
        if position not in SEAT_POSITIONS:
            raise InputError(
                "directory_position_unknown", where=item.where, position=position, choices=list(SEAT_POSITIONS)
            )
        if ends_on is not None and ends_on < starts_on:
            raise InputError("directory_term_reversed", where=item.where, starts_on=starts_on, ends_on=ends_on)
        seat_term(uow, body, person, starts_on, ends_on, position)
    return len(members)


def seat_term(
    uow: UnitOfWork, body: Body, person: Person, starts_on: date, ends_on: date | None, position: str = "member"
) -> CommitteeSeat:
    """Seat `person` on `body` from `starts_on` (until `ends_on`); the same term loaded again is updated."""
    assert person.id is not None
    seat = next(
        (s for s in uow.directory.seats_of(person.id) if s.body == body.value and s.starts_on == starts_on), None
    )
    if seat is None:
        seat = CommitteeSeat(body=body.value, person_id=person.id, starts_on=starts_on)
        uow.directory.add(seat)
    seat.ends_on, seat.position = ends_on, position
    return seat
