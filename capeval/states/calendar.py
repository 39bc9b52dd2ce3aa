"""The PRC official working-day calendar.

Each year's arrangement is published by the State Council (国务院办公厅关于YYYY年部分节假日安排的通知):
statutory holiday periods, during which every day is off, and Saturdays or Sundays declared working
days (调休). A Monday-Friday is a working day unless it lies inside a holiday period; a Saturday or
Sunday is a day off unless it is an adjusted working day. A year without a loaded schedule has no
answer: the calendar raises UnpublishedYearError instead of guessing.

Schedules are stored one TOML file per calendar year (see `parse_schedule` for the format). A date
always belongs to the file of its own calendar year, even when the notice of the following year
announced it (for example 2022-12-31, a day of the 2023 New Year holiday, is in 2022.toml).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from .errors import InputError, UnpublishedYearError
from .messages import Term

__all__ = [
    "SHANGHAI",
    "HolidayPeriod",
    "Projection",
    "WorkingDayCalendar",
    "YearSchedule",
    "builtin_schedules",
    "local_date",
    "parse_schedule",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TOP_KEYS = ("year", "source", "version", "holiday", "adjusted_working_day")
_HOLIDAY_KEYS = ("name", "from", "to")
_ADJUSTED_KEYS = ("date", "for")


@dataclass(frozen=True)
class HolidayPeriod:
    """A statutory holiday period: every day from `first` to `last` inclusive is a day off."""

    name: str
    first: date
    last: date

    def days(self) -> Iterator[date]:
        """Every date of the period, in order."""
        day = self.first
        while day <= self.last:
            yield day
            day += _ONE_DAY

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and not isinstance(day, datetime) and self.first <= day <= self.last


@dataclass(frozen=True)
class YearSchedule:
    """The holiday arrangement of one calendar year.

    `holidays` are the statutory holiday periods, `adjusted_working_days` the Saturdays and Sundays
    declared working days; `adjusted_for` optionally names, per adjusted working day, the holiday it
    compensates. A schedule with a higher `version` replaces a lower one for the same year.
    Construction validates the schedule (raising InputError) and sorts the entries by date.
    """

    year: int
    holidays: tuple[HolidayPeriod, ...]
    adjusted_working_days: tuple[date, ...]
    source: str
    version: int = 1
    adjusted_for: tuple[tuple[date, str], ...] = field(default=())

    def __post_init__(self) -> None:
        _check_schedule(
            self.year,
            list(self.holidays),
            list(self.adjusted_working_days),
            list(self.adjusted_for),
            origin=f"schedule for {self.year}",
        )
        object.__setattr__(self, "holidays", tuple(sorted(self.holidays, key=lambda p: (p.first, p.last))))
        object.__setattr__(self, "adjusted_working_days", tuple(sorted(self.adjusted_working_days)))
        object.__setattr__(self, "adjusted_for", tuple(sorted(self.adjusted_for)))

    def days_off(self) -> frozenset[date]:
        """Every date inside one of the holiday periods (weekend days inside a period included)."""
        return frozenset(day for period in self.holidays for day in period.days())

    def reason_for(self, day: date) -> str | None:
        """The holiday an adjusted working day compensates, if the schedule names it."""
        return dict(self.adjusted_for).get(day)

    def to_toml(self) -> str:
        """The schedule in the TOML format read by `parse_schedule`; the two round-trip."""
        lines = [f"year = {self.year}", f"source = {_toml_string(self.source)}"]
        if self.version != 1:
            lines.append(f"version = {self.version}")
        for period in self.holidays:
            lines += [
                "",
                "[[holiday]]",
                f"name = {_toml_string(period.name)}",
                f"from = {period.first.isoformat()}",
                f"to = {period.last.isoformat()}",
            ]
        reasons = dict(self.adjusted_for)
        for day in self.adjusted_working_days:
            lines += ["", "[[adjusted_working_day]]", f"date = {day.isoformat()}"]
            if day in reasons:
                lines.append(f"for = {_toml_string(reasons[day])}")
        return "\n".join(lines) + "\n"


def parse_schedule(text: str, *, origin: str = "<text>") -> YearSchedule:
    """Parse and strictly validate one year's schedule written in TOML.

    The format::

        year = 2026
        source = "国务院办公厅关于2026年部分节假日安排的通知"
        version = 1                      # optional, default 1; a higher version replaces a lower one
        [[holiday]]
        name = "春节"
        from = 2026-02-15
        to = 2026-02-23
        [[adjusted_working_day]]
        date = 2026-02-14
        for = "春节"                     # optional

    Raises InputError with a one-line message naming `origin`, the field and the fix.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("calendar_invalid_toml", origin=origin, detail=str(exc)) from None
    _reject_unknown_keys(data, _TOP_KEYS, origin, "the top level")

    year = data.get("year")
    if year is None:
        raise InputError("calendar_year_missing", origin=origin)
    if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
        raise InputError("calendar_year_invalid", origin=origin, got=repr(year))
    source = data.get("source")
    if source is None:
        raise InputError("calendar_source_missing", origin=origin)
    if not isinstance(source, str) or not source.strip():
        raise InputError("calendar_source_invalid", origin=origin, got=repr(source))
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError("calendar_version_invalid", origin=origin, got=repr(version))

    holidays = [
        _parse_holiday(entry, index, origin) for index, entry in enumerate(_table_array(data, "holiday", origin))
    ]
    adjusted: list[date] = []
    reasons: list[tuple[date, str]] = []
    for index, entry in enumerate(_table_array(data, "adjusted_working_day", origin)):
        where = f"adjusted_working_day[{index}]"
        _reject_unknown_keys(entry, _ADJUSTED_KEYS, origin, where)
        day = _date_field(entry, "date", where, origin)
        adjusted.append(day)
        if "for" in entry:
            reason = entry["for"]
            if not isinstance(reason, str) or not reason.strip():
                raise InputError("calendar_adjusted_for_invalid", origin=origin, where=where, got=repr(reason))
            reasons.append((day, reason))

    _check_schedule(year, holidays, adjusted, reasons, origin=origin)
    return YearSchedule(
        year=year,
        holidays=tuple(holidays),
        adjusted_working_days=tuple(adjusted),
        source=source,
        version=version,
        adjusted_for=tuple(reasons),
    )


