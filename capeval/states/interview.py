"""The interview: its 10/30/10-minute structure (Q&A Q16), score sheets and the pass rule (Q&A Q17)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import InputError
from .levels import Level
from .messages import Term
from .review_policy import AREAS, ReviewPolicy


@dataclass(frozen=True)
class InterviewResult:
    """The pass rule's verdict: passed, the total, and every part that failed (empty when passed)."""

    passed: bool
    total: int
    failures: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.failures)


def parse_scores(text: str) -> dict[str, int]:
    """Read 'knowledge=25,ethics=15,...' into a mapping (checked against a sheet by `check_scores`)."""
    scores: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, separator, value = part.partition("=")
        name = name.strip()
        if not separator or name not in AREAS:
            raise InputError("scores_malformed", part=part, areas=list(AREAS))
        try:
            scores[name] = int(value.strip())
        except ValueError:
            raise InputError("scores_not_whole", area=name, value=value) from None
    return scores


def check_scores(scores: Mapping[str, int], maxima: Mapping[str, int]) -> dict[str, int]:
    """Every area scored, none negative or above its maximum; else an error naming the area."""
    for area in AREAS:
        if area not in scores:
            raise InputError("score_missing", area=area, label=Term(f"area_{area}"))
        value = scores[area]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > maxima[area]:
            raise InputError("score_out_of_range", area=area, value=value, maximum=maxima[area])
    unknown = sorted(set(scores) - set(AREAS))
    if unknown:
        raise InputError("score_area_unknown", area=unknown[0], areas=list(AREAS))
    return {area: scores[area] for area in AREAS}


def judge(level: Level, scores: Mapping[str, int], policy: ReviewPolicy) -> InterviewResult:
    """Apply Q&A Q17: total >= 60; knowledge >= 21 (Professional) or 18 (Senior); ethics >= 12 (both).

    Apprentice applicants are judged on the total alone (Q17 names no area minimum for them).
    """
    total = sum(scores[area] for area in AREAS)
    failures = []
    if total < policy.pass_total:
        failures.append(f"total {total} is below {policy.pass_total}")
    knowledge_min = {Level.PROFESSIONAL: policy.knowledge_min_professional, Level.SENIOR: policy.knowledge_min_senior}
    if level in knowledge_min and scores["knowledge"] < knowledge_min[level]:
        failures.append(
            f"engineering knowledge and professional competence {scores['knowledge']} is below "
            f"{knowledge_min[level]} for {level.value} applicants"
        )
    if level in (Level.PROFESSIONAL, Level.SENIOR) and scores["ethics"] < policy.ethics_min:
        failures.append(
            f"engineering ethics and professional conduct {scores['ethics']} is below {policy.ethics_min} "
            f"for {level.value} applicants"
        )
    return InterviewResult(not failures, total, tuple(failures))


def check_projects(projects: Sequence[str], fewest: int, most: int) -> tuple[str, ...]:
    """The engineering projects the applicant presented (Q&A Q16: 2-3), named and distinct; else InputError."""
    named = tuple(dict.fromkeys(p.strip() for p in projects if p.strip()))
    if not fewest <= len(named) <= most:
        raise InputError("interview_projects_count", count=len(named), fewest=fewest, most=most)
    return named


@dataclass(frozen=True)
class Durations:
    """Actual minutes of the three parts of an interview (Q&A Q16)."""

    presentation: int
    questions: int
    deliberation: int

    def check(self, policy: ReviewPolicy, short_reason: str) -> None:
        """Refuse negative durations, and questions under the minimum without a stated reason."""
        for name, value in (
            ("presentation", self.presentation),
            ("questions", self.questions),
            ("deliberation", self.deliberation),
        ):
            if value < 0:
                raise InputError("interview_duration_negative", part=Term(f"interview_part_{name}"), minutes=value)
        if self.questions < policy.question_minutes_min and not short_reason.strip():
            raise InputError("interview_questions_short", minutes=self.questions, minimum=policy.question_minutes_min)
