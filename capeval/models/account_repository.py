"""Accounts, sessions, API tokens and login attempts; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from .accounts import ApiToken, LoginAttempt, WebAccount, WebSession
from .directory import Person
from .tables import table_of

_SESSION = table_of(WebSession)
_NOTE_SEEN = (
    sa.update(_SESSION).where(_SESSION.c.id == sa.bindparam("session_id")).values(last_seen_at=sa.bindparam("seen_at"))
)


class AccountRepository:
    """The console's own records."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)

    def account(self, person_id: int) -> WebAccount | None:
        return self.session.get(WebAccount, person_id)

    def session_by_digest(self, digest: str) -> tuple[WebSession, Person] | None:
        query = (
            select(WebSession, Person)
            .join(Person, col(Person.id) == col(WebSession.person_id))
            .where(WebSession.token_digest == digest)
        )
        found = self.session.exec(query).first()
        return (found[0], found[1]) if found else None

    def note_seen(self, session_id: int, moment: datetime) -> None:
        """Set a session's last-seen time (one statement, no row loaded)."""
        self.session.execute(_NOTE_SEEN, {"session_id": session_id, "seen_at": moment})

    def open_sessions(self, person_id: int) -> Sequence[WebSession]:
        query = select(WebSession).where(WebSession.person_id == person_id, col(WebSession.ended_at).is_(None))
        return self.session.exec(query).all()

    def token_by_digest(self, digest: str) -> tuple[ApiToken, Person] | None:
        query = (
            select(ApiToken, Person)
            .join(Person, col(Person.id) == col(ApiToken.person_id))
            .where(ApiToken.token_digest == digest)
        )
        found = self.session.exec(query).first()
        return (found[0], found[1]) if found else None

    def failures_since(self, key: str, since: datetime) -> int:
        query = select(func.count()).where(LoginAttempt.throttle_key == key, col(LoginAttempt.at) >= since)
        return int(self.session.exec(query).one())

    def clear_failures(self, key: str) -> None:
        for row in self.session.exec(select(LoginAttempt).where(LoginAttempt.throttle_key == key)).all():
            self.session.delete(row)
