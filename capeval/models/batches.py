"""Evaluation batches a society declares (Q&A Q19): a name with the days it is open for applications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from .types import AwareDateTime


class EvaluationBatch(SQLModel, table=True):
    """One evaluation batch (评价批次) of a society, open for new applications from `opens_on` through
    `closes_on` (both days included)."""

    __tablename__ = "evaluation_batch"
    __table_args__ = (UniqueConstraint("society_id", "name", name="uq_evaluation_batch_society_name"),)

    id: int | None = Field(default=None, primary_key=True)
    society_id: int = Field(foreign_key="society.id", index=True)
    name: str = Field(max_length=100)
    opens_on: date
    closes_on: date
    declared_by: str = Field(max_length=100)
    declared_at: datetime = Field(sa_type=AwareDateTime)


class BatchRepository:
    """The batches of a society, by opening day."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, batch: EvaluationBatch) -> None:
        self.session.add(batch)

    def of_society(self, society_id: int) -> list[EvaluationBatch]:
        query = (
            select(EvaluationBatch)
            .where(EvaluationBatch.society_id == society_id)
            .order_by(col(EvaluationBatch.opens_on), col(EvaluationBatch.name))
        )
        return list(self.session.exec(query))

    def named(self, society_id: int, name: str) -> EvaluationBatch | None:
        query = select(EvaluationBatch).where(EvaluationBatch.society_id == society_id, EvaluationBatch.name == name)
        return self.session.exec(query).first()
