"""The rules of examiner review, interview and committee decision: one named home, each with its source.

Q&A Q15-Q17 and Q19-Q20 fix the five areas, the 10/30/10-minute interview and the pass marks; the rest
(how many examiners, how long they have to answer, which relations are conflicts, the per-area maxima)
is silent in the sources and so a configurable project default. Overrides come from the [review] table of
the policy file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .errors import Problem
from .levels import Level
from .rulebook import RuleBook, rule

AREAS = ("knowledge", "ethics", "teamwork", "learning", "leadership")
"""The five competence areas (Q&A Q1, Q9, Q15), by their short names."""

AREA_LABELS = {
    "knowledge": "engineering knowledge and professional competence (工程知识与专业能力)",
    "ethics": "engineering ethics and professional conduct (工程伦理与职业道德)",
    "teamwork": "teamwork and communication (团队合作与交流能力)",
    "learning": "continuous development and lifelong learning (持续发展与终身学习能力)",
    "leadership": "leadership and project management (组织领导与项目管理能力)",
}

CombineRule = Literal["strictest", "majority"]
"""How examiners' records decide a case."""


@dataclass(frozen=True)
class ReviewPolicy(RuleBook):
    """Every configurable rule of examiner review, interview and committee decision, with its source."""

    TABLE = "review"
    NOUN = "review rule"

    examiners_per_case: int = rule(2, "sources silent (project default)", "examiners who review each case")
    respond_by_working_days: int = rule(
        3, "sources silent (project default)", "working days an invited examiner has to accept or decline"
    )
    review_due_working_days: int = rule(
        10, "sources silent (project default)", "working days from invitation to the review record's due date"
    )
    reminder_before_due_working_days: int = rule(
        2, "sources silent (project default)", "working days before the due date that a reminder is queued"
    )
    overdue_reminder_every_days: int = rule(
        3, "sources silent (project default)", "calendar days between reminders once a review is overdue"
    )
    recent_employer_years: int = rule(
        3, "sources silent (project default)", "years after leaving an employer that it still makes a conflict"
    )
    recent_collaboration_years: int = rule(
        3, "sources silent (project default)", "years after a collaboration ends that it still makes a conflict"
    )
    combine_rule: CombineRule = rule(
        "strictest",
        "sources silent (project default); Q&A Q15 names the outcomes",
        "how examiners' records decide the case: 'strictest' (any supplement, then any fail, then any further "
        "assessment, else pass) or 'majority' (the most frequent recommendation; a tie goes to the stricter)",
    )
    examiner_level_at_least_applicant: bool = rule(
        True,
        "sources silent (project default)",
        "an examiner's own level must be at least the level the applicant asks for",
    )
    panel_size: int = rule(3, "sources silent (project default)", "examiners on an interview panel")
    interview_notice_working_days: int = rule(
        5, "sources silent (project default)", "working days' notice the applicant gets before the interview"
    )
    presentation_minutes: int = rule(10, "Q&A Q16", "minutes of the applicant's self-presentation")
    question_minutes_min: int = rule(30, "Q&A Q16", "fewest minutes of examiner questions (else a reason)")
    deliberation_minutes: int = rule(10, "Q&A Q16", "minutes of examiner deliberation")
    interview_projects_min: int = rule(
        2, "Q&A Q16", "fewest engineering projects the applicant presents, named on the sheet"
    )
    interview_projects_max: int = rule(
        3, "Q&A Q16", "most engineering projects the applicant presents, named on the sheet"
    )
    pass_total: int = rule(60, "Q&A Q17", "lowest interview total that passes")
    knowledge_min_professional: int = rule(21, "Q&A Q17", "lowest engineering-knowledge score, Professional")
    knowledge_min_senior: int = rule(18, "Q&A Q17", "lowest engineering-knowledge score, Senior")
    ethics_min: int = rule(12, "Q&A Q17", "lowest ethics score, Professional and Senior")
    area_maxima: tuple[int, ...] = rule(
        (30, 20, 15, 15, 20),
        "sources silent (project default; sums to 100)",
        "maximum interview score of knowledge, ethics, teamwork, learning, leadership",
    )
    score_sheets: tuple[str, ...] = rule(
        (),
        "sources silent (project default: none)",
        "per field and level maxima, 'field/level=k,e,t,l,l' (e.g. 'civil/senior=30,20,15,15,20')",
    )
    written_exam_fields: tuple[str, ...] = rule(
        (), "Q&A Q1 (written exam where the field uses one)", "fields whose further assessment has a written exam"
    )
    written_exam_pass_mark: int = rule(60, "sources silent (project default)", "lowest written-exam mark")

    def may_examine(self, examiner_level: Level, applicant_level: Level) -> bool:
        """Whether an examiner of `examiner_level` may examine an applicant for `applicant_level`."""
        if not self.examiner_level_at_least_applicant:
            return True
        order = list(Level)
        return order.index(examiner_level) >= order.index(applicant_level)

    def maxima_for(self, field_code: str, level: Level) -> dict[str, int]:
        """The score sheet (area -> maximum) of a field and level: its own if configured, else the default."""
        for entry in self.score_sheets:
            key, _, values = entry.partition("=")
            if key.strip() == f"{field_code}/{level.value}":
                maxima = _maxima(values)
                assert maxima is not None, "score sheets are checked when the policy is read"
                return dict(zip(AREAS, maxima, strict=True))
        return dict(zip(AREAS, self.area_maxima, strict=True))

    def broken_rules(self) -> Iterator[Problem]:
        """Panels and examiner counts are at least 1; every score sheet has five positive maxima."""
        for key in ("examiners_per_case", "panel_size"):
            if getattr(self, key) < 1:
                yield Problem("policy_at_least_one", {"key": key, "value": getattr(self, key)})
        if _maxima(",".join(str(v) for v in self.area_maxima)) is None:
            yield Problem("policy_area_maxima", {"key": "area_maxima"})
        for entry in self.score_sheets:
            key, separator, values_text = entry.partition("=")
            if not separator or "/" not in key:
                yield Problem("policy_score_sheet_form", {"entry": entry})
            elif _maxima(values_text) is None:
                yield Problem("policy_area_maxima", {"key": "score_sheets"})


def _maxima(text: str) -> list[int] | None:
    """Five positive whole numbers written 'k,e,t,l,l', or None."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != len(AREAS) or not all(part.isdigit() and int(part) > 0 for part in parts):
        return None
    return [int(part) for part in parts]
