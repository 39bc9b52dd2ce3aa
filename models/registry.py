"""Certificates of registered members and lifetime bans."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime


class Certificate(SQLModel, table=True):
    """An engineering member certificate; the registration number never changes (Q&A Q27-Q28)."""

    __tablename__ = "certificate"
    __table_args__ = (sa.Index("ix_certificate_person_status", "person_id", "status"),)

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
