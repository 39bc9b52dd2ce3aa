"""Conflicts of interest between an examiner and an applicant, typed and explained.

An examiner may not review or interview an applicant they are, work or recently worked with, supervised
or studied under, recently collaborated with, are family of, or declared any other relation to. The
windows for "recent" come from `ReviewPolicy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .review_policy import ReviewPolicy


class ConflictKind(StrEnum):
    """Why an examiner is excluded from a case."""

    SELF = "self"
    EMPLOYER = "employer"
    SUPERVISOR = "supervisor"
    STUDENT = "student"
    COLLABORATOR = "collaborator"
    FAMILY = "family"
    DECLARED = "declared"


class RelationKind(StrEnum):
    """A relation an examiner declares towards another person (read: the examiner is the other's ...)."""

    SUPERVISOR = "supervisor"
    STUDENT = "student"
    COLLABORATOR = "collaborator"
    FAMILY = "family"
    OTHER = "other"


_CONFLICT_OF_RELATION = {
    RelationKind.SUPERVISOR: ConflictKind.SUPERVISOR,
    RelationKind.STUDENT: ConflictKind.STUDENT,
    RelationKind.COLLABORATOR: ConflictKind.COLLABORATOR,
    RelationKind.FAMILY: ConflictKind.FAMILY,
    RelationKind.OTHER: ConflictKind.DECLARED,
}


@dataclass(frozen=True)
class Employment:
    """An employer of a person; `ended_on` None means current."""

    employer: str
    ended_on: date | None = None


@dataclass(frozen=True)
class Relation:
    """A declared relation between two people; `until` None means ongoing (or timeless, like family)."""

    kind: RelationKind
    until: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Conflict:
    """One reason an examiner is excluded, readable by a person."""

    kind: ConflictKind
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.value} ({self.detail})"


def _recent_employers(employments: Iterable[Employment], today: date, years: int) -> dict[str, date | None]:
    cutoff = date(today.year - years, today.month, min(today.day, 28))
    return {
        e.employer.strip(): e.ended_on
        for e in employments
        if e.employer.strip() and (e.ended_on is None or e.ended_on >= cutoff)
    }


def conflicts_between(
    *,
    examiner_person_id: int,
    applicant_person_id: int,
    examiner_employments: Iterable[Employment],
    applicant_employments: Iterable[Employment],
    relations: Iterable[Relation],
    today: date,
    policy: ReviewPolicy,
) -> list[Conflict]:
    """Every conflict of interest between one examiner and one applicant (empty when none)."""
    if examiner_person_id == applicant_person_id:
        return [Conflict(ConflictKind.SELF, "the examiner is the applicant")]
    found: list[Conflict] = []
    mine = _recent_employers(examiner_employments, today, policy.recent_employer_years)
    theirs = _recent_employers(applicant_employments, today, policy.recent_employer_years)
    for employer in sorted(mine.keys() & theirs.keys()):
        when = "current" if mine[employer] is None and theirs[employer] is None else "recent"
        found.append(Conflict(ConflictKind.EMPLOYER, f"{when} employer {employer}"))
    collaboration_cutoff = date(today.year - policy.recent_collaboration_years, today.month, min(today.day, 28))
    for relation in relations:
        if (
            relation.kind is RelationKind.COLLABORATOR
            and relation.until is not None
            and relation.until < collaboration_cutoff
        ):
            continue
        detail = relation.note or relation.kind.value
        if relation.until is not None:
            detail += f" until {relation.until.isoformat()}"
        found.append(Conflict(_CONFLICT_OF_RELATION[relation.kind], detail))
    return found


def describe_conflicts(conflicts: Iterable[Conflict]) -> str:
    """The conflicts as one line: 'employer (current employer X); family (brother)'."""
    return "; ".join(str(conflict) for conflict in conflicts)
