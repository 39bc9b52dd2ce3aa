"""Load a society's directory (the society, its authorized fields, workgroup, examiners and members).

Loading is an upsert: running the same file twice changes nothing; people are matched by ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from capeval.models import Examiner, Person, Society, SocietyField, SocietyMembership, WorkgroupMember
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.errors import InputError
from capeval.states.identity import id_number_digest, mask_id_number
from capeval.states.levels import Level

from .documents import Fields
from .identity_key import id_key
from .runtime import Runtime

MEMBERSHIP_STATUSES = ("active", "pending")


@dataclass(frozen=True)
class DirectoryReport:
    """How many records a load touched."""

    society: str
    authorizations: int
    workgroup: int
    examiners: int
    members: int


def load_directory(runtime: Runtime, document: dict[str, Any], *, origin: str) -> DirectoryReport:
    """Store (or update) the society described by `document`; everything or nothing is written."""
    root = Fields(document, origin)
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        key = id_key(runtime, uow)
        society = _society(uow, root.section("society"))
        assert society.id is not None
        authorizations = root.items("authorization")
        for item in authorizations:
            _authorize(uow, society.id, item, today)
        workgroup = root.items("workgroup")
        for item in workgroup:
            person = _person(uow, item, now, key)
            assert person.id is not None
            if not any(p.id == person.id for p in uow.directory.workgroup(society.id)):
                uow.directory.add(WorkgroupMember(person_id=person.id, society_id=society.id))
        examiners = root.items("examiner")
        for item in examiners:
            _examiner(uow, society.id, item, now, key)
        members = root.items("member")
        for item in members:
            _member(uow, society.id, item, now, today, key)
        uow.commit()
        return DirectoryReport(society.code, len(authorizations), len(workgroup), len(examiners), len(members))


def _society(uow: UnitOfWork, fields: Fields) -> Society:
    code = fields.text("code")
    society = uow.directory.society_by_code(code)
    if society is None:
        society = Society(code=code, name_zh=fields.text("name_zh"))
        uow.directory.add(society)
    society.name_zh = fields.text("name_zh")
    society.name_en = fields.text("name_en", "", allow_empty=True)
    society.email = fields.text("email", "", allow_empty=True)
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


def _person(uow: UnitOfWork, fields: Fields, now: datetime, key: bytes) -> Person:
    try:
        digest = id_number_digest(fields.text("id_number"), key)
    except InputError as error:
        raise InputError("directory_person_invalid", where=fields.where, problem=error.problem) from None
    person = uow.directory.person_by_digest(digest)
    if person is None:
        person = Person(
            name=fields.text("name"),
            id_number_digest=digest,
            id_number_masked=mask_id_number(fields.text("id_number")),
            email=fields.text("email"),
            created_at=now,
        )
        uow.directory.add(person)
    person.name = fields.text("name")
    person.email = fields.text("email")
    person.language = fields.text("language", person.language or "zh-CN")
    person.employer = fields.text("employer", person.employer or "", allow_empty=True)
    uow.flush()
    return person


def _examiner(uow: UnitOfWork, society_id: int, fields: Fields, now: datetime, key: bytes) -> None:
    person = _person(uow, fields, now, key)
    assert person.id is not None
    code = _known_field(uow, fields)
    level = fields.choice("level", Level, Level.SENIOR.value)
    if not any(e.person_id == person.id for e in uow.directory.examiners(society_id, code)):
        uow.directory.add(Examiner(person_id=person.id, society_id=society_id, field_code=code, level=level.value))


def _member(uow: UnitOfWork, society_id: int, fields: Fields, now: datetime, today: date, key: bytes) -> None:
    person = _person(uow, fields, now, key)
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
