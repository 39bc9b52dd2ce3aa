"""Certificates, their append-only history, registration counters, lifetime bans, and the CPD ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime


class Certificate(SQLModel, table=True):
    """An engineering member certificate; the registration number never changes (Q&A Q27-Q28).

    `next_reminder_on` and `cpd_check_on` are the due dates of the renewal sweep (indexed, NULL when
    nothing more is due); expiry is found through (status, expires_on). `valid_from` is the first day of
    the current term of validity (the day after the old expiry once renewed; NULL: the issue date).
    """

    __tablename__ = "certificate"
    __table_args__ = (
        sa.Index("ix_certificate_person_status", "person_id", "status"),
        sa.Index("ix_certificate_status_expires", "status", "expires_on"),
        sa.Index("ix_certificate_next_reminder_on", "next_reminder_on"),
        sa.Index("ix_certificate_cpd_check_on", "cpd_check_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    registration_number: str = Field(max_length=40, unique=True)
    person_id: int = Field(foreign_key="person.id")
    society_id: int = Field(foreign_key="society.id")
    application_id: int = Field(foreign_key="application.id")
    field_code: str = Field(foreign_key="engineering_field.code", max_length=40)
    level: str = Field(max_length=20)
    status: str = Field(default="active", max_length=20)
    issued_on: date
    expires_on: date
    renewals: int = 0
    superseded_by: str | None = Field(default=None, max_length=40)
    next_reminder_on: date | None = None
    cpd_check_on: date | None = None
    renewal_requested_on: date | None = None
    valid_from: date | None = None

    @property
    def term_starts_on(self) -> date:
        """The first day of the current term of validity."""
        return self.valid_from or self.issued_on


class CertificateHistory(SQLModel, table=True):
    """One immutable line per certificate change: the public register and the federation report read it."""

    __tablename__ = "certificate_history"
    __table_args__ = (sa.Index("ix_certificate_history_effective_on", "effective_on"),)

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificate.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    action: str = Field(max_length=20)
    actor: str = Field(max_length=100)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    reason: str = Field(default="", sa_type=sa.Text)
    effective_on: date
    at: datetime = Field(sa_type=AwareDateTime)


class RegistrationCounter(SQLModel, table=True):
    """The last registration sequence issued by a society in a year; raised under a row lock, never lowered."""

    __tablename__ = "registration_counter"

    society_id: int = Field(foreign_key="society.id", primary_key=True)
    year: int = Field(primary_key=True)
    last_sequence: int = 0


class LifetimeBan(SQLModel, table=True):
    """A lifetime ban from applying (Q&A Q14), matched on the ID-number digest of every later applicant."""

    __tablename__ = "lifetime_ban"

    id: int | None = Field(default=None, primary_key=True)
    id_number_digest: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id")
    application_id: int | None = Field(default=None, foreign_key="application.id")
    reason: str = Field(sa_type=sa.Text)
    imposed_by: str = Field(max_length=100)
    imposed_at: datetime = Field(sa_type=AwareDateTime)


class CpdActivity(SQLModel, table=True):
    """One CPD activity a member recorded or imported from a platform transcript (CPD-2024 art. 14, 17).

    `natural_key` (states/cpd_ledger.natural_key) is unique per holder: the same activity is one row
    however often it is imported. `recognized_by` is who recognized it (CPD-2024 art. 8, 16-17): the
    person who recorded it, society staff where the society decides its hours.
    """

    __tablename__ = "cpd_activity"
    __table_args__ = (
        sa.Index("ix_cpd_activity_person_year", "person_id", "year"),
        sa.UniqueConstraint("person_id", "natural_key", name="uq_cpd_activity_person_natural_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    year: int
    kind: str = Field(max_length=30)
    happened_on: date
    attributes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    evidence_reference: str = Field(default="", max_length=500)
    source: str = Field(default="member", max_length=20)
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime = Field(sa_type=AwareDateTime)
    recognized_by: str = Field(max_length=100)
    natural_key: str = Field(max_length=64)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    """Set when the society found the hours obtained by fraud (CE-2026 art. 27): the row counts no more."""
    revoked_by: str | None = Field(default=None, max_length=100)
    revoked_reason: str | None = Field(default=None, sa_type=sa.Text)


class CpdLecturer(SQLModel, table=True):
    """The society's record that a member is a qualified lecturer from `since` (to `until`) (CPD-2024 art. 13(3), 14).

    Only teaching dated inside such a period counts double; a member cannot declare it.
    """

    __tablename__ = "cpd_lecturer"
    __table_args__ = (sa.UniqueConstraint("person_id", "society_id", "since"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    society_id: int = Field(foreign_key="society.id")
    since: date
    until: date | None = None
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime = Field(sa_type=AwareDateTime)


class CpdExemption(SQLModel, table=True):
    """A year excused under the society's contingency plan for special reasons, with evidence (CPD-2024 art. 9)."""

    __tablename__ = "cpd_exemption"
    __table_args__ = (sa.UniqueConstraint("certificate_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificate.id")
    year: int
    reason: str = Field(sa_type=sa.Text)
    evidence_reference: str = Field(max_length=500)
    granted_by: str = Field(max_length=100)
    granted_at: datetime = Field(sa_type=AwareDateTime)


class SocietyCpdPolicy(SQLModel, table=True):
    """The CPD policy a society chose (`cpd-2024` when it has no row)."""

    __tablename__ = "society_cpd_policy"

    society_id: int = Field(foreign_key="society.id", primary_key=True)
    policy: str = Field(max_length=20)
    chosen_by: str = Field(max_length=100)
    chosen_at: datetime = Field(sa_type=AwareDateTime)
