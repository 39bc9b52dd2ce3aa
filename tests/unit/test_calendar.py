"""The PRC working-day calendar: bundled data, date arithmetic, unpublished years, schedule files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from capeval.states.calendar import (
    SHANGHAI,
    HolidayPeriod,
    WorkingDayCalendar,
    YearSchedule,
    builtin_schedules,
    local_date,
    parse_schedule,
)
from capeval.states.errors import CalendarError, InputError, UnpublishedYearError


@pytest.fixture(scope="module")
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar.builtin()


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Hand transcription of the State Council notices (国务院办公厅关于YYYY年部分节假日安排的通知),
# independent of the chinesecalendar package the bundled files were generated from.
NOTICES = {
    "2024 春节": (days(date(2024, 2, 10), date(2024, 2, 17)), [date(2024, 2, 4), date(2024, 2, 18)]),
    "2024 国庆节": (days(date(2024, 10, 1), date(2024, 10, 7)), [date(2024, 9, 29), date(2024, 10, 12)]),
    "2025 春节": (days(date(2025, 1, 28), date(2025, 2, 4)), [date(2025, 1, 26), date(2025, 2, 8)]),
    "2025 国庆节、中秋节": (days(date(2025, 10, 1), date(2025, 10, 8)), [date(2025, 9, 28), date(2025, 10, 11)]),
    "2026 元旦": (days(date(2026, 1, 1), date(2026, 1, 3)), [date(2026, 1, 4)]),
    "2026 春节": (days(date(2026, 2, 15), date(2026, 2, 23)), [date(2026, 2, 14), date(2026, 2, 28)]),
    "2026 国庆节": (days(date(2026, 10, 1), date(2026, 10, 7)), [date(2026, 9, 20), date(2026, 10, 10)]),
    "2020 春节 extended for COVID-19": (days(date(2020, 1, 24), date(2020, 2, 2)), [date(2020, 1, 19)]),
}


@pytest.mark.parametrize("label", sorted(NOTICES))
def test_holiday_days_are_off_and_adjusted_weekend_days_are_working(calendar: WorkingDayCalendar, label: str) -> None:
    off, working = NOTICES[label]
    assert [day for day in off if calendar.is_working_day(day)] == []
    assert [day for day in working if not calendar.is_working_day(day)] == []
    assert all(day.weekday() >= 5 for day in working)


def test_new_year_eve_before_spring_festival_2024_is_a_working_day(calendar: WorkingDayCalendar) -> None:
    assert calendar.is_working_day(date(2024, 2, 9))
    assert not calendar.is_working_day(date(2024, 2, 10))


def test_the_covid_extension_cancelled_the_2020_saturday_working_day(calendar: WorkingDayCalendar) -> None:
    assert not calendar.is_working_day(date(2020, 2, 1))
    assert calendar.is_working_day(date(2020, 2, 3))
    periods = {period.name: (period.first, period.last) for period in calendar.schedule(2020).holidays}
    assert periods["春节"] == (date(2020, 1, 24), date(2020, 1, 30))
    assert periods["抗击新冠肺炎疫情延长春节假期"] == (date(2020, 1, 31), date(2020, 2, 2))


def test_ordinary_weekdays_work_and_ordinary_weekends_rest(calendar: WorkingDayCalendar) -> None:
    assert calendar.is_working_day(date(2026, 3, 11))
    assert not calendar.is_working_day(date(2026, 3, 14))
    assert not calendar.is_working_day(date(2026, 3, 15))


def test_bundled_2026_spring_festival_is_a_named_period(calendar: WorkingDayCalendar) -> None:
    schedule = calendar.schedule(2026)
    assert HolidayPeriod("春节", date(2026, 2, 15), date(2026, 2, 23)) in schedule.holidays
    assert schedule.reason_for(date(2026, 2, 14)) == "春节"
    assert "国务院办公厅" in schedule.source and "2026" in schedule.source


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 2, 6), 10, date(2026, 2, 27)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 9, 28), 5, date(2026, 10, 10)),
        (date(2025, 12, 25), 10, date(2026, 1, 9)),
        (date(2024, 2, 7), 5, date(2024, 2, 20)),
        (date(2024, 9, 27), 3, date(2024, 10, 8)),
        (date(2025, 1, 24), 3, date(2025, 2, 5)),
        (date(2025, 9, 30), 2, date(2025, 10, 10)),
        (date(2025, 9, 30), 3, date(2025, 10, 11)),
    ],
)
def test_n_working_days_after_a_date_skips_holidays_and_counts_adjusted_days(
    calendar: WorkingDayCalendar, start: date, count: int, expected: date
) -> None:
    assert calendar.add_working_days(start, count) == expected
    assert calendar.working_days_between(start, expected) == count


def test_zero_working_days_after_a_date_is_the_date_itself(calendar: WorkingDayCalendar) -> None:
    assert calendar.add_working_days(date(2026, 2, 15), 0) == date(2026, 2, 15)


def test_negative_working_day_count_is_an_input_error(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(InputError, match="count"):
        calendar.add_working_days(date(2026, 2, 6), -1)


def test_next_working_day_jumps_over_a_holiday(calendar: WorkingDayCalendar) -> None:
    assert calendar.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)


def test_working_days_between_counts_the_end_but_not_the_start(calendar: WorkingDayCalendar) -> None:
    assert calendar.working_days_between(date(2026, 3, 9), date(2026, 3, 13)) == 4
    assert calendar.working_days_between(date(2026, 3, 13), date(2026, 3, 9)) == 0
    # 261 weekdays in 2026, 19 of them inside holiday periods, plus 6 adjusted weekend days.
    assert calendar.working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 261 - 19 + 6


def test_a_year_of_arithmetic_is_fast(calendar: WorkingDayCalendar) -> None:
    assert calendar.add_working_days(date(2004, 1, 1), 5500).year == 2026


def test_bundled_data_matches_the_chinesecalendar_package_for_every_day_2004_to_2026(
    calendar: WorkingDayCalendar,
) -> None:
    """Cross-check of the bundled TOML files against chinesecalendar, the package they were transcribed from."""
    import chinese_calendar

    mismatches = [
        day
        for day in days(date(2004, 1, 1), date(2026, 12, 31))
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert mismatches == []


def test_bundled_schedules_cover_2004_to_2026(calendar: WorkingDayCalendar) -> None:
    assert calendar.published_years == tuple(range(2004, 2027))
    assert [schedule.year for schedule in builtin_schedules()] == list(range(2004, 2027))


@pytest.mark.parametrize("day", [date(2027, 1, 4), date(2027, 6, 1), date(2003, 12, 31), date(2003, 6, 2)])
def test_a_date_in_an_unpublished_year_raises_naming_the_year(calendar: WorkingDayCalendar, day: date) -> None:
    with pytest.raises(UnpublishedYearError) as raised:
        calendar.is_working_day(day)
    message = str(raised.value)
    assert str(day.year) in message
    assert f"import the State Council schedule for {day.year}" in (raised.value.hint() or "")
    assert raised.value.year == day.year
    assert isinstance(raised.value, CalendarError)


def test_adding_working_days_into_an_unpublished_year_raises_instead_of_guessing(calendar: WorkingDayCalendar) -> None:
    assert calendar.add_working_days(date(2026, 12, 25), 4) == date(2026, 12, 31)
    with pytest.raises(UnpublishedYearError, match="2027"):
        calendar.add_working_days(date(2026, 12, 25), 10)


def test_adding_working_days_from_an_unpublished_year_raises(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(UnpublishedYearError, match="2003"):
        calendar.add_working_days(date(2003, 12, 30), 3)
    with pytest.raises(UnpublishedYearError, match="2027"):
        calendar.add_working_days(date(2027, 1, 4), 0)


def test_counting_working_days_across_an_unpublished_year_raises(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(UnpublishedYearError, match="2027"):
        calendar.working_days_between(date(2026, 12, 1), date(2027, 1, 10))


def test_an_empty_calendar_knows_no_year() -> None:
    with pytest.raises(UnpublishedYearError, match="loaded years: none"):
        WorkingDayCalendar([]).is_working_day(date(2026, 1, 5))


def test_a_datetime_is_refused_where_a_date_is_expected(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(InputError, match="local_date"):
        calendar.is_working_day(datetime(2026, 2, 16, 9, 0, tzinfo=SHANGHAI))


def test_local_date_is_the_shanghai_calendar_date() -> None:
    assert local_date(datetime(2026, 2, 14, 16, 30, tzinfo=UTC)) == date(2026, 2, 15)
    assert local_date(datetime(2026, 2, 14, 15, 59, tzinfo=UTC)) == date(2026, 2, 14)
    assert local_date(datetime(2026, 2, 15, 0, 5, tzinfo=SHANGHAI)) == date(2026, 2, 15)


def test_local_date_refuses_a_naive_datetime() -> None:
    with pytest.raises(InputError, match="time zone"):
        local_date(datetime(2026, 2, 15, 0, 5))


VALID = """\
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知"

