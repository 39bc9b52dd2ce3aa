"""The facts and named rules shared by the governance workflows (feedback, appeals, authorization)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .engine import Guard
from .errors import Problem
from .governance_policy import GovernancePolicy
from .messages import Term


class Body(StrEnum):
    """The bodies of the alliance that decide by resolution or handle governance cases (Charter art. 5-11)."""

    PRESIDIUM = "presidium"
    REVIEW_COMMITTEE = "review_committee"
    QUALITY_COMMITTEE = "quality_committee"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"
    ACADEMIC_COMMITTEE = "academic_committee"
    SUPERVISION_COMMITTEE = "supervision_committee"


class Party(StrEnum):
    """Who takes the steps of the governance workflows, lodges an appeal (the person the decision concerns)
    and applies for an authorization (the workgroup or administrator of the society)."""

    SECRETARIAT = "secretariat"
    PRESIDIUM = "presidium"
    REVIEW_COMMITTEE = "review_committee"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"
    SUPERVISION_COMMITTEE = "supervision_committee"
    INVESTIGATORS = "investigators"
    APPELLANT = "appellant"
    APPLYING_SOCIETY = "applying_society"


BODY_OF_PARTY: dict[Party, Body] = {
    Party.PRESIDIUM: Body.PRESIDIUM,
    Party.REVIEW_COMMITTEE: Body.REVIEW_COMMITTEE,
    Party.IMPARTIALITY_COMMITTEE: Body.IMPARTIALITY_COMMITTEE,
    Party.SUPERVISION_COMMITTEE: Body.SUPERVISION_COMMITTEE,
}
"""The parties held by a seat on a body whose term covers the day of the step."""


@dataclass(frozen=True)
class PersonRef:
    """A person of the directory as the rules see them: their id, and the name a refusal shows."""

    person_id: int
    name: str


@dataclass(frozen=True)
class ResolutionFacts:
    """What a step needs to know about the resolution it cites."""

    reference: str
    body: Body
    valid: bool
    summary: str = ""
    about_this_case: bool = True


@dataclass(frozen=True)
class GovernanceFacts:
    """The facts one governance step is judged by; each rule reads only what it needs."""

    today: date
    reason: str = ""
    appointees: tuple[PersonRef, ...] = ()
    participants: frozenset[int] = frozenset()
    """The ids of everyone who took part in the matter (Charter art. 11)."""
    resolution: ResolutionFacts | None = None
    required_body: Body | None = None
    reopen_stage: str | None = None
    reopen_needed: bool = False
    policy: GovernancePolicy = field(default_factory=GovernancePolicy)


def _reason_given(facts: GovernanceFacts) -> Problem | None:
    return None if facts.reason.strip() else Problem("governance_text_given")


def _appointees_named(facts: GovernanceFacts) -> Problem | None:
    return None if facts.appointees else Problem("governance_appointees_named")


def _impartial(facts: GovernanceFacts) -> Problem | None:
    conflicted = sorted({person.name for person in facts.appointees if person.person_id in facts.participants})
    return Problem("governance_took_part", {"names": conflicted}) if conflicted else None


def body_term(body: Body) -> Term:
    """The name of a body as a word of the message catalog."""
    return Term(f"body_{body.value}")


def _resolution_valid(facts: GovernanceFacts) -> Problem | None:
    resolution, body = facts.resolution, facts.required_body
    if resolution is None:
        if body is None:
            return Problem("governance_resolution_missing_any")
        return Problem("governance_resolution_missing", {"body": body_term(body)})
    if body is not None and resolution.body is not body:
        return Problem(
            "governance_resolution_wrong_body",
            {"reference": resolution.reference, "body": body_term(resolution.body), "required": body_term(body)},
        )
    if not resolution.about_this_case:
        return Problem("governance_resolution_not_about_case", {"reference": resolution.reference})
    if not resolution.valid:
        return Problem(
            "governance_resolution_invalid", {"reference": resolution.reference, "summary": resolution.summary}
        )
    return None


def _reopen_stage_named(facts: GovernanceFacts) -> Problem | None:
    if not facts.reopen_needed or facts.reopen_stage:
        return None
    return Problem("governance_reopen_stage_missing")


REASON_GIVEN = Guard[GovernanceFacts]("text_given", "Q&A Q40; Charter art. 11", _reason_given)
APPOINTEES_NAMED = Guard[GovernanceFacts]("appointees_named", "Q&A Q40; Charter art. 11", _appointees_named)
IMPARTIAL = Guard[GovernanceFacts]("no_part_in_the_matter", "Charter art. 11", _impartial)
RESOLUTION_VALID = Guard[GovernanceFacts]("valid_resolution_cited", "Charter art. 28, 31", _resolution_valid)
REOPEN_STAGE_NAMED = Guard[GovernanceFacts]("reopen_stage_named", "Charter art. 11", _reopen_stage_named)
