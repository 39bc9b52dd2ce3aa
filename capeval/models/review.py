"""Examiner review: employments and declared relations, review tasks, review records, interviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime

_task_version = sa.Column("version", sa.Integer, nullable=False)


class EmploymentRecord(SQLModel, table=True):
    """A past (or, with no `ended_on`, current) employer of a person, for employer conflicts."""

    __tablename__ = "employment_record"
    __table_args__ = (sa.UniqueConstraint("person_id", "employer"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    employer: str = Field(max_length=200)
    ended_on: date | None = None


class DeclaredRelation(SQLModel, table=True):
    """A relation an examiner declares towards another person: supervisor, student, collaborator, family, other."""

    __tablename__ = "declared_relation"
    __table_args__ = (sa.UniqueConstraint("examiner_person_id", "other_person_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    examiner_person_id: int = Field(foreign_key="person.id", index=True)
    other_person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=20)
    until: date | None = None
    note: str = Field(default="", max_length=300)
    declared_at: datetime = Field(sa_type=AwareDateTime)


class ReviewTask(SQLModel, table=True):
    """One examiner's review of one case in one round; its `state` follows `states.review.TASK_MOVES`."""

    __tablename__ = "review_task"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "examiner_id", "round"),
        sa.Index("ix_review_task_state_respond_by", "state", "respond_by"),
        sa.Index("ix_review_task_state_due_on", "state", "due_on"),
    )
    __mapper_args__ = {"version_id_col": _task_version}

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    examiner_id: int = Field(foreign_key="examiner.id", index=True)
    round: int = 1
    state: str = Field(max_length=20)
    version: int = Field(default=1, sa_column=_task_version)
    assigned_by: str = Field(max_length=100)
    invited_at: datetime = Field(sa_type=AwareDateTime)
    respond_by: date
    due_on: date
    reminded_before_due: bool = False
    last_overdue_reminder_on: date | None = None
    closed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    reason: str = Field(default="", sa_type=sa.Text)
    provisional: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    """`respond_by`/`due_on` computed through an unpublished year: re-projected when it is imported."""
    basis: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    paused_on: date | None = None
    """Set while the case waits on a requested supplement: the due date is paused."""
    working_days_left: int | None = None
    """Working days the review had left when it was paused."""


class ReviewTaskEvent(SQLModel, table=True):
    """One immutable line per review-task state change (and one for the invitation)."""

    __tablename__ = "review_task_event"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="review_task.id", index=True)
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    action: str = Field(max_length=20)
    actor: str = Field(max_length=100)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    reason: str = Field(default="", sa_type=sa.Text)
    at: datetime = Field(sa_type=AwareDateTime)


class ReviewRecordRow(SQLModel, table=True):
    """An examiner's material review record: five areas with justifications and a recommendation."""

    __tablename__ = "review_record"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="review_task.id", unique=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    round: int
    recommendation: str = Field(max_length=30)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    submitted_at: datetime = Field(sa_type=AwareDateTime)


class Interview(SQLModel, table=True):
    """An interview of a case's applicant by a panel (Q&A Q16-Q17)."""

    __tablename__ = "interview"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    state: str = Field(default="scheduled", max_length=20)
    starts_at: datetime = Field(sa_type=AwareDateTime)
    place: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=300)
    scheduled_by: str = Field(max_length=100)
    presentation_minutes: int | None = None
    question_minutes: int | None = None
    deliberation_minutes: int | None = None
    short_reason: str = Field(default="", sa_type=sa.Text)
    agreed_scores: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    written_exam_score: int | None = None
    projects: list[str] | None = Field(default=None, sa_type=sa.JSON)
    """The 2-3 engineering projects the applicant presented, as the score sheet names them (Q&A Q16)."""
    total: int | None = None
    passed: bool | None = None
    reasons: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=AwareDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class InterviewPanelist(SQLModel, table=True):
    """An examiner on an interview panel, with the score sheet they filled in."""

    __tablename__ = "interview_panelist"
    __table_args__ = (sa.UniqueConstraint("interview_id", "examiner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True)
    examiner_id: int = Field(foreign_key="examiner.id", index=True)
    scores: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    scored_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
