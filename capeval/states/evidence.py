"""The evidence a decision rests on: what a move cites (its basis) and what that evidence decides (its grounds).

Some moves of a case are decisions somebody else's record makes, not a choice of the person firing them:

    material review passes, fails, refers or asks for a supplement   a complete review round (Q&A Q15, Q19)
    the further assessment passes or fails                           the decided interview (Q&A Q16-Q17)
    the committee approves, refers back or rejects                   a valid resolution of the review
                                                                     committee naming the case (Charter art. 9, 31)

The command cites a `Basis`; the service layer reads the record it names and gives the guards its
`Grounds`: the actions that record decides, or the Problem that keeps it from deciding anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Problem


@dataclass(frozen=True)
class ReviewRoundDecided:
    """The case's review round `round` is complete; its records, combined by the policy, decide the move."""

    round: int

    def describe(self) -> str:
        return f"review round {self.round}"


@dataclass(frozen=True)
class AssessmentDecided:
    """The case's interview `interview_id` is decided (with the written exam, where the field sets one)."""

    interview_id: int

    def describe(self) -> str:
        return f"interview {self.interview_id}"


@dataclass(frozen=True)
class CitedResolution:
    """A resolution of the review committee, by its reference, that decided the case."""

    reference: str

    def describe(self) -> str:
        return f"resolution {self.reference}"


Basis = ReviewRoundDecided | AssessmentDecided | CitedResolution
"""What a decision cites."""


@dataclass(frozen=True)
class Grounds:
    """What the cited record supports: the actions it decides, or the Problem that keeps it from deciding."""

    cited: str
    decides: frozenset[str] = field(default_factory=frozenset)
    problem: Problem | None = None


MOTION_DECISIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reject", ("reject", "不予批准", "不予核准", "不批准", "驳回")),
    ("refer_back", ("refer back", "refer", "退回", "发回")),
    ("approve", ("approve", "approval", "批准", "核准")),
)
"""How a resolution's motion states what it decides for the cases it names: by its opening words.

Not in the sources (Charter art. 9 names the review, art. 31 the vote): capeval's choice. A motion
opening "approve ..."/"批准 ..." approves the cases, "refer back ..."/"退回 ..." refers them back,
"reject ..."/"不予批准 ..." rejects them.
"""


def motion_decides(motion: str) -> str | None:
    """The committee action a motion states by its opening words, or None when it states none."""
    text = motion.strip().lower()
    for action, openings in MOTION_DECISIONS:
        if any(text.startswith(opening) for opening in openings):
            return action
    return None
