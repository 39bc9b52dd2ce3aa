"""Verification of facts with the applicant's employer, asked by an examiner (Q&A Q15)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, func, select

from .types import AwareDateTime


class VerificationRequest(SQLModel, table=True):
    """An examiner's request that the workgroup verify material with an employer, and its outcome."""

    __tablename__ = "verification_request"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    round: int
    employer: str = Field(max_length=200)
    question: str = Field(sa_type=sa.Text)
    requested_by: str = Field(max_length=100)
    requested_by_id: int | None = None
    requested_at: datetime = Field(sa_type=AwareDateTime)
    state: str = Field(default="open", max_length=20)
    outcome: str = Field(default="", sa_type=sa.Text)
    answered_by: str | None = Field(default=None, max_length=100)
    answered_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class VerificationRepository:
    """Verification requests of cases."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: VerificationRequest) -> None:
        self.session.add(row)

    def get(self, request_id: int) -> VerificationRequest | None:
        return self.session.get(VerificationRequest, request_id)

    def of_case(self, case_id: int) -> Sequence[VerificationRequest]:
        query = select(VerificationRequest).where(VerificationRequest.application_id == case_id)
        return self.session.exec(query.order_by(col(VerificationRequest.id))).all()

    def open_count(self, case_id: int, round_number: int) -> int:
        query = (
            select(func.count())
            .select_from(VerificationRequest)
            .where(
                VerificationRequest.application_id == case_id,
                VerificationRequest.round == round_number,
                VerificationRequest.state == "open",
            )
        )
        return int(self.session.exec(query).one())
