"""The CPD policies a society has chosen over time (each applies from a year on, the years before keep theirs),
and the ledger rows a revocation for fraud reaches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, select

from .registry import CpdActivity
from .types import AwareDateTime


class SocietyCpdPolicyChange(SQLModel, table=True):
    """One choice of a CPD policy by a society, in force from `from_year` (CE-2026 art. 31)."""

    __tablename__ = "society_cpd_policy_change"

    id: int | None = Field(default=None, primary_key=True)
    society_id: int = Field(foreign_key="society.id", index=True)
    policy: str = Field(max_length=20)
    from_year: int
    chosen_by: str = Field(max_length=100)
    chosen_at: datetime = Field(sa_type=AwareDateTime)


class CpdPolicyChangeRepository:
    """The choices of the societies, oldest first; a ledger row by id."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, change: SocietyCpdPolicyChange) -> None:
        self.session.add(change)

    def activity(self, activity_id: int) -> CpdActivity | None:
        """A CPD ledger row by id (to revoke its hours, CE-2026 art. 27)."""
        return self.session.get(CpdActivity, activity_id)

    def of_societies(self, society_ids: Sequence[int]) -> Sequence[SocietyCpdPolicyChange]:
        if not society_ids:
            return []
        query = select(SocietyCpdPolicyChange).where(col(SocietyCpdPolicyChange.society_id).in_(society_ids))
        return self.session.exec(query.order_by(col(SocietyCpdPolicyChange.id))).all()
