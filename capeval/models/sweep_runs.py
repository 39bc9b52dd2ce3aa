"""The last successful run of each sweep, written by the sweep itself when it finishes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, select

from .types import AwareDateTime


class SweepRun(SQLModel, table=True):
    """One row per sweep: when it last finished without failing and how many due items it examined then."""

    __tablename__ = "sweep_run"

    sweep: str = Field(primary_key=True, max_length=40)
    finished_at: datetime = Field(sa_type=AwareDateTime)
    examined: int = 0
    runs: int = 0


class SweepRunRepository:
    """The sweeps' last successful runs."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, sweep: str, finished_at: datetime, examined: int) -> None:
        """Note a successful run of `sweep` (the row is created on its first run)."""
        row = self.session.get(SweepRun, sweep)
        if row is None:
            self.session.add(SweepRun(sweep=sweep, finished_at=finished_at, examined=examined, runs=1))
            return
        row.finished_at, row.examined, row.runs = finished_at, examined, row.runs + 1
        self.session.add(row)

    def all(self) -> Sequence[SweepRun]:
        return self.session.exec(select(SweepRun).order_by(col(SweepRun.sweep))).all()
