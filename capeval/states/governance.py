"""The facts and named rules shared by the governance workflows (feedback, appeals, authorization)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .casework import Rule
from .governance_policy import GovernancePolicy


class Body(StrEnum):
    """The bodies of the alliance that decide by resolution or handle governance cases (Charter art. 5-11)."""

    PRESIDIUM = "presidium"
    REVIEW_COMMITTEE = "review_committee"
    QUALITY_COMMITTEE = "quality_committee"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"
    ACADEMIC_COMMITTEE = "academic_committee"
    SUPERVISION_COMMITTEE = "supervision_committee"


class Party(StrEnum):
    """Who takes the steps of the governance workflows."""

    SECRETARIAT = "secretariat"
    PRESIDIUM = "presidium"
    REVIEW_COMMITTEE = "review_committee"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"
    SUPERVISION_COMMITTEE = "supervision_committee"
    INVESTIGATORS = "investigators"


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
    appointees: tuple[str, ...] = ()
    participants: frozenset[str] = frozenset()
    resolution: ResolutionFacts | None = None
    required_body: Body | None = None
    reopen_stage: str | None = None
    reopen_needed: bool = False
    policy: GovernancePolicy = field(default_factory=GovernancePolicy)


def _reason_given(facts: GovernanceFacts) -> str | None:
    if facts.reason.strip():
        return None
    return "this step needs a written text (findings, decision, answer or reasons) that the sender will read; give it"


def _appointees_named(facts: GovernanceFacts) -> str | None:
    if any(name.strip() for name in facts.appointees):
        return None
    return "name at least one person to appoint"


def _impartial(facts: GovernanceFacts) -> str | None:
    conflicted = sorted({name for name in facts.appointees if name in facts.participants})
    if not conflicted:
        return None
    return (
        f"{', '.join(conflicted)} took part in the matter or the original decision (as recorded in its history) "
        "and may not sit on it; appoint someone who had no part in it (Charter art. 11)"
    )


def _resolution_valid(facts: GovernanceFacts) -> str | None:
    resolution, body = facts.resolution, facts.required_body
    if resolution is None:
        who = body.value if body else "the deciding body"
        return f"this decision must cite a resolution of the {who}; record the meeting with 'capeval resolution record'"
    if body is not None and resolution.body is not body:
        return f"resolution {resolution.reference} is of the {resolution.body.value}, not of the {body.value}"
    if not resolution.about_this_case:
        return f"resolution {resolution.reference} does not name this case among what it decided"
    if not resolution.valid:
        return f"resolution {resolution.reference} is not valid ({resolution.summary}); it cannot carry a decision"
    return None


def _reopen_stage_named(facts: GovernanceFacts) -> str | None:
    if not facts.reopen_needed or facts.reopen_stage:
        return None
    return "an upheld appeal against a failed evaluation must name the stage to reopen the case at"


REASON_GIVEN = Rule[GovernanceFacts]("text_given", "Q&A Q40; Charter art. 11", _reason_given)
APPOINTEES_NAMED = Rule[GovernanceFacts]("appointees_named", "Q&A Q40; Charter art. 11", _appointees_named)
IMPARTIAL = Rule[GovernanceFacts]("no_part_in_the_matter", "Charter art. 11", _impartial)
RESOLUTION_VALID = Rule[GovernanceFacts]("valid_resolution_cited", "Charter art. 28, 31", _resolution_valid)
REOPEN_STAGE_NAMED = Rule[GovernanceFacts]("reopen_stage_named", "Charter art. 11", _reopen_stage_named)
