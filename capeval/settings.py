"""Process settings from options and the environment: database URL, clock override, policy file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from capeval.states.clock import SHANGHAI, Clock, FixedClock, SystemClock
from capeval.states.errors import InputError
from capeval.states.governance_policy import GovernancePolicy
from capeval.states.policy import PipelinePolicy

DEFAULT_DATABASE_FILE = "capeval.db"
DATABASE_ENV = "CAPEVAL_DATABASE_URL"
NOW_ENV = "CAPEVAL_NOW"
POLICY_ENV = "CAPEVAL_POLICY_FILE"


def default_database_url() -> str:
    """`CAPEVAL_DATABASE_URL`, or a SQLite file `capeval.db` in the current folder."""
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{DEFAULT_DATABASE_FILE}"


def parse_moment(text: str) -> datetime:
    """An ISO date or date-time; without a zone it is read in Asia/Shanghai (a bare date means 09:00)."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(9, 0), tzinfo=SHANGHAI)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"'{text}' is not a date or time; write it like 2026-03-31 or 2026-03-31T14:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def parse_day(text: str) -> date:
    """An ISO calendar date such as 2026-10-01."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"'{text}' is not a date; write it like 2026-10-01") from None


@dataclass(frozen=True)
class Settings:
    """What one capeval process runs with."""

    database_url: str
    now: datetime | None = None
    policy_file: Path | None = None

    @classmethod
    def resolve(cls, database: str | None, now: str | None, policy: str | None) -> Settings:
        """Options first, then the environment, then the defaults."""
        now_text = now or os.environ.get(NOW_ENV)
        policy_text = policy or os.environ.get(POLICY_ENV)
        return cls(
            database_url=database or default_database_url(),
            now=parse_moment(now_text) if now_text else None,
            policy_file=Path(policy_text) if policy_text else None,
        )

    def clock(self) -> Clock:
        return FixedClock(self.now) if self.now else SystemClock()

    def policy(self) -> PipelinePolicy:
        if self.policy_file is None:
            return PipelinePolicy()
        if not self.policy_file.is_file():
            raise InputError(f"policy file {self.policy_file} does not exist")
        return PipelinePolicy.from_toml(self.policy_file.read_text(encoding="utf-8"), origin=str(self.policy_file))

    def governance_policy(self) -> GovernancePolicy:
        """The [governance] table of the same policy file, over the defaults."""
        if self.policy_file is None:
            return GovernancePolicy()
        if not self.policy_file.is_file():
            raise InputError(f"policy file {self.policy_file} does not exist")
        text = self.policy_file.read_text(encoding="utf-8")
        return GovernancePolicy.from_toml(text, origin=str(self.policy_file))
