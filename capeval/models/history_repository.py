"""Reading every record that keeps a history together with its lines, a batch of records at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from capeval.states.history import Line

from .cases import Application, StageHistory
from .governance import Appeal, AuthorizationApplication, Feedback, GovernanceHistory
from .registry import Certificate, CertificateHistory
from .review import ReviewTask, ReviewTaskEvent
from .tables import table_of


@dataclass(frozen=True)
class Trail:
    """Where one kind of record and the lines of its history are stored."""

    kind: str
    record: type[SQLModel]
    stage: str
    history: type[SQLModel]
    owner: str
    from_stage: str
    to_stage: str
    versioned: bool
    columns: tuple[str, ...] = ()
    """Further columns of the record the replay needs."""

    @property
    def case_kind(self) -> str | None:
        """The `case_kind` of the shared governance history, None for a history of one kind of record."""
        return self.kind if self.history is GovernanceHistory else None


TRAILS: tuple[Trail, ...] = (
    Trail("case", Application, "stage", StageHistory, "application_id", "from_stage", "to_stage", True, ("route",)),
    Trail(
        "certificate",
        Certificate,
        "status",
        CertificateHistory,
        "certificate_id",
        "from_status",
        "to_status",
        False,
        ("registration_number", "renewals"),
    ),
    Trail("review_task", ReviewTask, "state", ReviewTaskEvent, "task_id", "from_state", "to_state", False),
    Trail("feedback", Feedback, "stage", GovernanceHistory, "case_id", "from_stage", "to_stage", True, ("reference",)),
    Trail(
        "appeal",
        Appeal,
        "stage",
        GovernanceHistory,
        "case_id",
        "from_stage",
        "to_stage",
        True,
        ("reference", "reopened_at"),
    ),
    Trail(
        "authorization",
        AuthorizationApplication,
        "stage",
        GovernanceHistory,
        "case_id",
        "from_stage",
        "to_stage",
        True,
        ("reference",),
    ),
)
"""Every kind of record that keeps a history, in the order they are replayed."""


@dataclass(frozen=True)
class Kept:
    """One record as stored: its id, stage, version (None when it has none) and the further columns asked for."""

    id: int
    stage: str
    version: int | None
    values: dict[str, Any]


class TrailRepository:
    """Records with their history lines, read in id order a batch at a time (never the whole table at once)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def records(self, trail: Trail, after_id: int, limit: int) -> list[Kept]:
        """Up to `limit` records of `trail` with an id above `after_id`, in id order."""
        table = table_of(trail.record)
        version = table.c.version if trail.versioned else sa.null()
        extra = [table.c[name] for name in trail.columns]
        query = (
            sa.select(table.c.id, table.c[trail.stage], version, *extra)
            .where(table.c.id > after_id)
            .order_by(table.c.id)
            .limit(limit)
        )
        found = []
        for row in self.session.execute(query):
            values = dict(zip(trail.columns, row[3:], strict=True))
            found.append(Kept(int(row[0]), str(row[1]), None if row[2] is None else int(row[2]), values))
        return found

    def lines(self, trail: Trail, record_ids: Sequence[int]) -> dict[int, list[Line]]:
        """The history lines of these records, oldest first, by record id."""
        table = table_of(trail.history)
        owner = table.c[trail.owner]
        version = table.c.version if trail.versioned else sa.null()
        query = sa.select(owner, table.c[trail.from_stage], table.c[trail.to_stage], table.c.action, version).where(
            owner.in_(record_ids)
        )
        if trail.case_kind is not None:
            query = query.where(table.c.case_kind == trail.case_kind)
        found: dict[int, list[Line]] = defaultdict(list)
        for row in self.session.execute(query.order_by(owner, table.c.id)):
            found[int(row[0])].append(Line(row[1], str(row[2]), str(row[3]), None if row[4] is None else int(row[4])))
        return found
