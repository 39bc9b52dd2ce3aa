"""The board's working days left, worked out for a page of due dates at once, against one date at a time."""

from __future__ import annotations

from datetime import date, timedelta

from capeval.services.console import _working_days_left
from capeval.states.calendar import WorkingDayCalendar
from capeval.states.errors import CalendarError


def one_at_a_time(calendar: WorkingDayCalendar, today: date, due: date) -> int | None:
    try:
        if due >= today:
            return calendar.working_days_between(today, due)
        return -calendar.working_days_between(due, today)
    except CalendarError:
        return None


def test_a_page_of_due_dates_counts_as_each_date_alone() -> None:
    calendar = WorkingDayCalendar.builtin()
    first, last = calendar.published_years[0], calendar.published_years[-1]
    today = date(last, 3, 2)
    dues = {today, today + timedelta(days=1), date(last, 10, 8), date(last, 12, 31), date(last + 1, 1, 5)}
    dues |= {today - timedelta(days=n) for n in (1, 2, 40, 400)} | {date(first - 1, 12, 30), date(first, 1, 2)}
    found = _working_days_left(calendar, today, dues)
    assert found == {due: one_at_a_time(calendar, today, due) for due in dues}
    assert found[date(last + 1, 1, 5)] is None and found[date(first - 1, 12, 30)] is None
    assert found[date(last, 12, 31)] is not None and found[today] == 0
    assert _working_days_left(calendar, today, set()) == {}
