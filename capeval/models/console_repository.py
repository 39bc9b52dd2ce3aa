"""Reads of the web console that no other repository makes: one's own cases and certificates, accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from .accounts import WebAccount
from .cases import Application, StageHistory
from .directory import Person, Society
from .registry import Certificate


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
