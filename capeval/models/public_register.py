"""Reads of the public register and of a society's people, paged by keyset (never the whole table at once)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from .directory import EngineeringField, Examiner, Person, Society, SocietyMembership, StaffAssignment
from .registry import Certificate, CertificateHistory

RegisterRow = tuple[Certificate, Person, Society, EngineeringField]


class PublicRegisterRepository:
    """Certificates found by part of the holder's name, number, society or field. Never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def search(
        self,
        *,
        name_part: str | None,
        number: str | None,
        society_id: int | None,
        field_code: str | None,
        limit: int,
        after: str | None,
    ) -> list[RegisterRow]:
        """Up to `limit` certificates matching every criterion given, by registration number after `after`."""
        query = (
            select(Certificate, Person, Society, EngineeringField)
            .join(Person, col(Person.id) == col(Certificate.person_id))
            .join(Society, col(Society.id) == col(Certificate.society_id))
            .join(EngineeringField, col(EngineeringField.code) == col(Certificate.field_code))
        )
        if name_part:
            query = query.where(col(Person.name).icontains(name_part, autoescape=True))
        if number:
            query = query.where(Certificate.registration_number == number)
        if society_id is not None:
            query = query.where(Certificate.society_id == society_id)
        if field_code:
            query = query.where(Certificate.field_code == field_code)
        if after:
            query = query.where(col(Certificate.registration_number) > after)
        query = query.order_by(col(Certificate.registration_number)).limit(limit)
        return [(c, p, s, f) for c, p, s, f in self.session.exec(query).all()]

    def history_of(self, certificate_ids: Sequence[int]) -> Sequence[CertificateHistory]:
        """The history lines of these certificates, in order."""
        if not certificate_ids:
            return []
        query = select(CertificateHistory).where(col(CertificateHistory.certificate_id).in_(certificate_ids))
        return self.session.exec(query.order_by(col(CertificateHistory.id))).all()

    def people_of_society(self, society_id: int, limit: int, after_id: int) -> Sequence[Person]:
        """Up to `limit` people with any role in the society (staff, examiner, member), by id after `after_id`."""
        holders = sa.union(
            sa.select(col(StaffAssignment.person_id)).where(col(StaffAssignment.society_id) == society_id),
            sa.select(col(Examiner.person_id)).where(col(Examiner.society_id) == society_id),
            sa.select(col(SocietyMembership.person_id)).where(col(SocietyMembership.society_id) == society_id),
        ).subquery()
        query = (
            select(Person)
            .where(col(Person.id).in_(sa.select(holders.c[0])), col(Person.id) > after_id)
            .order_by(col(Person.id))
            .limit(limit)
        )
        return self.session.exec(query).all()

    def roles_in_society(
        self, society_id: int, person_ids: Sequence[int]
    ) -> tuple[Sequence[StaffAssignment], Sequence[Examiner], Sequence[SocietyMembership]]:
        """The staff roles, examiner entries and memberships these people hold in the society."""
        staff = select(StaffAssignment).where(
            StaffAssignment.society_id == society_id, col(StaffAssignment.person_id).in_(person_ids)
        )
        examiners = select(Examiner).where(Examiner.society_id == society_id, col(Examiner.person_id).in_(person_ids))
        members = select(SocietyMembership).where(
            SocietyMembership.society_id == society_id, col(SocietyMembership.person_id).in_(person_ids)
        )
        return (
            self.session.exec(staff.order_by(col(StaffAssignment.id))).all(),
            self.session.exec(examiners.order_by(col(Examiner.field_code), col(Examiner.id))).all(),
            self.session.exec(members).all(),
        )
