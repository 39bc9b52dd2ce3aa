"""Professional work experience on an application (专业工作经历, Q&A Q33, Q37) and the society's field rule.

Each period names its days, the employer, the role, and when in life it was: in employment, or practice
during undergraduate (本科及以下), master's or doctoral study. The counter merges the periods (a day worked
in two periods at once counts once), drops undergraduate practice always (Q37), and keeps master's and
doctoral practice only where the society recognizes it for the field (Q33: 获授权学会…判断是否予以认定).

The years each level requires are the society's field rule; the sources give none, so a field with no
years set for a level is not checked at all (no default is invented).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import InputError, Problem
from .levels import Level

EMPLOYER_MAX, ROLE_MAX = 200, 100
MOST_YEARS = 60
"""The most years of experience a field may require: more is a typo, not a rule."""


class PracticeStage(StrEnum):
    """When the practice took place (Q&A Q33, Q37)."""

    EMPLOYMENT = "employment"
    UNDERGRADUATE = "undergraduate"
    MASTER = "master"
    DOCTORATE = "doctorate"


POSTGRADUATE = frozenset({PracticeStage.MASTER, PracticeStage.DOCTORATE})


@dataclass(frozen=True)
class ExperiencePeriod:
    """One period of practice: from `starts_on` through `ends_on` (None: up to today), both days included."""

    starts_on: date
    ends_on: date | None
    employer: str
    role: str
    stage: PracticeStage = PracticeStage.EMPLOYMENT


@dataclass(frozen=True)
class ExperienceRule:
    """A society's rule of work experience for one field: years required per level (None: not set, so not
    checked) and whether master's or doctoral practice is recognized (None counts as not recognized)."""

    years: Mapping[Level, int | None]
    postgraduate_counts: bool | None = None

    def years_for(self, level: Level) -> int | None:
        return self.years.get(level)


@dataclass(frozen=True)
class CountedExperience:
    """What the counter kept: the days counted and the periods left out, with why."""

    days: int
    excluded: tuple[tuple[ExperiencePeriod, str], ...] = ()

    def years(self, days_per_year: int) -> float:
        """The counted days as years, rounded down to one decimal."""
        return int(self.days * 10 / days_per_year) / 10


def checked_period(period: ExperiencePeriod, today: date, where: str) -> ExperiencePeriod:
    """`period` as given, or an InputError naming `where` when it ends before it starts, lies (partly) in the
    future, or has no employer or role."""
    if period.ends_on is not None and period.ends_on < period.starts_on:
        raise InputError("experience_days_reversed", where=where, starts_on=period.starts_on, ends_on=period.ends_on)
    last = period.ends_on or period.starts_on
    if period.starts_on > today or last > today:
        raise InputError("experience_in_future", where=where, day=max(period.starts_on, last), today=today)
    employer, role = period.employer.strip(), period.role.strip()
    if not employer or not role:
        raise InputError("experience_unnamed", where=where, key="employer" if not employer else "role")
    if len(employer) > EMPLOYER_MAX or len(role) > ROLE_MAX:
        key, limit = ("employer", EMPLOYER_MAX) if len(employer) > EMPLOYER_MAX else ("role", ROLE_MAX)
        raise InputError("experience_text_too_long", where=where, key=key, limit=limit)
    return ExperiencePeriod(period.starts_on, period.ends_on, employer, role, period.stage)


def count_experience(
    periods: Iterable[ExperiencePeriod], *, postgraduate_counts: bool | None, today: date
) -> CountedExperience:
    """The days of professional work experience in `periods`: overlaps counted once, undergraduate practice
    never (Q&A Q37), master's and doctoral practice only when the society recognizes it (Q&A Q33); an open
    period counts up to `today`, and no day after `today` counts."""
    kept: list[tuple[date, date]] = []
    excluded: list[tuple[ExperiencePeriod, str]] = []
    for period in periods:
        if period.stage is PracticeStage.UNDERGRADUATE:
            excluded.append((period, "experience_undergraduate"))
            continue
        if period.stage in POSTGRADUATE and not postgraduate_counts:
            excluded.append((period, "experience_postgraduate_unrecognized"))
            continue
        end = min(period.ends_on or today, today)
        if end >= period.starts_on:
            kept.append((period.starts_on, end))
    return CountedExperience(_union_days(kept), tuple(excluded))


def _union_days(spans: list[tuple[date, date]]) -> int:
    total = 0
    current: tuple[date, date] | None = None
    for start, end in sorted(spans):
        if current is not None and start <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            total += (current[1] - current[0]).days + 1
        current = (start, end)
    if current is not None:
        total += (current[1] - current[0]).days + 1
    return total


@dataclass(frozen=True)
class ExperienceStanding:
    """What the work-experience guard reads about a case: the field's rule and the application's periods."""

    rule: ExperienceRule
    periods: tuple[ExperiencePeriod, ...] = ()


def experience_problem(
    standing: ExperienceStanding | None, level: Level, today: date, days_per_year: int
) -> Problem | None:
    """Why the application's counted experience is short of the years its field requires for `level`, or
    None (also when the field sets no years for the level)."""
    if standing is None:
        return None
    required = standing.rule.years_for(level)
    if required is None:
        return None
    counted = count_experience(standing.periods, postgraduate_counts=standing.rule.postgraduate_counts, today=today)
    if counted.days >= required * days_per_year:
        return None
    left_out = sum(1 for _ in counted.excluded)
    return Problem(
        "guard_work_experience_short",
        {
            "counted": counted.years(days_per_year),
            "days": counted.days,
            "required": required,
            "level": level.value,
            "short_days": required * days_per_year - counted.days,
            "left_out": left_out,
        },
    )


def checked_years(value: object, where: str, key: str) -> int | None:
    """A number of years a field requires (0 to MOST_YEARS), None when not given."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST_YEARS:
        raise InputError("experience_years_invalid", where=where, key=key, value=repr(value), most=MOST_YEARS)
    return value


def describe_rules() -> list[dict[str, object]]:
    """The work-experience rules as `capeval rules list` shows them, each with its source."""
    return [
        {
            "rule": "work_experience_years",
            "value": "the society's field rule per level (society load, [[experience]]); unset: not checked",
            "default": None,
            "source": "Q&A Q33, Q37; sources silent on the years: none invented, each society sets its own",
            "meaning": "years of counted professional work experience a submission needs for the level",
        },
        {
            "rule": "postgraduate_practice_counts",
            "value": "the society's field rule (postgraduate_practice_counts); unset: not recognized",
            "default": None,
            "source": "Q&A Q33 (获授权学会…判断是否予以认定), Q37",
            "meaning": "practice during a master's or doctorate counts as work experience",
        },
        {
            "rule": "undergraduate_practice_counts",
            "value": False,
            "default": False,
            "source": "Q&A Q37 (本科及以下期间的实践经历不能视为专业工作经历)",
            "meaning": "practice during undergraduate study (or below) never counts as work experience",
        },
        {
            "rule": "work_experience_overlap",
            "value": "counted once",
            "default": "counted once",
            "source": "sources silent: default chosen because a day of practice is one day however many posts "
            "it was spent in",
            "meaning": "overlapping periods count each day once; periods in the future or ending before they "
            "start are refused",
        },
    ]