[[holiday]]
name = "元旦"
from = 2027-01-01
to = 2027-01-03

[[holiday]]
name = "春节"
from = 2027-02-05
to = 2027-02-11

[[adjusted_working_day]]
date = 2027-02-13
for = "春节"
"""


def test_a_valid_schedule_parses() -> None:
    schedule = parse_schedule(VALID, origin="2027.toml")
    assert schedule.year == 2027
    assert schedule.version == 1
    assert schedule.holidays[1] == HolidayPeriod("春节", date(2027, 2, 5), date(2027, 2, 11))
    assert schedule.adjusted_working_days == (date(2027, 2, 13),)
    assert schedule.reason_for(date(2027, 2, 13)) == "春节"
    assert date(2027, 2, 6) in schedule.days_off() and len(schedule.days_off()) == 10


def test_a_schedule_round_trips_through_toml() -> None:
    schedule = parse_schedule(VALID)
    assert parse_schedule(schedule.to_toml()) == schedule
    revised = YearSchedule(
        year=2027,
        holidays=(HolidayPeriod('名字 "带" 引号\\', date(2027, 5, 1), date(2027, 5, 5)),),
        adjusted_working_days=(date(2027, 5, 8),),
        source="line one\nline two",
        version=3,
    )
    assert parse_schedule(revised.to_toml()) == revised


def test_every_bundled_schedule_round_trips_through_toml() -> None:
    for schedule in builtin_schedules():
        assert parse_schedule(schedule.to_toml()) == schedule


def replace(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year = [", "not valid TOML"),
        (replace("year = 2027\n", ""), "'year' is missing"),
        (replace("year = 2027", 'year = "2027"'), "'year' must be an integer"),
        (replace('source = "国务院办公厅关于2027年部分节假日安排的通知"\n', ""), "'source' is missing"),
        (
            replace('source = "国务院办公厅关于2027年部分节假日安排的通知"', "source = 7"),
            "'source' must be a non-empty string",
        ),
        (replace("year = 2027", "year = 2027\nversion = 0"), "'version' must be a positive integer"),
        (
            replace("from = 2027-02-05", "from = 2026-12-31"),
            r"holiday\[1\] \(春节\)\.from 2026-12-31 is outside the stated year 2027",
        ),
        (replace("date = 2027-02-13", "date = 2028-02-13"), "outside the stated year 2027"),
        (replace("from = 2027-02-05", "from = 2027-02-12"), "from 2027-02-12 after to 2027-02-11"),
        (replace("date = 2027-02-13", "date = 2027-02-12"), "is a Friday"),
        (replace("date = 2027-02-13", "date = 2027-02-06"), r"lies inside holiday\[1\] \(春节"),
        (
            VALID + '\n[[adjusted_working_day]]\ndate = 2027-02-13\nfor = "春节"\n',
            r"adjusted_working_day\[1\] \(2027-02-13\) duplicates",
        ),
        (
            VALID + '\n[[holiday]]\nname = "春节"\nfrom = 2027-02-05\nto = 2027-02-11\n',
            r"holiday\[2\] \(春节\) duplicates holiday\[1\]",
        ),
        (VALID + '\n[[holiday]]\nname = "其他"\nfrom = 2027-02-10\nto = 2027-02-12\n', "overlaps"),
        (replace("from = 2027-02-05", 'from = "2027-02-05"'), r"holiday\[1\]\.from must be a date"),
        (replace("from = 2027-02-05", "from = 2027-02-05T00:00:00"), r"holiday\[1\]\.from must be a date"),
        (replace("to = 2027-02-11\n", ""), r"holiday\[1\]\.to is missing"),
        (replace('name = "春节"', 'name = ""'), r"holiday\[1\]\.name must be a non-empty string"),
        (replace("[[holiday]]", "[[holidays]]"), "unknown key 'holidays'"),
        (replace('for = "春节"', 'reason = "春节"'), r"unknown key 'reason' in adjusted_working_day\[0\]"),
    ],
)
def test_a_malformed_schedule_is_an_input_error_naming_the_problem(text: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected) as raised:
        parse_schedule(text, origin="upload/2027.toml")
    message = str(raised.value)
    assert message.startswith("upload/2027.toml: ")
    assert "\n" not in message
    assert "; " in message


def test_a_later_version_of_a_year_overrides_an_earlier_one() -> None:
    original = parse_schedule(VALID)
    revised = parse_schedule(
        replace("to = 2027-02-11", "to = 2027-02-12").replace("year = 2027", "year = 2027\nversion = 2")
    )
    calendar = WorkingDayCalendar([original, revised])
    assert calendar.schedule(2027).version == 2
    assert not calendar.is_working_day(date(2027, 2, 12))
    assert WorkingDayCalendar([revised, original]).schedule(2027).version == 2
    assert calendar.published_years == (2027,)


def test_a_later_schedule_with_the_same_version_does_not_override() -> None:
    original = parse_schedule(VALID)
    same_version = parse_schedule(replace("to = 2027-02-11", "to = 2027-02-12"))
    assert WorkingDayCalendar([original, same_version]).is_working_day(date(2027, 2, 12))


def test_an_imported_year_extends_the_builtin_calendar() -> None:
    calendar = WorkingDayCalendar([*builtin_schedules(), parse_schedule(VALID)])
    assert calendar.published_years[-1] == 2027
    assert calendar.add_working_days(date(2026, 12, 25), 10) == date(2027, 1, 11)
