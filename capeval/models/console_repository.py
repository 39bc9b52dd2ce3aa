"""Reads of the web console that no other repository makes: the register by part of a name, one's own cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from .accounts import WebAccount
from .cases import Application, StageHistory
from .directory import Person, Society
from .registry import Certificate


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ConsoleRepository:
    """Paged reads for the console's pages; never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def register_by_name_part(
        self, name_part: str, society_code: str | None, field_code: str | None, limit: int, offset: int
    ) -> tuple[int, Sequence[tuple[Certificate, Person, Society]]]:
        """Certificates whose holder's name contains `name_part` (optionally of one society and field):
        how many there are, and the page asked for, by name then registration number."""
        conditions: list[sa.ColumnElement[bool]] = [col(Person.name).like(_like_pattern(name_part), escape="\\")]
        if society_code:
            conditions.append(col(Society.code) == society_code)
        if field_code:
            conditions.append(col(Certificate.field_code) == field_code)
        joined = (
            select(Certificate, Person, Society)
            .join(Person, col(Person.id) == col(Certificate.person_id))
            .join(Society, col(Society.id) == col(Certificate.society_id))
            .where(*conditions)
        )
        counted = (
            select(func.count())
            .select_from(Certificate)
            .join(Person, col(Person.id) == col(Certificate.person_id))
            .join(Society, col(Society.id) == col(Certificate.society_id))
            .where(*conditions)
        )
        total = int(self.session.exec(counted).one())
        page = joined.order_by(col(Person.name), col(Certificate.registration_number)).limit(limit).offset(offset)
        return total, [(c, p, s) for c, p, s in self.session.exec(page).all()]

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
