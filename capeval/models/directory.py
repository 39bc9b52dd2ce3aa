"""Who is who: societies, their authorized fields, people and their roles."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime

NEVER_ASSIGNED = datetime(2000, 1, 1, tzinfo=UTC)
"""The `last_assigned_at` of an examiner never assigned: earlier than any assignment."""


class EngineeringField(SQLModel, table=True):
    """A field of engineering with a published specification (Q&A Q5)."""

    __tablename__ = "engineering_field"

    code: str = Field(primary_key=True, max_length=40)
    name_zh: str = Field(max_length=100)
    name_en: str = Field(max_length=100)


class Society(SQLModel, table=True):
    """A national society; it may be authorized for one or more fields (Q&A Q2; Charter art. 16)."""

    __tablename__ = "society"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name_zh: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)


class SocietyField(SQLModel, table=True):
    """The authorization of a society for a field; withdrawn authorizations keep their row."""

    __tablename__ = "society_field"
    __table_args__ = (sa.UniqueConstraint("society_id", "field_code"),)

    id: int | None = Field(default=None, primary_key=True)
    society_id: int = Field(foreign_key="society.id", index=True)
    field_code: str = Field(foreign_key="engineering_field.code", max_length=40)
    authorized_on: date
    withdrawn_on: date | None = None
    # The society's work-experience rule for the field (Q&A Q33, Q37): years per level, None when unset.
    experience_years_apprentice: int | None = None
    experience_years_professional: int | None = None
    experience_years_senior: int | None = None
    postgraduate_practice_counts: bool | None = None


class Person(SQLModel, table=True):
    """Anyone capeval knows: applicants, members, examiners, workgroup staff.

    The ID number itself is never stored: only a digest to match lifetime bans and a masked form to show.
    """

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=100, index=True)
    id_number_digest: str = Field(max_length=64, unique=True)
    id_number_masked: str = Field(max_length=30)
    email: str = Field(max_length=200)
    language: str = Field(default="zh-CN", max_length=10)
    employer: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=AwareDateTime)


class SocietyMembership(SQLModel, table=True):
    """A person's membership of a society; `pending` while applied for (Q&A Q6)."""

    __tablename__ = "society_membership"
    __table_args__ = (sa.UniqueConstraint("person_id", "society_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    society_id: int = Field(foreign_key="society.id")
    member_number: str = Field(default="", max_length=40)
    status: str = Field(default="active", max_length=20)
    since: date


class Examiner(SQLModel, table=True):
    """A person who reviews material and interviews for a society in a field (Q&A Q15-Q17)."""

    __tablename__ = "examiner"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "society_id", "field_code"),
        sa.Index("ix_examiner_load", "society_id", "field_code", "active", "open_tasks", "last_assigned_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    society_id: int = Field(foreign_key="society.id")
    field_code: str = Field(foreign_key="engineering_field.code", max_length=40)
    level: str = Field(max_length=20)
    # Load, for choosing examiners through the index above (issue 3: review).
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    open_tasks: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_assigned_at: datetime = Field(
        default=NEVER_ASSIGNED, sa_type=AwareDateTime, sa_column_kwargs={"server_default": "2000-01-01 00:00:00"}
    )


class StaffAssignment(SQLModel, table=True):
    """A staff role a person holds: for one society (`society_id`) or, with none, for the federation."""

    __tablename__ = "staff_assignment"
    __table_args__ = (sa.UniqueConstraint("person_id", "role", "society_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=30)
    society_id: int | None = Field(default=None, foreign_key="society.id")


class CommitteeSeat(SQLModel, table=True):
    """A person's seat on a federation body for a term (Charter art. 5-11): the roster a quorum counts."""

    __tablename__ = "committee_seat"
    __table_args__ = (sa.Index("ix_committee_seat_body", "body", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    body: str = Field(max_length=40)
    person_id: int = Field(foreign_key="person.id", index=True)
    position: str = Field(default="member", max_length=20)
    starts_on: date
    ends_on: date | None = None

    def holds_on(self, day: date) -> bool:
        """Whether the term covers `day` (both ends included)."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
