"""The periods of professional work experience an application declares (Q&A Q33, Q37)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select


class WorkExperience(SQLModel, table=True):
    """One period of practice on an application: its days (`ends_on` None: goes on), employer, role and
    stage of life (employment, undergraduate, master, doctorate)."""

    __tablename__ = "work_experience"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    position: int = Field(sa_column_kwargs={"server_default": "0"})
    starts_on: date
    ends_on: date | None = None
    employer: str = Field(max_length=200)
    role: str = Field(max_length=100)
    stage: str = Field(max_length=20, sa_column_kwargs={"server_default": sa.text("'employment'")})


class WorkExperienceRepository:
    """The periods of one application, in the order given."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, period: WorkExperience) -> None:
        self.session.add(period)

    def of_case(self, application_id: int) -> list[WorkExperience]:
        query = (
            select(WorkExperience)
            .where(WorkExperience.application_id == application_id)
            .order_by(col(WorkExperience.position), col(WorkExperience.id))
        )
        return list(self.session.exec(query))
