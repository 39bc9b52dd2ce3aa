"""Whether a committee resolution is valid (Charter art. 28, 31), with the arithmetic in exact fractions.

"决议应有 2/3 以上成员表决（或出席），表决（或出席）成员 3/4 以上同意方为有效": at least 2/3 of the members
vote (or attend), and at least 3/4 of those voting agree. "以上" includes the figure itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .errors import InputError

QUORUM = Fraction(2, 3)
MAJORITY = Fraction(3, 4)


class Vote(StrEnum):
    """How one member took part in a meeting."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"
    ABSENT = "absent"


@dataclass(frozen=True)
class Verdict:
    """The judgement of one resolution and the arithmetic that led to it."""

    members: int
    voted: int
    in_favour: int
    voters_needed: int
    favour_needed: int
    quorum: Fraction
    majority: Fraction

    @property
    def quorate(self) -> bool:
        return self.voted >= self.voters_needed

    @property
    def carried(self) -> bool:
        return self.in_favour >= self.favour_needed

    @property
    def valid(self) -> bool:
        return self.quorate and self.carried

    def arithmetic(self) -> list[str]:
        """The two checks written out, e.g. 'quorum: 2/3 of 9 members = 6, so 6 must vote (or attend): 6 did — met'."""
        quorum_exact = self.quorum * self.members
        majority_exact = self.majority * self.voted
        return [
            f"quorum: {self.quorum} of {self.members} members = {_fraction(quorum_exact)}, "
            f"so {self.voters_needed} must vote (or attend): {self.voted} did — {'met' if self.quorate else 'NOT met'}",
            f"majority: {self.majority} of {self.voted} voting = {_fraction(majority_exact)}, "
            f"so {self.favour_needed} must agree: {self.in_favour} did — {'met' if self.carried else 'NOT met'}",
        ]

    def summary(self) -> str:
        return ("valid" if self.valid else "invalid") + ": " + "; ".join(self.arithmetic())


def _fraction(value: Fraction) -> str:
    """6, 4.5 or 20/3 (≈6.67): exact, with a decimal only where it helps."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        return str(float(value))
    return f"{value.numerator}/{value.denominator} (≈{float(value):.2f})"


def judge(
    members: int, voted: int, in_favour: int, *, quorum: Fraction = QUORUM, majority: Fraction = MAJORITY
) -> Verdict:
    """Judge a resolution from its counts; impossible counts raise InputError naming the count."""
    if members < 1:
        raise InputError("resolution_members_too_few", members=members, minimum=1)
    if voted < 0:
        raise InputError("resolution_voted_negative", voted=voted)
    if in_favour < 0:
        raise InputError("resolution_favour_negative", in_favour=in_favour)
    if voted > members:
        raise InputError("resolution_voted_exceeds_members", voted=voted, members=members)
    if in_favour > voted:
        raise InputError("resolution_favour_exceeds_voted", in_favour=in_favour, voted=voted)
    return Verdict(
        members=members,
        voted=voted,
        in_favour=in_favour,
        voters_needed=math.ceil(quorum * members),
        favour_needed=math.ceil(majority * voted),
        quorum=quorum,
        majority=majority,
    )


def count_votes(votes: Mapping[str, Vote]) -> tuple[int, int, int]:
    """(members, voted or attended, in favour) from each member's vote; abstaining counts as taking part."""
    members = len(votes)
    voted = sum(1 for vote in votes.values() if vote is not Vote.ABSENT)
    in_favour = sum(1 for vote in votes.values() if vote is Vote.FOR)
    return members, voted, in_favour


def on_roster(roster: Sequence[str], cast: Mapping[str, Vote]) -> dict[str, Vote]:
    """Every member of the roster (by username) with their vote; a member who cast none was absent.

    The roster is the body's membership on the meeting day, so the quorum is counted against it, not
    against the names someone listed.
    """
    return {member: cast.get(member, Vote.ABSENT) for member in roster}


def parse_votes(pairs: tuple[str, ...] | list[str]) -> dict[str, Vote]:
    """Votes written 'NAME=for|against|abstain|absent'; every member once."""
    votes: dict[str, Vote] = {}
    choices = [v.value for v in Vote]
    for pair in pairs:
        name, separator, value = pair.rpartition("=")
        name = name.strip()
        if not separator or not name:
            raise InputError("vote_malformed", pair=pair, choices=choices)
        try:
            vote = Vote(value.strip().lower())
        except ValueError:
            raise InputError("vote_unknown", pair=pair, value=value, choices=choices) from None
        if name in votes:
            raise InputError("vote_listed_twice", name=name)
        votes[name] = vote
    if not votes:
        raise InputError("votes_missing")
    return votes