def builtin_schedules() -> list[YearSchedule]:
    """The schedules bundled with capeval (package `capeval.states`, folder `calendar_data`), by year."""
    return list(_load_builtin())


@lru_cache(maxsize=1)
def _load_builtin() -> tuple[YearSchedule, ...]:
    folder = resources.files("capeval.states").joinpath("calendar_data")
    schedules = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        origin = f"capeval.states/calendar_data/{entry.name}"
        schedule = parse_schedule(entry.read_text(encoding="utf-8"), origin=origin)
        if entry.name != f"{schedule.year}.toml":
            raise InputError("calendar_file_misnamed", origin=origin, year=schedule.year)
        schedules.append(schedule)
    return tuple(schedules)


@dataclass(frozen=True)
class Projection:
    """A computed date and what it rests on: `provisional` when a year it spans had only an estimate."""

    day: date
    provisional: bool = False
    basis: str = ""


class WorkingDayCalendar:
    """Answers working-day questions from a set of yearly schedules.

    When two schedules cover the same year, the later one in `schedules` replaces the earlier one
    only if its version is higher. Every question about a date in a year without a schedule raises
    UnpublishedYearError, except that with an `estimate` the `estimate_years_ahead` years after the last
    published one are answered from their estimated schedule (see `project`, which says so).
    """

    def __init__(
        self,
        schedules: Iterable[YearSchedule],
        *,
        estimate: Callable[[int], YearSchedule] | None = None,
        estimate_years_ahead: int = 0,
    ) -> None:
        chosen: dict[int, YearSchedule] = {}
        for schedule in schedules:
            current = chosen.get(schedule.year)
            if current is None or schedule.version > current.version:
                chosen[schedule.year] = schedule
        self._schedules = dict(sorted(chosen.items()))
        self._years = frozenset(chosen)
        self._published = tuple(self._schedules)
        self._days_off = set(day for schedule in chosen.values() for day in schedule.days_off())
        self._adjusted = frozenset(day for schedule in chosen.values() for day in schedule.adjusted_working_days)
        last = max(chosen) if chosen and estimate is not None else 0
        self._estimable = frozenset(range(last + 1, last + 1 + estimate_years_ahead)) if last else frozenset()
        self._estimate = estimate
        self._estimated: dict[int, YearSchedule] = {}

    @classmethod
    def builtin(cls) -> WorkingDayCalendar:
        """A calendar of the schedules bundled with capeval."""
        return cls(_load_builtin())

    @property
    def published_years(self) -> tuple[int, ...]:
        """The years with a loaded schedule, ascending."""
        return self._published

    @property
    def estimable_years(self) -> tuple[int, ...]:
        """The unpublished years answered provisionally from an estimate, ascending."""
        return tuple(sorted(self._estimable))

    def is_provisional(self, year: int) -> bool:
        """Whether questions about `year` are answered from an estimate rather than a published schedule."""
        return year in self._estimable

    def project(self, start: date, count: int) -> Projection:
        """`add_working_days(start, count)` with what the date rests on.

        The date is provisional when any year from `start` to it has only an estimated schedule; its basis
        then names the estimate and those years.
        """
        day = self.add_working_days(start, count)
        years = [year for year in range(start.year, day.year + 1) if year in self._estimable]
        if not years:
            return Projection(day)
        basis = self.estimated_schedule(years[0]).source
        return Projection(day, True, f"{basis}; {', '.join(str(y) for y in years)}")

    def estimated_schedule(self, year: int) -> YearSchedule:
        """The estimated schedule of an estimable `year` (made once)."""
        if year not in self._estimable or self._estimate is None:
            raise UnpublishedYearError(year, self._published)
        if year not in self._estimated:
            estimated = self._estimate(year)
            self._estimated[year] = estimated
            self._days_off.update(estimated.days_off())
        return self._estimated[year]

    def schedule(self, year: int) -> YearSchedule:
        """The published schedule in force for `year`; UnpublishedYearError if none is loaded."""
        if year not in self._years:
            raise UnpublishedYearError(year, self._published)
        return self._schedules[year]

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is an official working day."""
        _require_date(day, "day")
        self._require_year(day.year)
        return self._works(day)

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day strictly after `start`; `start` itself when `count` is 0.

        Raises InputError for a negative count and UnpublishedYearError when `start` or any day the
        walk reaches lies in a year without a schedule.
        """
        _require_date(start, "start")
        if not isinstance(count, int) or isinstance(count, bool):
            raise InputError("calendar_count_not_integer", got=repr(count))
        if count < 0:
            raise InputError("calendar_count_negative", count=count)
        self._require_year(start.year)
        day = start
        year = start.year
        remaining = count
        while remaining:
            day += _ONE_DAY
            if day.year != year:
                year = day.year
                self._require_year(year)
            if self._works(day):
                remaining -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d satisfy start < d <= end (0 when end <= start).

        Every year from `start` to `end` must have a schedule, otherwise UnpublishedYearError.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        for year in range(start.year, max(start.year, end.year) + 1):
            self._require_year(year)
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self._works(day):
                count += 1
            day += _ONE_DAY
        return count

    def _works(self, day: date) -> bool:
        if day.weekday() >= _SATURDAY:
            return day in self._adjusted
        return day not in self._days_off

    def _require_year(self, year: int) -> None:
        if year in self._years:
            return
        if year in self._estimable:
            self.estimated_schedule(year)
            return
        raise UnpublishedYearError(year, self._published)


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime; a naive datetime raises InputError."""
    if not isinstance(moment, datetime):
        raise InputError("calendar_not_datetime", kind=type(moment).__name__, got=repr(moment))
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError("calendar_naive_datetime", moment=moment.isoformat())
    return moment.astimezone(SHANGHAI).date()


def _require_date(value: object, name: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InputError("calendar_not_date", name=name, kind=type(value).__name__, got=repr(value))


def _reject_unknown_keys(table: dict[str, Any], allowed: Sequence[str], origin: str, where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise InputError(
            "calendar_unknown_key",
            origin=origin,
            keys=[repr(key) for key in unknown],
            where=where,
            allowed=list(allowed),
        )


def _table_array(data: dict[str, Any], key: str, origin: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InputError("calendar_not_table_array", origin=origin, key=key)
    return value


def _parse_holiday(entry: dict[str, Any], index: int, origin: str) -> HolidayPeriod:
    where = f"holiday[{index}]"
    _reject_unknown_keys(entry, _HOLIDAY_KEYS, origin, where)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("calendar_holiday_name_invalid", origin=origin, where=where, got=repr(name))
    return HolidayPeriod(
        name=name,
        first=_date_field(entry, "from", where, origin),
        last=_date_field(entry, "to", where, origin),
    )


def _date_field(entry: dict[str, Any], key: str, where: str, origin: str) -> date:
    if key not in entry:
        raise InputError("calendar_date_missing", origin=origin, where=where, key=key)
    value = entry[key]
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InputError("calendar_date_invalid", origin=origin, where=where, key=key, got=repr(value))
    return value


def _check_schedule(
    year: int,
    holidays: list[HolidayPeriod],
    adjusted: list[date],
    reasons: list[tuple[date, str]],
    *,
    origin: str,
) -> None:
    seen_periods: dict[tuple[date, date], int] = {}
    for index, period in enumerate(holidays):
        where = f"holiday[{index}] ({period.name})"
        for key, day in (("from", period.first), ("to", period.last)):
            if day.year != year:
                raise InputError(
                    "calendar_holiday_outside_year",
                    origin=origin,
                    where=where,
                    key=key,
                    day=day,
                    year=year,
                    other=day.year,
                )
        if period.first > period.last:
            raise InputError(
                "calendar_holiday_reversed", origin=origin, where=where, first=period.first, last=period.last
            )
        span = (period.first, period.last)
        if span in seen_periods:
            raise InputError(
                "calendar_holiday_duplicate",
                origin=origin,
                where=where,
                other=seen_periods[span],
                first=period.first,
                last=period.last,
            )
        seen_periods[span] = index
    ordered = sorted(range(len(holidays)), key=lambda i: (holidays[i].first, holidays[i].last))
    for before, after in zip(ordered, ordered[1:]):
        if holidays[after].first <= holidays[before].last:
            raise InputError(
                "calendar_holiday_overlap",
                origin=origin,
                later=after,
                later_name=holidays[after].name,
                earlier=before,
                earlier_name=holidays[before].name,
            )

    seen_days: dict[date, int] = {}
    for index, day in enumerate(adjusted):
        where = f"adjusted_working_day[{index}] ({day})"
        if day.year != year:
            raise InputError("calendar_adjusted_outside_year", origin=origin, where=where, year=year, other=day.year)
        if day.weekday() < _SATURDAY:
            raise InputError(
                "calendar_adjusted_weekday",
                origin=origin,
                where=where,
                weekday=Term(f"weekday_{_WEEKDAYS[day.weekday()]}"),
            )
        if day in seen_days:
            raise InputError("calendar_adjusted_duplicate", origin=origin, where=where, other=seen_days[day])
        seen_days[day] = index
        for period_index, period in enumerate(holidays):
            if day in period:
                raise InputError(
                    "calendar_adjusted_in_holiday",
                    origin=origin,
                    where=where,
                    index=period_index,
                    name=period.name,
                    first=period.first,
                    last=period.last,
                )

    explained: set[date] = set()
    for day, _ in reasons:
        if day not in seen_days:
            raise InputError("calendar_reason_without_day", origin=origin, day=day)
        if day in explained:
            raise InputError("calendar_reason_twice", origin=origin, day=day)
        explained.add(day)


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char == "\\":
            escaped.append("\\\\")
        elif char == '"':
            escaped.append('\\"')
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
