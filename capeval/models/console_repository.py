"""Reads of the web console that no other repository makes: one's own cases and certificates, accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from .accounts import WebAccount, WebSession
from .cases import Application
from .directory import CommitteeSeat, Examiner, Person, Society, StaffAssignment
from .registry import Certificate
from .tables import table_of

_PERSON = table_of(Person)
_ASSIGNMENT = table_of(StaffAssignment)
_SOCIETY = table_of(Society)
_SEAT = table_of(CommitteeSeat)
_SESSION = table_of(WebSession)
_PERSON_ID = sa.bindparam("person_id", type_=sa.Integer)
_TODAY = sa.bindparam("today", type_=sa.Date)


def _roles_of(person_id: Any) -> list[Any]:
    """The columns of a person's roles, for the person whose id is `person_id` (a parameter or a column)."""
    return [
        _PERSON.c.id,
        _PERSON.c.username,
        _PERSON.c.name,
        sa.exists().where(table_of(Examiner).c.person_id == person_id).label("examiner"),
        sa.exists()
        .where(
            _SEAT.c.person_id == person_id,
            _SEAT.c.body == sa.bindparam("body"),
            _SEAT.c.starts_on <= _TODAY,
            sa.or_(_SEAT.c.ends_on.is_(None), _SEAT.c.ends_on >= _TODAY),
        )
        .label("committee"),
        sa.exists().where(table_of(Application).c.person_id == person_id).label("applicant"),
        sa.exists().where(table_of(Certificate).c.person_id == person_id).label("holder"),
        _ASSIGNMENT.c.role,
        _ASSIGNMENT.c.society_id,
        _SOCIETY.c.code.label("society"),
    ]


def _with_assignments(query: sa.Select[Any]) -> sa.Select[Any]:
    return (
        query.outerjoin(_ASSIGNMENT, _ASSIGNMENT.c.person_id == _PERSON.c.id)
        .outerjoin(_SOCIETY, _SOCIETY.c.id == _ASSIGNMENT.c.society_id)
        .order_by(_ASSIGNMENT.c.id)
    )


_VIEWER = _with_assignments(sa.select(*_roles_of(_PERSON_ID)).select_from(_PERSON).where(_PERSON.c.id == _PERSON_ID))
_SESSION_VIEWER = _with_assignments(
    sa.select(
        _SESSION.c.id.label("session_id"),
        _SESSION.c.csrf_token,
        _SESSION.c.last_seen_at,
        _SESSION.c.expires_at,
        _SESSION.c.ended_at,
        _PERSON.c.language,
        *_roles_of(_PERSON.c.id),
    )
    .select_from(_SESSION)
    .join(_PERSON, _PERSON.c.id == _SESSION.c.person_id)
    .where(_SESSION.c.token_digest == sa.bindparam("digest", type_=sa.String))
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


class SessionViewer(NamedTuple):
    """A console session and the roles of its person: the session's own columns and their roles' lines."""

    session_id: int
    csrf_token: str
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    language: str
    roles: list[ViewerRole]


def viewer_roles(connection: sa.Connection, person_id: int, committee_body: str, today: date) -> list[ViewerRole]:
    """Everything the console's menus check about a person, in one statement: one line per staff assignment
    (one line with no role when there is none), none when the person does not exist. `committee` says
    whether a seat on `committee_body` covers `today`."""
    values = {"person_id": person_id, "body": committee_body, "today": today}
    return [ViewerRole(*row) for row in connection.execute(_VIEWER, values)]


def session_viewer(connection: sa.Connection, digest: str, committee_body: str, today: date) -> SessionViewer | None:
    """The session whose token has `digest` with its person's roles (as `viewer_roles` reads them), in one
    statement; None when there is no such session."""
    values = {"digest": digest, "body": committee_body, "today": today}
    rows = connection.execute(_SESSION_VIEWER, values).all()
    if not rows:
        return None
    first = rows[0]
    session_id, csrf_token, last_seen_at, expires_at, ended_at, language = first[:6]
    roles = [ViewerRole(*row[6:]) for row in rows]
    return SessionViewer(session_id, csrf_token, last_seen_at, expires_at, ended_at, language, roles)


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
