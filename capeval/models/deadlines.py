"""Changes to stored deadlines: a re-projection after a schedule import, an extension, a pause or resume."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from .cases import Deadline
from .review import ReviewTask
from .types import AwareDateTime


class DeadlineChange(SQLModel, table=True):
    """One immutable line per change of a case deadline or a review task's due date: old and new date, why."""

    __tablename__ = "deadline_change"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id", index=True)
    review_task_id: int | None = Field(default=None, foreign_key="review_task.id", index=True)
    change: str = Field(max_length=20)
    old_due_on: date | None = None
    new_due_on: date | None = None
    working_days: int | None = None
    reason: str = Field(default="", sa_type=sa.Text)
    actor: str = Field(max_length=100)
    actor_id: int | None = None
    at: datetime = Field(sa_type=AwareDateTime)


class DeadlineChangeRepository:
    """Deadline changes, and the provisional deadlines and review tasks a schedule import re-projects."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, change: DeadlineChange) -> None:
        self.session.add(change)

    def of_case(self, case_id: int) -> Sequence[DeadlineChange]:
        query = select(DeadlineChange).where(DeadlineChange.application_id == case_id)
        return self.session.exec(query.order_by(col(DeadlineChange.id))).all()

    def last_resumed(self, task_id: int) -> DeadlineChange | None:
        """The latest resume of a review task's due date, if it was ever paused."""
        query = select(DeadlineChange).where(
            DeadlineChange.review_task_id == task_id, DeadlineChange.change == "resumed"
        )
        return self.session.exec(query.order_by(col(DeadlineChange.id).desc())).first()

    def provisional_deadlines(self) -> Sequence[Deadline]:
        """Open case deadlines computed through an unpublished year, oldest first."""
        query = select(Deadline).where(Deadline.status == "open", col(Deadline.provisional).is_(True))
        return self.session.exec(query.order_by(col(Deadline.id))).all()

    def provisional_tasks(self, states: Sequence[str]) -> Sequence[ReviewTask]:
        """Review tasks in these states whose dates were computed through an unpublished year."""
        query = select(ReviewTask).where(col(ReviewTask.state).in_(states), col(ReviewTask.provisional).is_(True))
        return self.session.exec(query.order_by(col(ReviewTask.id))).all()

    def open_tasks_of_case(self, case_id: int, states: Sequence[str]) -> Sequence[ReviewTask]:
        query = select(ReviewTask).where(ReviewTask.application_id == case_id, col(ReviewTask.state).in_(states))
        return self.session.exec(query.order_by(col(ReviewTask.id))).all()
