"""Application cases, their evidence, their append-only stage history and their deadlines."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime

_application_version = sa.Column("version", sa.Integer, nullable=False)


class Application(SQLModel, table=True):
    """One evaluation case. `version` rises with every change (optimistic concurrency)."""

    __tablename__ = "application"
    __table_args__ = (sa.Index("ix_application_society_stage", "society_id", "stage"),)
    __mapper_args__ = {"version_id_col": _application_version}

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    society_id: int = Field(foreign_key="society.id")
    field_code: str = Field(foreign_key="engineering_field.code", max_length=40)
    level: str = Field(max_length=20)
    route: str = Field(max_length=20)
    stage: str = Field(max_length=40)
    version: int = Field(default=1, sa_column=_application_version)
    batch: str = Field(default="", max_length=40)
    self_statement: str = Field(default="", sa_type=sa.Text)
    commitment_signed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    international_title: str | None = Field(default=None, max_length=100)
    international_title_issuer: str | None = Field(default=None, max_length=200)
    international_title_expires_on: date | None = None
    last_reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=AwareDateTime)
    updated_at: datetime = Field(sa_type=AwareDateTime)


class EvidenceItem(SQLModel, table=True):
    """A document attached to a case; supplements carry the round they answer."""

    __tablename__ = "evidence_item"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    kind: str = Field(max_length=40)
    reference: str = Field(max_length=500)
    description: str = Field(default="", max_length=500)
    supplement_round: int = 0
    added_at: datetime = Field(sa_type=AwareDateTime)
    document_digest: str | None = Field(default=None, foreign_key="document.digest", max_length=64, index=True)
    """The stored document this row is (see `models/documents.py`); None for a reference without a file."""


class StageHistory(SQLModel, table=True):
    """One immutable line per stage change (and one for the initial stage); never updated or deleted."""

    __tablename__ = "stage_history"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    version: int
    from_stage: str | None = Field(default=None, max_length=40)
    to_stage: str = Field(max_length=40)
    action: str = Field(max_length=40)
    actor: str = Field(max_length=100)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    reason: str = Field(default="", sa_type=sa.Text)
    basis: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    """The record a decision rests on ("review round 2", "interview 4", "resolution RES-2026-0003"), or ""."""
    at: datetime = Field(sa_type=AwareDateTime)


class Deadline(SQLModel, table=True):
    """A date by which something must happen to a case, swept when it passes (`due_on` is a Shanghai date)."""

    __tablename__ = "deadline"
    __table_args__ = (sa.Index("ix_deadline_status_due_case", "status", "due_on", "application_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    kind: str = Field(max_length=40)
    due_on: date
    status: str = Field(default="open", max_length=20)
    created_at: datetime = Field(sa_type=AwareDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    provisional: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    """Computed through a year whose schedule was not published: re-projected when it is imported."""
    basis: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    """What a provisional date rests on (the estimate and its years)."""
    start_on: date | None = None
    """The date the working days are counted from (None on rows older than this column)."""
    working_days: int | None = None
    """How many working days after `start_on` the deadline falls, extensions included."""
    original_due_on: date | None = None
    """The date first notified, kept when an extension moves the deadline."""
