"""When renewal can be applied for, which CPD years it reviews, and when the renewal sweep writes to
members: the `[renewal]` table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .errors import InputError, Problem
from .rulebook import RuleBook, rule
from .validity import anniversary

CalendarYears = Literal["middle", "whole"]


@dataclass(frozen=True)
class RenewalPolicy(RuleBook):
    """When renewal can be applied for, which CPD years it reviews, and when the sweep writes to members."""

    TABLE = "renewal"

    reminder_days: tuple[int, ...] = rule(
        (180, 90, 30), "sources silent (project default)", "days before expiry on which a renewal reminder is sent"
    )
    cpd_warning_month_day: str = rule(
        "11-01", "sources silent (project default)", "day of each year (MM-DD) on which a CPD shortfall is warned of"
    )
    renewal_window_days: int = rule(
        180,
        "sources silent (capeval's choice; Q&A Q23, Q28: renewal comes when the 5 years of validity end)",
        "renewal can be applied for (and granted) only from this many days before the last valid day "
        "(the default opens the window on the day of the first renewal reminder)",
    )
    calendar_years: CalendarYears = rule(
        "middle",
        "Q&A Q23 (each year of the validity); how a year of validity maps to a calendar year: capeval's choice",
        "which calendar years a renewal reviews: 'middle' takes each year of validity as the calendar year its "
        "middle day falls in (as many years as the validity has); 'whole' only calendar years wholly inside it",
    )

    def __post_init__(self) -> None:
        for problem in self.broken_rules():
            raise InputError(problem.code, origin="renewal policy", table=self.TABLE, **problem.params)

    def broken_rules(self) -> Iterator[Problem]:
        """Reminders fall at least a day before expiry; the CPD warning day is a real MM-DD; a window is open."""
        if not self.reminder_days or any(d <= 0 for d in self.reminder_days):
            yield Problem("policy_reminder_days")
        try:
            self.cpd_warning_date(2024)
        except ValueError:
            yield Problem("policy_month_day", {"value": self.cpd_warning_month_day})
        if self.renewal_window_days < 1:
            yield Problem("policy_renewal_window_days", {"value": self.renewal_window_days})

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

    def renewal_opens_on(self, expires_on: date) -> date:
        """The first day on which renewal of a certificate valid until `expires_on` can be applied for."""
        return expires_on - timedelta(days=self.renewal_window_days)

    def cpd_warning_date(self, year: int) -> date:
        month, _, day = self.cpd_warning_month_day.partition("-")
        return date(year, int(month), int(day))

    def next_cpd_check(self, valid_from: date, expires_on: date, after: date) -> date | None:
        """The next yearly CPD warning date on or after `after`, in a year renewal reviews, inside validity."""
        for year in self.reviewed_years(valid_from, expires_on):
            due = self.cpd_warning_date(year)
            if after <= due <= expires_on and due >= valid_from:
                return due
        return None

    def reviewed_years(self, valid_from: date, expires_on: date) -> list[int]:
        """The calendar years a renewal reviews for a term of validity from `valid_from` to `expires_on`.

        Every one of them is reviewed, whether or not it has ended by the review: a member completes each
        year's hours before applying (Q&A Q23).
        """
        if self.calendar_years == "whole":
            first = valid_from.year if (valid_from.month, valid_from.day) == (1, 1) else valid_from.year + 1
            last = expires_on.year if (expires_on.month, expires_on.day) == (12, 31) else expires_on.year - 1
            return list(range(first, last + 1))
        years = []
        start, number = valid_from, 1
        while (end := anniversary(valid_from, number)) - timedelta(days=1) <= expires_on:
            years.append((start + timedelta(days=(end - start).days // 2)).year)
            start, number = end, number + 1
        return years
