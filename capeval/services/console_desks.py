"""The console's desks beyond the board: the committee's, the interview panelist's score sheet, the administrator's."""

from __future__ import annotations

from dataclasses import dataclass

from capeval.states.application import Party, Stage
from capeval.states.errors import NotFoundError, NotPermitted
from capeval.states.governance import Body
from capeval.states.interview import InterviewResult, check_scores, judge
from capeval.states.levels import Level

from . import queries
from .console import Viewer, case_parties_of
from .resolutions import resolutions_for_case
from .roles import RoleLine, roles_of, roster
from .runtime import Runtime


@dataclass(frozen=True)
class CommitteeCase:
    """A case awaiting the evaluation committee, with the resolutions already recorded about it."""

    row: queries.BoardRow
    resolutions: list[dict[str, object]]


@dataclass(frozen=True)
class CommitteeDesk:
    """The cases awaiting the committee and the roster that votes on them today."""

    cases: list[CommitteeCase]
    roster: list[tuple[str, str]]
    next_after: int | None = None
    """The cursor of the next page of cases (None on the last)."""
    after: int | None = None


COMMITTEE_PAGE_SIZE = 50
"""Cases per page of the committee desk."""


def committee_desk(runtime: Runtime, who: Viewer, after: int | None = None) -> CommitteeDesk:
    """For the secretariat and the review committee's members: a page of the cases in committee review
    (those with an id above `after`, one page statement) and the roster."""
    if not (who.secretariat or who.committee):
        raise NotPermitted("console_committee_not_yours", actor=who.name)
    found = queries.board(runtime, None, [Stage.COMMITTEE_REVIEW.value], after=after, limit=COMMITTEE_PAGE_SIZE)
    cases = [CommitteeCase(row, list(resolutions_for_case(runtime, row.case_id))) for row in found.rows]
    members = [(line.username, line.name) for line in roster(runtime, Body.REVIEW_COMMITTEE.value)]
    return CommitteeDesk(cases, members, found.next_after, after)


@dataclass(frozen=True)
class ScoreSheet:
    """A panelist's score sheet: the areas' maxima, the pass rule's thresholds, and a verdict when scored."""

    interview_id: int
    case_id: int
    level: str
    maxima: dict[str, int]
    pass_total: int
    knowledge_min_professional: int
    knowledge_min_senior: int
    ethics_min: int
    verdict: InterviewResult | None = None


def score_sheet(
    runtime: Runtime, person_id: int, interview_id: int, scores: dict[str, int] | None = None
) -> ScoreSheet:
    """The sheet of an interview for a member of its case's panel; with `scores`, the pass rule's verdict on
    them as filled in so far (checked against the maxima)."""
    with runtime.unit_of_work() as uow:
        interview = uow.review.interview(interview_id)
        if interview is None:
            raise NotFoundError("lookup_interview_missing", interview_id=interview_id)
        case = uow.applications.get(interview.application_id)
        assert case is not None
    held = case_parties_of(runtime, person_id, interview.application_id)
    if Party.INTERVIEW_PANEL.value not in held:
        raise NotPermitted("console_not_on_panel", interview_id=interview_id)
    policy = runtime.review_policy
    level = Level(case.level)
    maxima = policy.maxima_for(case.field_code, level)
    verdict = judge(level, check_scores(scores, maxima), policy) if scores is not None else None
    return ScoreSheet(
        interview_id,
        interview.application_id,
        case.level,
        maxima,
        policy.pass_total,
        policy.knowledge_min_professional,
        policy.knowledge_min_senior,
        policy.ethics_min,
        verdict,
    )


@dataclass(frozen=True)
class AdminDesk:
    """The rules in force by table, the stored calendar years, and the roles of a person looked up."""

    rules: dict[str, list[dict[str, object]]]
    calendar_years: list[queries.CalendarYear]
    roles: list[RoleLine] | None
    username: str


def admin_desk(runtime: Runtime, who: Viewer, username: str = "") -> AdminDesk:
    """For federation administrators and society administrators; with `username`, that person's roles."""
    if not (who.administrator or who.administers):
        raise NotPermitted("console_admin_not_yours", actor=who.name)
    policies = runtime.policies
    rules = {
        name: [dict(row) for row in book.describe()]
        for name, book in (
            ("pipeline", policies.pipeline),
            ("review", policies.review),
            ("governance", policies.governance),
            ("delivery", policies.delivery),
            ("renewal", policies.renewal),
        )
    }
    roles = roles_of(runtime, username) if username.strip() else None
    return AdminDesk(rules, queries.calendar_years(runtime), roles, username.strip())
