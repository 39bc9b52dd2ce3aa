"""What every handler needs: the database, the clock, the policy and the working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from capeval.models import EngineeringField
from capeval.models.database import make_engine
from capeval.models.migrate import upgrade
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.calendar import WorkingDayCalendar
from capeval.states.clock import Clock, SystemClock, today_in_shanghai
from capeval.states.fields import bundled_fields
from capeval.states.governance_policy import GovernancePolicy
from capeval.states.policy import PipelinePolicy
from capeval.states.review_policy import ReviewPolicy

from . import calendar_store


@dataclass
class Runtime:
    """The wiring of one process: open it once, hand it to every handler."""

    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    policy: PipelinePolicy = field(default_factory=PipelinePolicy)
    governance: GovernancePolicy = field(default_factory=GovernancePolicy)
    review_policy: ReviewPolicy = field(default_factory=ReviewPolicy)

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(bind=self.engine, class_=Session, expire_on_commit=False)
        self._calendar: WorkingDayCalendar | None = None
        self._calendar_fingerprint: tuple[int, int] | None = None

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work (use it with `with`)."""
        return UnitOfWork(self.session_factory)

    def today(self) -> date:
        """Today's date in Asia/Shanghai by this runtime's clock."""
        return today_in_shanghai(self.clock)

    def calendar(self, uow: UnitOfWork) -> WorkingDayCalendar:
        """The working-day calendar as stored, rebuilt only when a schedule was added since last time."""
        fingerprint = uow.calendar.fingerprint()
        if self._calendar is None or fingerprint != self._calendar_fingerprint:
            self._calendar = calendar_store.load(uow)
            self._calendar_fingerprint = fingerprint
        return self._calendar


def store_bundled_fields(uow: UnitOfWork) -> int:
    """Store the bundled engineering fields the database does not have yet; returns how many were added."""
    known = {row.code for row in uow.directory.fields()}
    missing = [spec for spec in bundled_fields() if spec.code not in known]
    for spec in missing:
        uow.directory.add(EngineeringField(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en))
    return len(missing)


def open_runtime(
    database_url: str,
    *,
    clock: Clock | None = None,
    policy: PipelinePolicy | None = None,
    governance: GovernancePolicy | None = None,
) -> Runtime:
    """Connect, migrate to the newest schema, make sure the bundled calendar years are stored."""
    engine = make_engine(database_url)
    upgrade(engine)
    runtime = Runtime(engine, clock or SystemClock(), policy or PipelinePolicy(), governance or GovernancePolicy())
    with runtime.unit_of_work() as uow:
        added = calendar_store.store_bundled_years(uow, runtime.clock.now())
        added += store_bundled_fields(uow)
        if added:
            uow.commit()
    return runtime
