"""Human references of cases (`DES-2026-0004`): one row per case, unique per society, year and sequence."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from capeval.states.references import case_reference


class CaseReference(SQLModel, table=True):
    """The reference a case is known by in emails, the console and the CLI; it never changes."""

    __tablename__ = "case_reference"
    __table_args__ = (sa.UniqueConstraint("society_id", "year", "sequence"),)

    application_id: int = Field(primary_key=True, foreign_key="application.id")
    society_id: int = Field(foreign_key="society.id")
    year: int
    sequence: int
    reference: str = Field(max_length=60, unique=True)


class ReferenceRepository:
    """Assign and look up case references (never commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def assign(self, application_id: int, society_id: int, society_code: str, year: int) -> str:
        """Give a new case the next reference of its society and year.

        The society's row is locked first (`FOR NO KEY UPDATE` on PostgreSQL; SQLite serializes writers), so
        two cases opened at once in one society take consecutive sequences."""
        from .directory import Society

        # FOR NO KEY UPDATE: serializes the assigners without clashing with the key-share lock the new
        # case's foreign key already holds on the society row (FOR UPDATE would deadlock against it)
        self.session.exec(select(Society.id).where(Society.id == society_id).with_for_update(key_share=True)).first()
        last = self.session.exec(
            select(sa.func.max(CaseReference.sequence)).where(
                CaseReference.society_id == society_id, CaseReference.year == year
            )
        ).one()
        sequence = int(last or 0) + 1
        reference = case_reference(society_code, year, sequence)
        self.session.add(
            CaseReference(
                application_id=application_id, society_id=society_id, year=year, sequence=sequence, reference=reference
            )
        )
        return reference

    def case_id(self, reference: str) -> int | None:
        """The case a reference names (case-insensitive), or None."""
        found = self.session.exec(
            select(CaseReference.application_id).where(CaseReference.reference == reference.strip().upper())
        ).first()
        return int(found) if found is not None else None

    def of_cases(self, application_ids: Iterable[int]) -> dict[int, str]:
        """The reference of each of these cases that has one."""
        ids = sorted(set(application_ids))
        if not ids:
            return {}
        rows = self.session.exec(
            select(CaseReference.application_id, CaseReference.reference).where(
                col(CaseReference.application_id).in_(ids)
            )
        ).all()
        return {int(case_id): str(reference) for case_id, reference in rows}

    def senders(self, application_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """(society code, case reference) of each of these cases; the reference is "" if it has none."""
        from .cases import Application
        from .directory import Society

        ids = sorted(set(application_ids))
        if not ids:
            return {}
        query = (
            select(Application.id, Society.code, CaseReference.reference)
            .join(Society, col(Society.id) == col(Application.society_id))
            .join(CaseReference, col(CaseReference.application_id) == col(Application.id), isouter=True)
            .where(col(Application.id).in_(ids))
        )
        return {int(case_id or 0): (str(code), str(ref or "")) for case_id, code, ref in self.session.exec(query).all()}
