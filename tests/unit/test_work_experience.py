"""The work-experience counter and guard (Q&A Q33, Q37): overlaps once, undergraduate practice never,
postgraduate practice only where the society recognizes it, and the society's years per level on both
sides of the threshold; a field with no years set is not checked."""

from __future__ import annotations

from datetime import date

import pytest

from capeval.states.errors import InputError
from capeval.states.guards import WORK_EXPERIENCE, ApplicationFacts
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy
from capeval.states.work_experience import (
    ExperiencePeriod,
    ExperienceRule,
    ExperienceStanding,
    PracticeStage,
    checked_period,
    checked_years,
    count_experience,
)

TODAY = date(2026, 1, 5)


def period(starts: str, ends: str | None, stage: PracticeStage = PracticeStage.EMPLOYMENT) -> ExperiencePeriod:
    return ExperiencePeriod(
        date.fromisoformat(starts), date.fromisoformat(ends) if ends else None, "某设计院", "工程师", stage
    )


def days(*periods: ExperiencePeriod, recognized: bool | None = None) -> int:
    return count_experience(periods, postgraduate_counts=recognized, today=TODAY).days


def test_one_period_counts_both_its_days() -> None:
    assert days(period("2025-01-01", "2025-01-10")) == 10


def test_overlapping_periods_count_each_day_once() -> None:
    assert days(period("2025-01-01", "2025-01-10"), period("2025-01-05", "2025-01-20")) == 20
    assert days(period("2025-01-01", "2025-01-31"), period("2025-01-10", "2025-01-12")) == 31


def test_adjacent_and_separate_periods_add_up() -> None:
    assert days(period("2025-01-01", "2025-01-10"), period("2025-01-11", "2025-01-20")) == 20
    assert days(period("2025-01-01", "2025-01-10"), period("2025-02-01", "2025-02-10")) == 20


def test_undergraduate_practice_never_counts_even_when_postgraduate_practice_is_recognized() -> None:
    undergraduate = period("2024-01-01", "2024-12-31", PracticeStage.UNDERGRADUATE)
    counted = count_experience([undergraduate], postgraduate_counts=True, today=TODAY)
    assert counted.days == 0
    assert counted.excluded == ((undergraduate, "experience_undergraduate"),)


@pytest.mark.parametrize("stage", [PracticeStage.MASTER, PracticeStage.DOCTORATE])
def test_postgraduate_practice_counts_only_where_the_society_recognizes_it(stage: PracticeStage) -> None:
    study = period("2025-01-01", "2025-01-10", stage)
    assert days(study, recognized=True) == 10
    assert days(study, recognized=False) == 0
    assert days(study, recognized=None) == 0


def test_an_open_period_counts_up_to_today() -> None:
    assert days(period("2026-01-01", None)) == 5


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InputError, match=r"experience\[0\]: the period ends on 2025-01-01, before it starts"):
        checked_period(period("2025-01-02", "2025-01-01"), TODAY, "experience[0]")
    assert checked_period(period("2025-01-01", "2025-01-01"), TODAY, "e").starts_on == date(2025, 1, 1)


def test_a_period_in_the_future_is_refused_and_one_ending_today_is_not() -> None:
    with pytest.raises(InputError, match="reaches 2026-01-06, after today"):
        checked_period(period("2025-01-01", "2026-01-06"), TODAY, "e")
    with pytest.raises(InputError, match="reaches 2026-02-01, after today"):
        checked_period(period("2026-02-01", None), TODAY, "e")
    assert checked_period(period("2025-01-01", "2026-01-05"), TODAY, "e").ends_on == TODAY


def test_a_period_without_employer_or_role_is_refused() -> None:
    with pytest.raises(InputError, match="has no employer"):
        checked_period(ExperiencePeriod(date(2025, 1, 1), None, " ", "工程师"), TODAY, "e")
    with pytest.raises(InputError, match="has no role"):
        checked_period(ExperiencePeriod(date(2025, 1, 1), None, "某院", ""), TODAY, "e")


def test_years_of_a_rule_are_whole_numbers_from_0_to_60() -> None:
    assert checked_years(None, "w", "k") is None
    assert checked_years(60, "w", "k") == 60
    for bad in (61, -1, 2.5, True, "5"):
        with pytest.raises(InputError, match="is not a whole number of years"):
            checked_years(bad, "w", "k")


def facts(standing: ExperienceStanding | None, level: Level = Level.PROFESSIONAL) -> ApplicationFacts:
    return ApplicationFacts(Route.STANDARD, level, "electrical", "CES", TODAY, experience_standing=standing)


def rule(professional: int | None, recognized: bool | None = None) -> ExperienceRule:
    return ExperienceRule({Level.APPRENTICE: None, Level.PROFESSIONAL: professional, Level.SENIOR: None}, recognized)


def test_the_guard_passes_at_exactly_the_years_required_and_refuses_a_day_short() -> None:
    two_years = 2 * PipelinePolicy().experience_days_per_year
    exact = period("2024-01-06", "2026-01-05")  # 731 days with the leap day of 2024
    assert days(exact) == 731 >= two_years
    short = period("2024-01-06", "2025-01-04")
    assert WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(2), (exact,)))) is None
    start = date(2026, 1, 5).toordinal() - two_years + 1
    at_threshold = ExperiencePeriod(date.fromordinal(start), TODAY, "某院", "工程师")
    one_short = ExperiencePeriod(date.fromordinal(start + 1), TODAY, "某院", "工程师")
    assert days(at_threshold) == two_years and days(one_short) == two_years - 1
    assert WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(2), (at_threshold,)))) is None
    problem = WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(2), (one_short,))))
    assert problem is not None and problem.code == "guard_work_experience_short"
    assert "requires 2 years for the professional level" in problem.text()
    assert "1 days short" in problem.text()
    assert WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(2), (short,)))) is not None


def test_the_guard_is_silent_when_the_field_sets_no_years_for_the_level() -> None:
    assert WORK_EXPERIENCE.problem(facts(None)) is None
    assert WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(None), ()))) is None
    assert WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(5), ()), Level.SENIOR)) is None


def test_postgraduate_practice_meets_the_rule_only_where_recognized() -> None:
    master = period("2024-01-01", "2025-12-31", PracticeStage.MASTER)
    assert WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(1, recognized=True), (master,)))) is None
    refused = WORK_EXPERIENCE.problem(facts(ExperienceStanding(rule(1, recognized=False), (master,))))
    assert refused is not None and "periods left out: 1" in refused.text()
