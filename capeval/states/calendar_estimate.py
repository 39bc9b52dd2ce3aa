"""A provisional schedule for a year whose State Council notice is not published yet.

The estimate is weekends plus the statutory holidays of 《全国年节及纪念日放假办法》 on their dates by rule
(the lunar festivals — Spring Festival, Qingming, Dragon Boat, Mid-Autumn — from the lunar calendar of the
`holidays` package, with a day off in lieu when a holiday falls on a weekend), and no adjusted working days
(调休), which only the notice can declare. Every deadline computed with it is provisional and names this
basis; importing the published schedule re-projects it.
"""

from __future__ import annotations

from datetime import timedelta

from .calendar import HolidayPeriod, YearSchedule

__all__ = ["ESTIMATE_BASIS", "estimated_schedule"]

ESTIMATE_BASIS = "estimated: weekends + statutory holidays by rule (holidays 0.108, China), no adjusted working days"
"""What a provisional date rests on; stored with every provisional deadline."""

_ONE_DAY = timedelta(days=1)
_IN_LIEU = "（补假）"
_PART_OF = {"农历除夕": "春节"}
"""Since 2025 the Spring Festival holiday includes the lunar New Year's Eve (办法 art. 2 as amended)."""


def estimated_schedule(year: int) -> YearSchedule:
    """The estimated schedule of `year`: its statutory holidays grouped into periods of consecutive days off."""
    from holidays.countries.china import China  # about 0.2 s to import: only when a year is estimated

    days = sorted(China(years=year, language="zh_CN").items())  # type: ignore[no-untyped-call]
    periods: list[HolidayPeriod] = []
    for day, name in days:
        if day.year != year:
            continue
        label = _name(str(name))
        if periods and periods[-1].last + _ONE_DAY == day:
            last = periods[-1]
            periods[-1] = HolidayPeriod(last.name, last.first, day)
        else:
            periods.append(HolidayPeriod(label, day, day))
    return YearSchedule(year=year, holidays=tuple(periods), adjusted_working_days=(), source=ESTIMATE_BASIS)


def _name(name: str) -> str:
    first = name.split(";")[0].strip().removesuffix(_IN_LIEU)
    return _PART_OF.get(first, first)
