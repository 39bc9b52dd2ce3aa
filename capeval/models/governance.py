"""Governance cases: feedback, appeals, society authorization applications, committee resolutions.

The three kinds of case share one append-only history table, one deadline table and one table of the
people appointed to them, each row naming its case by (case_kind, case_id).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime


def _version_column() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False)


_feedback_version, _appeal_version, _authorization_version = _version_column(), _version_column(), _version_column()


class Feedback(SQLModel, table=True):
    """Written feedback or a complaint to the supervision committee (Q&A Q40)."""

    __tablename__ = "feedback"

    __mapper_args__ = {"version_id_col": _feedback_version}

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, unique=True)
    sender_name: str = Field(max_length=200)
    sender_email: str = Field(max_length=200)
    sender_kind: str = Field(max_length=20)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    stage: str = Field(max_length=40)
    version: int = Field(default=1, sa_column=_feedback_version)
    findings: str = Field(default="", sa_type=sa.Text)
    answer: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=AwareDateTime)
    updated_at: datetime = Field(sa_type=AwareDateTime)


class Appeal(SQLModel, table=True):
    """An appeal against a decision (Charter art. 11); `reopened_at` is set once an upheld appeal reopened its case."""

    __tablename__ = "appeal"

    __mapper_args__ = {"version_id_col": _appeal_version}

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, unique=True)
    appellant_id: int | None = Field(default=None, foreign_key="person.id")
    appellant_name: str = Field(max_length=200)
    appellant_email: str = Field(max_length=200)
    subject: str = Field(max_length=40)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    registration_number: str | None = Field(default=None, max_length=60)
    decided_on: date
    decided_by: str = Field(default="", max_length=500)
    grounds: str = Field(max_length=300)
    statement: str = Field(sa_type=sa.Text)
    stage: str = Field(max_length=40)
    version: int = Field(default=1, sa_column=_appeal_version)
    reopen_stage: str | None = Field(default=None, max_length=40)
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    decision: str = Field(default="", sa_type=sa.Text)
    reopened_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(sa_type=AwareDateTime)
    updated_at: datetime = Field(sa_type=AwareDateTime)


class AuthorizationApplication(SQLModel, table=True):
    """A member society's application to run evaluations in a field (Charter art. 16)."""

    __tablename__ = "authorization_application"
    __table_args__ = (sa.Index("ix_authorization_application_society_field", "society_id", "field_code"),)

    __mapper_args__ = {"version_id_col": _authorization_version}

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, unique=True)
    society_id: int = Field(foreign_key="society.id")
    field_code: str = Field(foreign_key="engineering_field.code", max_length=40)
    statement: str = Field(default="", sa_type=sa.Text)
    stage: str = Field(max_length=40)
    version: int = Field(default=1, sa_column=_authorization_version)
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    last_reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=AwareDateTime)
    updated_at: datetime = Field(sa_type=AwareDateTime)


class GovernanceHistory(SQLModel, table=True):
    """One immutable line per stage change of a governance case (and one for its opening)."""

    __tablename__ = "governance_history"
    __table_args__ = (sa.Index("ix_governance_history_case", "case_kind", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_kind: str = Field(max_length=20)
    case_id: int
    version: int
    from_stage: str | None = Field(default=None, max_length=40)
    to_stage: str = Field(max_length=40)
    action: str = Field(max_length=40)
    actor: str = Field(max_length=100)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    reason: str = Field(default="", sa_type=sa.Text)
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    at: datetime = Field(sa_type=AwareDateTime)


class GovernanceDeadline(SQLModel, table=True):
    """The time limit of a governance case's current step; reminded, then escalated, while it stays open."""

    __tablename__ = "governance_deadline"
    __table_args__ = (sa.Index("ix_governance_deadline_status_due", "status", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    case_kind: str = Field(max_length=20)
    case_id: int
    step: str = Field(max_length=40)
    due_on: date
    status: str = Field(default="open", max_length=20)
    reminded_on: date | None = None
    escalated_on: date | None = None
    created_at: datetime = Field(sa_type=AwareDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    provisional: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    """`due_on` is 暂定: it reaches a year whose holiday schedule is not published yet."""
    basis: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    """What a provisional date rests on (the estimate and its years)."""
    start_on: date | None = None
    working_days: int | None = None


class GovernanceAppointment(SQLModel, table=True):
    """A person of the directory appointed to a governance case: an investigator of feedback or a member of an
    appeal panel (`person_id`; `person_name` as it was shown when appointed)."""

    __tablename__ = "governance_appointment"
    __table_args__ = (sa.Index("ix_governance_appointment_case", "case_kind", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_kind: str = Field(max_length=20)
    case_id: int
    person_id: int | None = Field(default=None, foreign_key="person.id")
    person_name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    appointed_at: datetime = Field(sa_type=AwareDateTime)


class Resolution(SQLModel, table=True):
    """A resolution of a meeting (Charter art. 28, 31): each member's vote and the arithmetic of its validity.

    `votes` holds every member of the body's roster on `held_on`, by username (those who cast no vote are
    absent), and `members` the size of that roster, against which the quorum was counted.
    """

    __tablename__ = "resolution"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, unique=True)
    body: str = Field(max_length=40)
    motion: str = Field(sa_type=sa.Text)
    held_on: date
    votes: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    members: int
    voted: int
    in_favour: int
    valid: bool
    arithmetic: str = Field(sa_type=sa.Text)
    recorded_by: str = Field(max_length=100)
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=AwareDateTime)


class ResolutionSubject(SQLModel, table=True):
    """What a resolution decided: an application (a batch of registration approvals), appeal or authorization."""

    __tablename__ = "resolution_subject"
    __table_args__ = (sa.Index("ix_resolution_subject_kind_ref", "kind", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    kind: str = Field(max_length=20)
    ref: str = Field(max_length=60)
