"""The rules taken from the sources: one named home, each with the article it comes from.

Where the sources fix a number, the default is that number; where they disagree or are silent, the
rule is still configurable and its source says so. A society's policy file overrides any of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .errors import Problem
from .rulebook import RuleBook, rule


@dataclass(frozen=True)
class PipelinePolicy(RuleBook):
    """Every configurable rule of the application pipeline, with its source."""

    TABLE = "pipeline"

    self_statement_min_chars: int = rule(
        2000, "Q&A Q9", "fewest characters in the self-statement (whitespace and zero-width characters not counted)"
    )
    self_statement_max_chars: int = rule(
        4000, "Q&A Q9", "most characters in the self-statement (whitespace and zero-width characters not counted)"
    )
    self_statement_min_chinese_percent: int = rule(
        50,
        "Q&A Q18, Q29 (the form is submitted in Chinese); the share is not in the sources: capeval's choice",
        "least share, in per cent, of Chinese (Han) characters among the counted characters of the self-statement",
    )
    required_evidence: tuple[str, ...] = rule(
        ("id_card_front", "id_card_back", "education"),
        "Q&A Q11",
        "evidence every application must carry: ID copy (both sides) and proof of education",
    )
    international_required_evidence: tuple[str, ...] = rule(
        ("title_proof",), "Q&A Q29", "extra evidence of the international-title route: proof of the title"
    )
    require_international_title_issuer: bool = rule(
        False,
        "Q&A Q29 (proof of the title; the issuer is not named as a requirement)",
        "refuse an international-title application that does not name the body that issued the title",
    )
    resubmission_working_days: int = rule(
        10, "Q&A Q19", "working days after a return notice within which the applicant must resubmit"
    )
    supplement_working_days: int = rule(
        10, "sources silent (project default)", "working days the applicant has to send requested supplements"
    )
    certificate_validity_years: int = rule(5, "Q&A Q27", "years a certificate stays valid")
    lapse_warning_working_days: int = rule(
        2,
        "sources silent (project default)",
        "working days before a resubmission or supplement deadline that the applicant is warned it will lapse; "
        "also how far ahead the workgroup's daily digest lists deadlines",
    )
    provisional_years_ahead: int = rule(
        1,
        "sources silent: default chosen because the State Council publishes next year's schedule late in the "
        "year (DOMAIN: working days), so a deadline in December may reach the one year not yet published",
        "unpublished years after the last loaded schedule in which a deadline is computed provisionally "
        "(weekends + statutory holidays by rule, no 调休) and marked 暂定; 0 refuses such a deadline whole",
    )
    calendar_warning_from: str = rule(
        "11-01",
        "sources silent: default chosen because the notice usually appears in November or December",
        "month-day (MM-DD) from which administrators are warned, in the workgroup digest and by "
        "`capeval calendar years`, that next year's schedule is not loaded",
    )
    accept_concurrent_membership: bool = rule(
        False,
        "Q&A Q6 (special cases only)",
        "let a pending society membership count as membership when the application is submitted",
    )
    parallel_applications: Literal["one_per_field", "one_per_person"] = rule(
        "one_per_field",
        "not in the sources: capeval's choice (Q&A Q34-Q35: levels are taken in order, an upgrade builds on "
        "the certificate of the level below)",
        "how many applications a person may have under way at once (submitted up to registration): "
        "'one_per_field' (one in each engineering field) or 'one_per_person' (one in all)",
    )
    suspended_certificate_blocks: bool = rule(
        True,
        "not in the sources: capeval's choice (Q&A Q31 names suspension, not what it does to a new application)",
        "a suspended certificate blocks every application in its field until it is restored; "
        "when false it counts as the level held",
    )
    expired_certificate_counts_as_held: bool = rule(
        False,
        "not in the sources: capeval's choice (Q&A Q23, Q28: an expired certificate is renewed, not upgraded; "
        "Q&A Q35: a first application asks for the level the applicant is ready for)",
        "an expired certificate counts as the level held (the standard route is refused, an upgrade builds on "
        "it); when false it counts as none",
    )

    experience_days_per_year: int = rule(
        365,
        "sources silent: default chosen because a year of practice is a calendar year's days, and with both "
        "ends of a period counted a leap day may make up at most a day a year in the applicant's favour",
        "days of counted work experience that make one year, against the years a society's field rule "
        "requires for a level (Q&A Q33, Q37)",
    )

    def broken_rules(self) -> Iterator[Problem]:
        """The shortest self-statement may not be longer than the longest; a share is at most 100 per cent."""
        if self.self_statement_min_chars > self.self_statement_max_chars:
            yield Problem("policy_statement_bounds")
        if not _is_month_day(self.calendar_warning_from):
            yield Problem(
                "policy_calendar_warning_day", {"key": "calendar_warning_from", "value": self.calendar_warning_from}
            )
        if self.experience_days_per_year < 1:
            yield Problem("policy_days_per_year", {"key": "experience_days_per_year"})
        if self.self_statement_min_chinese_percent > 100:
            key, value = "self_statement_min_chinese_percent", self.self_statement_min_chinese_percent
            yield Problem("policy_percent_above_100", {"key": key, "value": value})


def _is_month_day(text: str) -> bool:
    month, _, day = text.partition("-")
    if not (len(month) == 2 and len(day) == 2 and month.isdigit() and day.isdigit()):
        return False
    return 1 <= int(month) <= 12 and 1 <= int(day) <= (29 if month == "02" else 30 if month in _SHORT else 31)


_SHORT = frozenset({"04", "06", "09", "11"})
