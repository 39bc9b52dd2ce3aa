"""Holiday schedules in the database: the bundled years, administrator imports, every version kept."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from capeval.models import CalendarSchedule
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.calendar import WorkingDayCalendar, YearSchedule, builtin_schedules, parse_schedule
from capeval.states.calendar_estimate import estimated_schedule

if TYPE_CHECKING:
    from .runtime import Runtime

BUNDLED_LOADER = "capeval (bundled schedule)"


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    year: int
    version: int
    source: str
    unchanged: bool
    reprojected: int = 0
    """Provisional deadlines, review tasks and governance step deadlines recomputed with the imported schedule."""
    moved: int = 0
    """Of those, how many got a later date."""
    still_provisional: int = 0


def load(uow: UnitOfWork, *, years_ahead: int = 0) -> WorkingDayCalendar:
    """The calendar from the newest stored version of every year; the `years_ahead` years after the last
    stored one are answered provisionally from their estimated schedule."""
    schedules = [
        replace(parse_schedule(row.content, origin=f"stored schedule {row.year} v{row.version}"), version=row.version)
        for row in uow.calendar.latest()
    ]
    return WorkingDayCalendar(schedules, estimate=estimated_schedule, estimate_years_ahead=years_ahead)


def store_bundled_years(uow: UnitOfWork, now: datetime) -> int:
    """Store every bundled year that the database does not have yet; returns how many were added."""
    stored = {row.year for row in uow.calendar.latest()}
    added = 0
    for schedule in builtin_schedules():
        if schedule.year not in stored:
            uow.calendar.add(_row(schedule, 1, BUNDLED_LOADER, now))
            added += 1
    return added


def import_schedule(uow: UnitOfWork, text: str, *, origin: str, loaded_by: str, now: datetime) -> ImportResult:
    """Validate and store a newly published schedule as the next version of its year.

    Importing the same content again stores nothing and says so.
    """
    schedule = parse_schedule(text, origin=origin)
    versions = uow.calendar.versions(schedule.year)
    if versions and _same_days(parse_schedule(versions[-1].content, origin="stored schedule"), schedule):
        return ImportResult(schedule.year, versions[-1].version, versions[-1].source, unchanged=True)
    version = versions[-1].version + 1 if versions else 1
    uow.calendar.add(_row(schedule, version, loaded_by, now))
    return ImportResult(schedule.year, version, schedule.source, unchanged=False)


def store_schedule(runtime: Runtime, text: str, *, origin: str, loaded_by: str) -> ImportResult:
    """`import_schedule` and the re-projection of every provisional deadline, in one transaction."""
    from . import deadlines  # the deadlines need the runtime, which loads calendars from here
    from .governance_steps import reproject_steps

    with runtime.unit_of_work() as uow:
        result = import_schedule(uow, text, origin=origin, loaded_by=loaded_by, now=runtime.clock.now())
        if not result.unchanged:
            uow.flush()
            calendar = load(uow, years_ahead=runtime.policy.provisional_years_ahead)
            occasion = f"calendar-{result.year}-v{result.version}"
            done = deadlines.reproject(uow, runtime, calendar, occasion)
            steps = reproject_steps(uow, runtime, calendar, occasion)
            result = replace(
                result,
                reprojected=done.reprojected + steps.reprojected,
                moved=done.moved + steps.moved,
                still_provisional=done.still_provisional + steps.still_provisional,
            )
        uow.commit()
    return result


@dataclass(frozen=True)
class MissingYear:
    """Next year's schedule is not loaded and the warning date has come."""

    year: int
    warn_from: date


def missing_next_year(calendar: WorkingDayCalendar, today: date, warn_from: str) -> MissingYear | None:
    """The warning administrators get from `warn_from` (MM-DD) on while next year has no schedule."""
    month, day = (int(part) for part in warn_from.split("-"))
    leap = today.year % 4 == 0 and (today.year % 100 != 0 or today.year % 400 == 0)
    start = date(today.year, month, 28 if (month, day) == (2, 29) and not leap else day)
    following = today.year + 1
    if today < start or following in calendar.published_years:
        return None
    return MissingYear(following, start)


def _same_days(first: YearSchedule, second: YearSchedule) -> bool:
    return first.days_off() == second.days_off() and set(first.adjusted_working_days) == set(
        second.adjusted_working_days
    )


def _row(schedule: YearSchedule, version: int, loaded_by: str, now: datetime) -> CalendarSchedule:
    return CalendarSchedule(
        year=schedule.year,
        version=version,
        source=schedule.source,
        content=schedule.to_toml(),
        loaded_by=loaded_by,
        loaded_at=now,
    )
