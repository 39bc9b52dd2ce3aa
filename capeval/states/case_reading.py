"""Who may read a case's material (self-statement and documents): the people who act on it, and no one else.

The material of a case is personal data; it is shown only to those with a part in the case:

| reader | may read |
|---|---|
| the applicant | always (their own case) |
| the workgroup and the administrator of the case's society | always (the society evaluates it) |
| an examiner | while holding a review task on the case (invited, accepted, overdue or submitted) |
| a member of the interview panel | always, once on the panel |
| a member of the review committee | once the case has reached committee review (Charter art. 9) |
| the federation secretariat | once the case has reached secretariat confirmation, or is appealed |
| a member of the impartiality committee | once the case is appealed (Charter art. 11) |

Everyone else, the public included, is refused.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from .application import Party, Stage
from .authority import StaffRole
from .errors import NotPermitted

SOCIETY_ADMINISTRATOR = StaffRole.SOCIETY_ADMINISTRATOR.value


class Reached(StrEnum):
    """What must have happened to a case before a federation body may read it."""

    ALWAYS = "always"
    COMMITTEE_REVIEW = "committee_review"
    SECRETARIAT_CONFIRMATION = "secretariat_confirmation"
    APPEALED = "appealed"


READERS: dict[str, frozenset[Reached]] = {
    Party.APPLICANT.value: frozenset({Reached.ALWAYS}),
    Party.WORKGROUP.value: frozenset({Reached.ALWAYS}),
    SOCIETY_ADMINISTRATOR: frozenset({Reached.ALWAYS}),
    Party.EXAMINERS.value: frozenset({Reached.ALWAYS}),
    Party.INTERVIEW_PANEL.value: frozenset({Reached.ALWAYS}),
    Party.COMMITTEE.value: frozenset({Reached.COMMITTEE_REVIEW}),
    Party.SECRETARIAT.value: frozenset({Reached.SECRETARIAT_CONFIRMATION, Reached.APPEALED}),
    Party.IMPARTIALITY_COMMITTEE.value: frozenset({Reached.APPEALED}),
}
"""Who may read a case, and once what has happened (any one of the conditions suffices)."""


@dataclass(frozen=True)
class ReadingFacts:
    """What a reading check needs: the parts a person holds on the case, and what the case has been through."""

    holds: frozenset[str]
    stages_reached: frozenset[Stage]
    appealed: bool

    def happened(self, condition: Reached) -> bool:
        if condition is Reached.ALWAYS:
            return True
        if condition is Reached.APPEALED:
            return self.appealed
        return Stage(condition.value) in self.stages_reached


def may_read(facts: ReadingFacts) -> bool:
    """Whether a person with these facts may read the case's material (see the table above)."""
    return any(facts.happened(condition) for held in facts.holds for condition in READERS.get(held, ()))


def readers_needed() -> Collection[str]:
    """Every part that can give access, to look up only those."""
    return READERS.keys()


def require_reader(facts: ReadingFacts, *, actor: str, case_id: int) -> None:
    """Refuse (`NotPermitted`) unless `may_read(facts)`."""
    if not may_read(facts):
        raise NotPermitted("case_reading_refused", actor=actor, case_id=case_id)
