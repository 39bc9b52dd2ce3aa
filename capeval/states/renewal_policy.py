"""When the renewal sweep writes to members, and which CPD years a renewal reviews: the `[renewal]` table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import InputError, Problem
from .rulebook import RuleBook, rule


@dataclass(frozen=True)
class RenewalPolicy(RuleBook):
    """When the renewal sweep writes to members, and which CPD years renewal reviews."""

    TABLE = "renewal"

    reminder_days: tuple[int, ...] = rule(
        (180, 90, 30), "sources silent (project default)", "days before expiry on which a renewal reminder is sent"
    )
    cpd_warning_month_day: str = rule(
        "11-01", "sources silent (project default)", "day of each year (MM-DD) on which a CPD shortfall is warned of"
    )
    review_issue_year: bool = rule(
        False,
        "sources silent (project default)",
        "whether renewal reviews the calendar year of issue (a partial year) as well as the following years",
    )

    def __post_init__(self) -> None:
        for problem in self.broken_rules():
            raise InputError(problem.code, origin="renewal policy", table=self.TABLE, **problem.params)

    def broken_rules(self) -> Iterator[Problem]:
        """Reminders fall at least a day before expiry; the CPD warning day is a real MM-DD."""
        if not self.reminder_days or any(d <= 0 for d in self.reminder_days):
            yield Problem("policy_reminder_days")
        try:
            self.cpd_warning_date(2024)
        except ValueError:
            yield Problem("policy_month_day", {"value": self.cpd_warning_month_day})

    def reminder_points(self) -> tuple[int, ...]:
        """Reminder points, farthest from expiry first."""
        return tuple(sorted(set(self.reminder_days), reverse=True))

    def next_reminder(self, expires_on: date, today: date) -> date | None:
        """The first reminder date on or after `today`, or None when none is left before expiry."""
        for days in self.reminder_points():
            due = expires_on - timedelta(days=days)
            if due >= today:
                return due
        return None

    def reminder_due(self, expires_on: date, today: date) -> int | None:
        """The reminder point (days before expiry) that falls due on `today` or most recently passed."""
        passed = [d for d in self.reminder_points() if expires_on - timedelta(days=d) <= today <= expires_on]
        return min(passed) if passed else None

    def cpd_warning_date(self, year: int) -> date:
        month, _, day = self.cpd_warning_month_day.partition("-")
        return date(year, int(month), int(day))

    def next_cpd_check(self, issued_on: date, expires_on: date, after: date) -> date | None:
        """The next yearly CPD warning date on or after `after` inside the validity period."""
        for year in range(max(after.year, issued_on.year), expires_on.year + 1):
            due = self.cpd_warning_date(year)
            if after <= due <= expires_on and due >= issued_on:
                return due
        return None

    def reviewed_years(self, issued_on: date, expires_on: date, review_on: date) -> list[int]:
        """The calendar years a renewal reviews: each year of validity that has ended by `review_on`."""
        first = issued_on.year if self.review_issue_year else issued_on.year + 1
        last = min(review_on.year - 1, expires_on.year)
        return list(range(first, last + 1))
