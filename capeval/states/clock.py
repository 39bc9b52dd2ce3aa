"""The clock port: every "now" in capeval comes from here, so runs can be replayed as of any date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol

from .calendar import SHANGHAI, local_date


class Clock(Protocol):
    """Tells the current instant (timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for scripted runs, the demo and tests."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
        self._moment = moment

    def now(self) -> datetime:
        return self._moment

    def set(self, moment: datetime) -> None:
        """Move the clock to another instant (naive instants are read as Asia/Shanghai)."""
        self._moment = moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def today_in_shanghai(clock: Clock) -> date:
    """The Asia/Shanghai calendar date of the clock's current instant; deadlines are such dates."""
    return local_date(clock.now())
