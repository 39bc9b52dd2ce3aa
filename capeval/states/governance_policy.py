"""The rules of complaints, appeals, society authorization and committee resolutions, each with its source.

The Charter fixes the resolution thresholds (art. 28, 31); the sources are silent on every time limit and on
the grounds of an appeal, so those are project defaults a policy file's `[governance]` table can override.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .errors import InputError, Problem
from .rulebook import RuleBook, rule

_SILENT = "sources silent (project default)"
Recorders = Literal["secretariat_or_member", "secretariat"]


def fraction_problem(text: str, *, key: str) -> Problem | None:
    """Why `text` is not a threshold like '2/3' (strictly above 0, at most 1), or None when it is one."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        return Problem("policy_fraction_form", {"key": key, "value": text})
    if not 0 < value <= 1:
        return Problem("policy_fraction_range", {"key": key, "value": text})
    return None


def parse_fraction(text: str, *, name: str) -> Fraction:
    """A threshold written like '2/3', strictly above 0 and at most 1."""
    problem = fraction_problem(text, key=name)
    if problem is not None:
        raise InputError(problem.code, origin="policy", table=GovernancePolicy.TABLE, **problem.params)
    return Fraction(text.strip())


@dataclass(frozen=True)
class GovernancePolicy(RuleBook):
    """Every configurable rule of feedback, appeals, authorization and resolutions, with its source."""

    TABLE = "governance"
    LEAST_NUMBER = 1
    NON_EMPTY = True

    resolution_quorum: str = rule(
        "2/3", "Charter art. 28, 31", "share of the members who must vote (or attend) for a resolution to count"
    )
    resolution_majority: str = rule(
        "3/4", "Charter art. 28, 31", "share of those voting (or attending) who must agree for a resolution to pass"
    )
    resolution_recorded_by: Recorders = rule(
        "secretariat_or_member",
        _SILENT + "; the secretariat keeps the federation's records, Charter art. 6-7",
        "who records a body's resolution: the secretariat or a member of the body on the meeting day, "
        "or the secretariat only",
    )
    feedback_register_working_days: int = rule(
        5, _SILENT, "working days the supervision committee has to register written feedback (Q&A Q40)"
    )
    feedback_assign_working_days: int = rule(5, _SILENT, "working days to assign investigators once registered")
    feedback_investigate_working_days: int = rule(
        20, _SILENT, "working days to investigate and record findings and a decision"
    )
    feedback_answer_working_days: int = rule(5, _SILENT, "working days to answer the sender once decided")
    appeal_window_working_days: int = rule(
        30, _SILENT + "; Charter art. 11 names appeals only", "working days after a decision within which to appeal"
    )
    appeal_panel_working_days: int = rule(10, _SILENT, "working days to appoint the appeal panel")
    appeal_decision_working_days: int = rule(30, _SILENT, "working days for the panel to decide the appeal")
    appealable_subjects: tuple[str, ...] = rule(
        ("failed_evaluation", "refused_renewal", "suspension", "revocation"),
        "Charter art. 11 (申投诉); the list is the project's",
        "decisions that can be appealed",
    )
    appeal_grounds: tuple[str, ...] = rule(
        ("procedure_not_followed", "facts_wrong", "rule_misapplied", "conflict_of_interest", "new_evidence"),
        _SILENT,
        "grounds an appeal may state (at least one, with an explanation)",
    )
    authorization_first_review_working_days: int = rule(
        20, _SILENT + "; steps from Charter art. 16", "working days for the secretariat's first review"
    )
    authorization_committee_working_days: int = rule(
        30, _SILENT + "; steps from Charter art. 16", "working days for the review committee's review"
    )
    authorization_presidium_working_days: int = rule(
        30, _SILENT + "; steps from Charter art. 16", "working days for the presidium's decision"
    )
    escalation_working_days: int = rule(
        5, _SILENT, "working days after a step's reminder before it is escalated to the secretariat"
    )
    supervision_committee_email: str = rule(
        "cse@cast-cse.org.cn", "Q&A Q40", "where the standards and quality supervision committee is reached"
    )
    impartiality_committee_email: str = rule(
        "cse@cast-cse.org.cn", _SILENT, "where the impartiality committee is reached (Charter art. 11)"
    )
    secretariat_email: str = rule("cse@cast-cse.org.cn", _SILENT, "where escalations go (Charter art. 6-7)")

    @property
    def quorum(self) -> Fraction:
        return parse_fraction(self.resolution_quorum, name="resolution_quorum")

    @property
    def majority(self) -> Fraction:
        return parse_fraction(self.resolution_majority, name="resolution_majority")

    def broken_rules(self) -> Iterator[Problem]:
        """Both resolution thresholds are fractions above 0 and at most 1."""
        for key in ("resolution_quorum", "resolution_majority"):
            problem = fraction_problem(getattr(self, key), key=key)
            if problem is not None:
                yield problem
