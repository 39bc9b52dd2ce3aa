"""Holiday schedules as loaded: one row per (year, version), with the source and the file's text."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime


class CalendarSchedule(SQLModel, table=True):
    """One version of one year's State Council holiday schedule; the highest version is in force."""

    __tablename__ = "calendar_schedule"
    __table_args__ = (sa.UniqueConstraint("year", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    version: int
    source: str = Field(max_length=300)
    content: str = Field(sa_type=sa.Text)
    loaded_by: str = Field(max_length=100)
    loaded_at: datetime = Field(sa_type=AwareDateTime)
