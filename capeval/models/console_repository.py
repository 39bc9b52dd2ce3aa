"""Reads of the web console that no other repository makes: one's own cases and certificates, accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from .accounts import WebAccount
from .cases import Application, StageHistory
from .directory import CommitteeSeat, Examiner, Person, Society, StaffAssignment
from .registry import Certificate
from .tables import table_of

_PERSON = table_of(Person)
_ASSIGNMENT = table_of(StaffAssignment)
_SOCIETY = table_of(Society)
_SEAT = table_of(CommitteeSeat)
_PERSON_ID = sa.bindparam("person_id", type_=sa.Integer)
_TODAY = sa.bindparam("today", type_=sa.Date)
_VIEWER = (
    sa.select(
        _PERSON.c.id,
        _PERSON.c.username,
        _PERSON.c.name,
        sa.exists().where(table_of(Examiner).c.person_id == _PERSON_ID).label("examiner"),
        sa.exists()
        .where(
            _SEAT.c.person_id == _PERSON_ID,
            _SEAT.c.body == sa.bindparam("body"),
            _SEAT.c.starts_on <= _TODAY,
            sa.or_(_SEAT.c.ends_on.is_(None), _SEAT.c.ends_on >= _TODAY),
        )
        .label("committee"),
        sa.exists().where(table_of(Application).c.person_id == _PERSON_ID).label("applicant"),
        sa.exists().where(table_of(Certificate).c.person_id == _PERSON_ID).label("holder"),
        _ASSIGNMENT.c.role,
        _ASSIGNMENT.c.society_id,
        _SOCIETY.c.code.label("society"),
    )
    .select_from(_PERSON)
    .outerjoin(_ASSIGNMENT, _ASSIGNMENT.c.person_id == _PERSON.c.id)
    .outerjoin(_SOCIETY, _SOCIETY.c.id == _ASSIGNMENT.c.society_id)
    .where(_PERSON.c.id == _PERSON_ID)
    .order_by(_ASSIGNMENT.c.id)
)


class ViewerRole(NamedTuple):
    """One line of a person's roles: who they are, what they hold beyond staff roles, and one staff
    assignment (None when they have none) with its society's code (None for the federation)."""

    person_id: int
    username: str
    name: str
    examiner: bool
    committee: bool
    applicant: bool
    holder: bool
    role: str | None
    society_id: int | None
    society: str | None


def viewer_roles(connection: sa.Connection, person_id: int, committee_body: str, today: date) -> list[ViewerRole]:
    """Everything the console's menus check about a person, in one statement: one line per staff assignment
    (one line with no role when there is none), none when the person does not exist. `committee` says
    whether a seat on `committee_body` covers `today`."""
    values = {"person_id": person_id, "body": committee_body, "today": today}
    return [ViewerRole(*row) for row in connection.execute(_VIEWER, values)]


class ConsoleRepository:
    """Paged reads for the console's pages; never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def cases_of_person(self, person_id: int) -> Sequence[Application]:
        """The applications a person made, newest first."""
        query = select(Application).where(Application.person_id == person_id).order_by(col(Application.id).desc())
        return self.session.exec(query).all()

    def people_without_account(self) -> Sequence[Person]:
        """Everyone who has no console password yet."""
        query = select(Person).where(col(Person.id).not_in(select(WebAccount.person_id))).order_by(col(Person.id))
        return self.session.exec(query).all()

    def certificates_of_person(self, person_id: int) -> Sequence[tuple[Certificate, Society]]:
        """A person's certificates, newest first, with their societies."""
        query = (
            select(Certificate, Society)
            .join(Society, col(Society.id) == col(Certificate.society_id))
            .where(Certificate.person_id == person_id)
            .order_by(col(Certificate.issued_on).desc(), col(Certificate.id).desc())
        )
        return [(c, s) for c, s in self.session.exec(query).all()]

    def entered_stage_at(self, case_ids: Sequence[int]) -> dict[int, datetime]:
        """When each case last changed stage (its newest history line)."""
        if not case_ids:
            return {}
        query = (
            select(StageHistory.application_id, func.max(StageHistory.at))
            .where(col(StageHistory.application_id).in_(list(case_ids)))
            .group_by(col(StageHistory.application_id))
        )
        return {int(case_id): moment for case_id, moment in self.session.exec(query).all() if moment is not None}
