"""A year without a published schedule: estimated by rule, answered provisionally only as far as the policy says."""

from __future__ import annotations

from datetime import date

import pytest

from capeval.states.calendar import WorkingDayCalendar, builtin_schedules
from capeval.states.calendar_estimate import ESTIMATE_BASIS, estimated_schedule
from capeval.states.errors import InputError, UnpublishedYearError
from capeval.states.policy import PipelinePolicy


def provisional(years_ahead: int = 1) -> WorkingDayCalendar:
    return WorkingDayCalendar(builtin_schedules(), estimate=estimated_schedule, estimate_years_ahead=years_ahead)


def test_the_2027_estimate_has_the_statutory_holidays_by_the_lunar_calendar_and_no_adjusted_days() -> None:
    schedule = estimated_schedule(2027)
    spans = {(p.name, p.first, p.last) for p in schedule.holidays}
    assert ("春节", date(2027, 2, 5), date(2027, 2, 10)) in spans  # New Year's Eve 5 Feb, in lieu to 10 Feb
    assert ("清明节", date(2027, 4, 5), date(2027, 4, 5)) in spans
    assert ("端午节", date(2027, 6, 9), date(2027, 6, 9)) in spans
    assert ("中秋节", date(2027, 9, 15), date(2027, 9, 15)) in spans
    assert ("国庆节", date(2027, 10, 1), date(2027, 10, 5)) in spans
    assert schedule.adjusted_working_days == () and schedule.source == ESTIMATE_BASIS


def test_a_date_reaching_the_next_year_is_provisional_and_names_its_basis() -> None:
    projection = provisional().project(date(2026, 12, 18), 10)
    assert (projection.day, projection.provisional) == (date(2027, 1, 4), True)
    assert projection.basis == f"{ESTIMATE_BASIS}; 2027"


def test_a_date_inside_published_years_is_not_provisional() -> None:
    projection = provisional().project(date(2026, 12, 16), 10)
    assert (projection.day, projection.provisional, projection.basis) == (date(2026, 12, 30), False, "")


def test_only_the_configured_years_ahead_are_estimated() -> None:
    calendar = provisional(1)
    assert calendar.estimable_years == (2027,)
    with pytest.raises(UnpublishedYearError, match="2028"):
        calendar.project(date(2027, 12, 20), 10)
    assert provisional(2).project(date(2027, 12, 20), 10).provisional


def test_without_an_estimate_the_calendar_still_refuses_an_unpublished_year() -> None:
    with pytest.raises(UnpublishedYearError, match="2027"):
        provisional(0).project(date(2026, 12, 18), 10)
    with pytest.raises(UnpublishedYearError, match="2027"):
        WorkingDayCalendar.builtin().add_working_days(date(2026, 12, 18), 10)


def test_years_before_the_first_published_one_are_never_estimated() -> None:
    with pytest.raises(UnpublishedYearError, match="2003"):
        provisional().add_working_days(date(2003, 12, 1), 1)


def test_an_estimated_year_is_not_reported_as_published() -> None:
    calendar = provisional()
    calendar.project(date(2026, 12, 18), 10)
    assert 2027 not in calendar.published_years and calendar.is_provisional(2027)
    with pytest.raises(UnpublishedYearError):
        calendar.schedule(2027)


@pytest.mark.parametrize("value", ["11-01", "12-31", "02-29"])
def test_the_calendar_warning_date_is_a_month_and_day(value: str) -> None:
    assert PipelinePolicy.from_mapping({"calendar_warning_from": value}).calendar_warning_from == value


@pytest.mark.parametrize("value", ["1 November", "13-01", "11-31", "2026-11-01", "02-30"])
def test_a_calendar_warning_date_that_is_no_month_and_day_is_refused(value: str) -> None:
    with pytest.raises(InputError, match="calendar_warning_from"):
        PipelinePolicy.from_mapping({"calendar_warning_from": value})
