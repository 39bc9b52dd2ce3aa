"""The rules of examiner review, interview and committee decision: one named home, each with its source.

Q&A Q15-Q17 and Q19-Q20 fix the five areas, the 10/30/10-minute interview and the pass marks; the rest
(how many examiners, how long they have to answer, which relations are conflicts, the per-area maxima)
is silent in the sources and so a configurable project default. Overrides come from the [review] table of
the policy file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
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

COMBINE_RULES = ("strictest", "majority")


@dataclass(frozen=True)
class ReviewPolicy(RuleBook):
    """Every configurable rule of examiner review, interview and committee decision, with its source."""

    TABLE = "review"

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
    combine_rule: str = rule(
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
                return dict(zip(AREAS, _maxima(values, "score_sheets"), strict=True))
        return dict(zip(AREAS, self.area_maxima, strict=True))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, origin: str = "policy") -> ReviewPolicy:
        """Build a policy from overrides, refusing unknown names and wrong types with a clear message."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise InputError(f"{origin}: unknown review rule '{name}'; known rules: {', '.join(sorted(known))}")
            default = known[name].default
            if name == "area_maxima":
                value = tuple(_maxima(",".join(str(v) for v in value) if isinstance(value, list) else "", name))
            elif isinstance(default, tuple):
                if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
                    raise InputError(f"{origin}: review rule '{name}' must be a list of strings")
                value = tuple(value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise InputError(f"{origin}: review rule '{name}' must be true or false")
            elif isinstance(default, str):
                if value not in COMBINE_RULES:
                    raise InputError(f"{origin}: review rule '{name}' must be one of: {', '.join(COMBINE_RULES)}")
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"{origin}: review rule '{name}' must be a whole number >= 0")
            changes[name] = value
        policy = dataclasses.replace(cls(), **changes)
        for entry in policy.score_sheets:
            key, separator, values_text = entry.partition("=")
            if not separator or "/" not in key:
                raise InputError(f"{origin}: score_sheets entry '{entry}' must look like 'field/level=30,20,15,15,20'")
            _maxima(values_text, "score_sheets")
        if policy.examiners_per_case < 1 or policy.panel_size < 1:
            raise InputError(f"{origin}: examiners_per_case and panel_size must be at least 1")
        return policy


def _maxima(text: str, name: str) -> list[int]:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != len(AREAS) or not all(part.isdigit() and int(part) > 0 for part in parts):
        raise InputError(
            f"'{name}' needs five positive whole numbers (knowledge, ethics, teamwork, learning, leadership)"
        )
    return [int(part) for part in parts]
