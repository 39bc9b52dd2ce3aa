"""The resolution rule of Charter art. 28, 31: at least 2/3 of the members vote, at least 3/4 of them agree."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capeval.states.errors import InputError
from capeval.states.resolutions import Vote, count_votes, judge, on_roster, parse_votes


def brute_force_valid(members: int, voted: int, in_favour: int) -> bool:
    """The rule by integers only: 3 * voted >= 2 * members and 4 * in_favour >= 3 * voted."""
    return 3 * voted >= 2 * members and 4 * in_favour >= 3 * voted


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int, int]:
    members = draw(st.integers(min_value=1, max_value=400))
    voted = draw(st.integers(min_value=0, max_value=members))
    return members, voted, draw(st.integers(min_value=0, max_value=voted))


@given(counts())
def test_the_rule_agrees_with_a_brute_force_integer_check(numbers: tuple[int, int, int]) -> None:
    assert judge(*numbers).valid is brute_force_valid(*numbers)


@given(counts())
def test_the_thresholds_are_the_smallest_counts_that_meet_the_fractions(numbers: tuple[int, int, int]) -> None:
    members, voted, _ = numbers
    verdict = judge(*numbers)
    assert min(v for v in range(members + 1) if 3 * v >= 2 * members) == verdict.voters_needed
    assert min(f for f in range(voted + 1) if 4 * f >= 3 * voted) == verdict.favour_needed


def test_six_of_nine_members_voting_is_a_quorum_and_five_fewer_is_not() -> None:
    assert judge(9, 6, 5).quorate
    assert not judge(9, 5, 5).quorate


def test_five_of_six_voters_in_favour_carry_the_resolution_and_four_do_not() -> None:
    assert judge(9, 6, 5).valid
    assert not judge(9, 6, 4).valid


def test_exactly_two_thirds_and_exactly_three_quarters_are_enough() -> None:
    verdict = judge(12, 8, 6)
    assert (verdict.voters_needed, verdict.favour_needed, verdict.valid) == (8, 6, True)
    assert not judge(12, 7, 7).valid
    assert not judge(12, 8, 5).valid


def test_the_arithmetic_shows_exact_fractions_not_floats() -> None:
    lines = judge(9, 6, 5).arithmetic()
    assert lines[0].startswith("quorum: 2/3 of 9 members = 6, so 6 must vote")
    assert "3/4 of 6 voting = 4.5, so 5 must agree: 5 did" in lines[1]
    assert "14/3 (≈4.67)" in judge(7, 5, 4).arithmetic()[0]


def test_other_thresholds_come_from_the_policy() -> None:
    assert judge(10, 6, 4, quorum=Fraction(1, 2), majority=Fraction(2, 3)).valid
    assert not judge(10, 6, 4).valid


@pytest.mark.parametrize(
    ("members", "voted", "in_favour", "field"),
    [
        (0, 0, 0, "members"),
        (-3, 0, 0, "members"),
        (5, -1, 0, "voted"),
        (5, 3, -1, "in favour"),
        (5, 6, 1, "voted"),
        (5, 3, 4, "in favour"),
    ],
)
def test_impossible_counts_are_refused_naming_the_count(members: int, voted: int, in_favour: int, field: str) -> None:
    with pytest.raises(InputError, match=field):
        judge(members, voted, in_favour)


def test_abstaining_counts_as_voting_and_absence_does_not() -> None:
    votes = parse_votes(["甲=for", "乙=against", "丙=abstain", "丁=absent"])
    assert count_votes(votes) == (4, 3, 1)
    assert votes["丁"] is Vote.ABSENT


@pytest.mark.parametrize("pair", ["甲", "=for", "甲=maybe"])
def test_a_malformed_vote_is_refused(pair: str) -> None:
    with pytest.raises(InputError, match="vote"):
        parse_votes([pair])


def test_a_member_listed_twice_is_refused() -> None:
    with pytest.raises(InputError, match="listed twice"):
        parse_votes(["甲=for", "甲=against"])


def test_the_roster_decides_who_counts_and_a_member_who_cast_no_vote_was_absent() -> None:
    votes = on_roster(["p1", "p2", "p3", "p4"], {"p2": Vote.FOR, "p4": Vote.ABSTAIN})
    assert votes == {"p1": Vote.ABSENT, "p2": Vote.FOR, "p3": Vote.ABSENT, "p4": Vote.ABSTAIN}
    assert count_votes(votes) == (4, 2, 1)


def test_three_invented_voters_do_not_make_a_nine_member_body_quorate() -> None:
    listed = {"甲": Vote.FOR, "乙": Vote.FOR, "丙": Vote.FOR}
    assert judge(*count_votes(listed)).valid
    assert not judge(*count_votes(on_roster([f"m{n}" for n in range(9)], {}))).valid
