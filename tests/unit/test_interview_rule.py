"""The interview pass rule (Q&A Q17) on both sides of every threshold, score sheets and durations (Q16)."""

from __future__ import annotations

import pytest

from capeval.states.errors import InputError
from capeval.states.interview import Durations, check_scores, judge, parse_scores
from capeval.states.levels import Level
from capeval.states.review_policy import ReviewPolicy

POLICY = ReviewPolicy()


def sheet(knowledge: int = 25, ethics: int = 15, teamwork: int = 10, learning: int = 10, leadership: int = 10) -> dict:
    return {
        "knowledge": knowledge,
        "ethics": ethics,
        "teamwork": teamwork,
        "learning": learning,
        "leadership": leadership,
    }


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize(("leadership", "passed"), [(6, True), (5, False)])
def test_total_of_sixty_passes_and_fifty_nine_fails(level: Level, leadership: int, passed: bool) -> None:
    result = judge(level, sheet(teamwork=7, learning=7, leadership=leadership), POLICY)
    assert result.total == 54 + leadership
    assert result.passed is passed
    assert passed or "total 59 is below 60" in result.reason


@pytest.mark.parametrize(
    ("level", "knowledge", "passed"),
    [
        (Level.PROFESSIONAL, 21, True),
        (Level.PROFESSIONAL, 20, False),
        (Level.SENIOR, 18, True),
        (Level.SENIOR, 17, False),
        (Level.APPRENTICE, 5, True),
    ],
)
def test_engineering_knowledge_minimum_depends_on_level(level: Level, knowledge: int, passed: bool) -> None:
    result = judge(level, sheet(knowledge=knowledge, teamwork=15, learning=15, leadership=20), POLICY)
    assert result.total >= 60
    assert result.passed is passed
    assert passed or "engineering knowledge" in result.reason


@pytest.mark.parametrize(
    ("level", "ethics", "passed"),
    [
        (Level.PROFESSIONAL, 12, True),
        (Level.PROFESSIONAL, 11, False),
        (Level.SENIOR, 12, True),
        (Level.SENIOR, 11, False),
        (Level.APPRENTICE, 0, True),
    ],
)
def test_ethics_minimum_applies_to_professional_and_senior_only(level: Level, ethics: int, passed: bool) -> None:
    result = judge(level, sheet(knowledge=30, ethics=ethics, teamwork=15, learning=15, leadership=20), POLICY)
    assert result.passed is passed
    assert passed or "ethics" in result.reason


def test_a_failed_result_names_every_failed_part() -> None:
    result = judge(Level.PROFESSIONAL, sheet(knowledge=20, ethics=11, teamwork=5), POLICY)
    assert not result.passed
    assert len(result.failures) == 3
    assert "total" in result.failures[0] and "knowledge" in result.failures[1] and "ethics" in result.failures[2]


def test_default_score_sheet_makes_one_hundred_and_a_field_can_have_its_own() -> None:
    assert sum(POLICY.maxima_for("civil", Level.SENIOR).values()) == 100
    policy = ReviewPolicy.from_mapping({"score_sheets": ["civil/senior=40,20,10,10,20"]})
    assert policy.maxima_for("civil", Level.SENIOR)["knowledge"] == 40
    assert policy.maxima_for("civil", Level.PROFESSIONAL)["knowledge"] == 30


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ("knowledge=31,ethics=1,teamwork=1,learning=1,leadership=1", "from 0 to 30"),
        ("knowledge=-1,ethics=1,teamwork=1,learning=1,leadership=1", "from 0 to 30"),
        ("knowledge=1,ethics=1,teamwork=1,learning=1", "'leadership' is missing"),
    ],
)
def test_scores_out_of_range_or_missing_are_refused_naming_the_area(scores: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_scores(parse_scores(scores), POLICY.maxima_for("civil", Level.SENIOR))


def test_unknown_area_in_scores_is_refused() -> None:
    with pytest.raises(InputError, match="AREA=N"):
        parse_scores("charm=5")


def test_questions_under_thirty_minutes_need_a_stated_reason() -> None:
    with pytest.raises(InputError, match="under the 30 required"):
        Durations(10, 25, 10).check(POLICY, "")
    Durations(10, 25, 10).check(POLICY, "申请人身体不适，提前结束")
    Durations(10, 30, 10).check(POLICY, "")
