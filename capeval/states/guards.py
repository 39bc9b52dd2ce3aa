"""Named guards of the application workflow.

A guard looks at the facts of one case and returns None when it is satisfied, or a coded reason (a
Problem of the catalog's `guards.toml`, with a hint that names the action) when it is not. The facts
are gathered by the service layer; guards do no IO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from . import engine
from .batches import BatchStanding, batch_open_problem, later_batch_problem
from .certificates import Status
from .errors import Problem
from .evidence import Grounds
from .levels import Level, Route
from .messages import Term
from .policy import PipelinePolicy
from .statement import StatementMeasure
from .work_experience import ExperienceStanding, experience_problem

EVIDENCE_LABELS = {
    "id_card_front": "ID copy, front side",
    "id_card_back": "ID copy, back side",
    "education": "proof of education",
    "work_experience": "proof of work experience",
    "achievement": "proof of achievements",
    "award": "proof of awards",
    "title_proof": "proof of the international engineer title",
    "supplement": "supplementary material",
}


class CaseFacts(Protocol):
    """What the guards read about one case; the service layer may load each fact only when it is read.

    Every fact is read-only, so a plain value, a property or a cached property satisfies it.
    """

    @property
    def route(self) -> Route: ...
    @property
    def level(self) -> Level: ...
    @property
    def field_code(self) -> str: ...
    @property
    def society_code(self) -> str: ...
    @property
    def today(self) -> date: ...
    @property
    def self_statement(self) -> StatementMeasure: ...
    @property
    def evidence_kinds(self) -> frozenset[str]: ...
    @property
    def commitment_signed(self) -> bool: ...
    @property
    def applicant_is_member(self) -> bool: ...
    @property
    def membership_pending(self) -> bool: ...
    @property
    def society_authorized_for_field(self) -> bool: ...
    @property
    def applicant_banned(self) -> bool: ...
    @property
    def active_certificate_level(self) -> Level | None: ...
    @property
    def international_title(self) -> str | None: ...
    @property
    def international_title_issuer(self) -> str | None: ...
    @property
    def international_title_expires_on(self) -> date | None: ...
    @property
    def resubmission_due(self) -> date | None: ...
    @property
    def supplement_due(self) -> date | None: ...
    @property
    def supplements_since_request(self) -> int: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def policy(self) -> PipelinePolicy: ...
    @property
    def appeal_upheld(self) -> bool: ...
    @property
    def other_open_applications(self) -> tuple[OpenApplication, ...]: ...
    @property
    def certificates_in_field(self) -> tuple[HeldCertificate, ...]: ...
    @property
    def decision_grounds(self) -> Grounds | None: ...
    @property
    def rejected_in_same_batch(self) -> tuple[int, ...]: ...
    @property
    def batch_standing(self) -> BatchStanding | None: ...
    @property
    def experience_standing(self) -> ExperienceStanding | None: ...


@dataclass(frozen=True)
class ApplicationFacts:
    """The facts of one case as plain values (the CaseFacts the tests and pure callers build)."""

    route: Route
    level: Level
    field_code: str
    society_code: str
    today: date
    self_statement: StatementMeasure = StatementMeasure(0, 0)
    evidence_kinds: frozenset[str] = frozenset()
    commitment_signed: bool = False
    applicant_is_member: bool = False
    membership_pending: bool = False
    society_authorized_for_field: bool = False
    applicant_banned: bool = False
    active_certificate_level: Level | None = None
    international_title: str | None = None
    international_title_issuer: str | None = None
    international_title_expires_on: date | None = None
    resubmission_due: date | None = None
    supplement_due: date | None = None
    supplements_since_request: int = 0
    reason: str | None = None
    policy: PipelinePolicy = field(default_factory=PipelinePolicy)
    appeal_upheld: bool = False
    other_open_applications: tuple[OpenApplication, ...] = ()
    certificates_in_field: tuple[HeldCertificate, ...] = ()
    decision_grounds: Grounds | None = None
    rejected_in_same_batch: tuple[int, ...] = ()
    batch_standing: BatchStanding | None = None
    experience_standing: ExperienceStanding | None = None


Guard = engine.Guard[CaseFacts]
"""A named predicate with the article it enforces (the engine's guard type over the case facts)."""


def _level(level: Level) -> Term:
    return Term(f"level_{level.value}")


def _evidence(kind: str) -> Term | str:
    return Term(f"evidence_{kind}") if kind in EVIDENCE_LABELS else f"{kind} ({kind})"


def _self_statement_length(facts: CaseFacts) -> Problem | None:
    low, high = facts.policy.self_statement_min_chars, facts.policy.self_statement_max_chars
    count = facts.self_statement.chars
    if count < low:
        return Problem(
            "guard_self_statement_too_short", {"count": count, "low": low, "high": high, "short": low - count}
        )
    if count > high:
        return Problem(
            "guard_self_statement_too_long", {"count": count, "low": low, "high": high, "over": count - high}
        )
    return None


def _self_statement_in_chinese(facts: CaseFacts) -> Problem | None:
    measured, minimum = facts.self_statement, facts.policy.self_statement_min_chinese_percent
    if not measured.chars or measured.at_least_percent(minimum):
        return None
    params = {"count": measured.chars, "cjk": measured.cjk_chars, "percent": measured.cjk_percent, "minimum": minimum}
    return Problem("guard_self_statement_not_chinese", params)


def _required_evidence(facts: CaseFacts) -> Problem | None:
    required = list(facts.policy.required_evidence)
    if facts.route is Route.INTERNATIONAL:
        required += list(facts.policy.international_required_evidence)
    missing = [kind for kind in required if kind not in facts.evidence_kinds]
    if not missing:
        return None
    return Problem("guard_required_evidence", {"missing": [_evidence(kind) for kind in missing]})


def _commitment_signed(facts: CaseFacts) -> Problem | None:
    if facts.commitment_signed:
        return None
    return Problem("guard_commitment_signed")


def _society_authorized(facts: CaseFacts) -> Problem | None:
    if facts.society_authorized_for_field:
        return None
    return Problem("guard_society_authorized", {"society": facts.society_code, "field": facts.field_code})


def _applicant_is_member(facts: CaseFacts) -> Problem | None:
    if facts.applicant_is_member:
        return None
    if facts.membership_pending and facts.policy.accept_concurrent_membership:
        return None
    return Problem("guard_applicant_is_member", {"society": facts.society_code})


def _not_banned(facts: CaseFacts) -> Problem | None:
    if not facts.applicant_banned:
        return None
    return Problem("guard_banned_for_life")


def _level_progression(facts: CaseFacts) -> Problem | None:
    suspended = _suspended_certificate(facts)
    if suspended is not None:
        return suspended
    current = _held_level(facts)
    if facts.route is Route.UPGRADE:
        if current is None:
            return Problem("guard_upgrade_needs_certificate")
        wanted = current.next_level()
        if wanted is None:
            return Problem("guard_upgrade_at_highest_level", {"current": _level(current)})
        if facts.level is not wanted:
            return Problem(
                "guard_upgrade_skips_level",
                {"current": _level(current), "wanted": _level(wanted), "asked": _level(facts.level)},
            )
        return None
    if current is not None:
        return Problem("guard_already_certified", {"current": _level(current)})
    return None


def _international_title(facts: CaseFacts) -> Problem | None:
    if facts.route is not Route.INTERNATIONAL or facts.international_title:
        return None
    return Problem("guard_international_title_named")


def _international_title_valid(facts: CaseFacts) -> Problem | None:
    if facts.route is not Route.INTERNATIONAL:
        return None
    if facts.policy.require_international_title_issuer and not (facts.international_title_issuer or "").strip():
        return Problem("guard_international_title_issuer")
    expires = facts.international_title_expires_on
    if expires is not None and expires < facts.today:
        if facts.international_title:
            return Problem("guard_international_title_expired", {"title": facts.international_title, "on": expires})
        return Problem("guard_unnamed_title_expired", {"on": expires})
    return None


def _within_resubmission_window(facts: CaseFacts) -> Problem | None:
    due = facts.resubmission_due
    if due is None or facts.today <= due:
        return None
    return Problem("guard_resubmission_window_passed", {"due_on": due})


def _resubmission_window_closed(facts: CaseFacts) -> Problem | None:
    due = facts.resubmission_due
    if due is not None and facts.today > due:
        return None
    if due is None:
        return Problem("guard_resubmission_due_unset")
    return Problem("guard_resubmission_window_open", {"due_on": due})


def _within_supplement_window(facts: CaseFacts) -> Problem | None:
    due = facts.supplement_due
    if due is None or facts.today <= due:
        return None
    return Problem("guard_supplement_window_passed", {"due_on": due})


def _supplement_window_closed(facts: CaseFacts) -> Problem | None:
    due = facts.supplement_due
    if due is not None and facts.today > due:
        return None
    if due is None:
        return Problem("guard_supplement_due_unset")
    return Problem("guard_supplement_window_open", {"due_on": due})


def _supplement_provided(facts: CaseFacts) -> Problem | None:
    if facts.supplements_since_request > 0:
        return None
    return Problem("guard_supplement_provided")


def _reason_given(facts: CaseFacts) -> Problem | None:
    if facts.reason and facts.reason.strip():
        return None
    return Problem("guard_reason_given")


def _appeal_upheld(facts: CaseFacts) -> Problem | None:
    if facts.appeal_upheld:
        return None
    return Problem("guard_appeal_upheld")


SELF_STATEMENT_LENGTH = Guard("self_statement_length", "Q&A Q9", _self_statement_length)
SELF_STATEMENT_IN_CHINESE = Guard("self_statement_in_chinese", "Q&A Q18, Q29", _self_statement_in_chinese)
REQUIRED_EVIDENCE = Guard("required_evidence", "Q&A Q11, Q29", _required_evidence)


def _not_again_in_batch(facts: CaseFacts) -> Problem | None:
    rejected = facts.rejected_in_same_batch
    if not rejected:
        return None
    return Problem("guard_rejected_in_batch", {"cases": list(rejected), "field": facts.field_code})


NOT_AGAIN_IN_BATCH = Guard("not_again_in_the_same_batch", "Q&A Q19-Q20", _not_again_in_batch)


def _in_open_batch(facts: CaseFacts) -> Problem | None:
    return batch_open_problem(facts.batch_standing, facts.today)


def _in_later_batch(facts: CaseFacts) -> Problem | None:
    return later_batch_problem(facts.batch_standing)


def _work_experience(facts: CaseFacts) -> Problem | None:
    days_per_year = facts.policy.experience_days_per_year
    return experience_problem(facts.experience_standing, facts.level, facts.today, days_per_year)


WORK_EXPERIENCE = Guard(
    "work_experience_years", "Q&A Q33, Q37; the years per level are the society's field rule", _work_experience
)
IN_OPEN_BATCH = Guard("in_an_open_batch", "Q&A Q19; batches and their days are the society's", _in_open_batch)
IN_LATER_BATCH = Guard("in_a_later_batch", "Q&A Q19 (下一批)", _in_later_batch)
COMMITMENT_SIGNED = Guard("commitment_signed", "Q&A Q8, Q14", _commitment_signed)
SOCIETY_AUTHORIZED = Guard("society_authorized_for_field", "Q&A Q4-Q5; Charter art. 16", _society_authorized)
APPLICANT_IS_MEMBER = Guard("applicant_is_member", "Q&A Q4, Q6, Q36", _applicant_is_member)
NOT_BANNED = Guard("not_banned_for_life", "Q&A Q14", _not_banned)
LEVEL_PROGRESSION = Guard("level_progression", "Q&A Q34-Q35", _level_progression)
INTERNATIONAL_TITLE = Guard("international_title_named", "Q&A Q29", _international_title)
INTERNATIONAL_TITLE_VALID = Guard("international_title_valid", "Q&A Q29", _international_title_valid)
WITHIN_RESUBMISSION_WINDOW = Guard("within_resubmission_window", "Q&A Q19", _within_resubmission_window)
RESUBMISSION_WINDOW_CLOSED = Guard("resubmission_window_closed", "Q&A Q19", _resubmission_window_closed)
WITHIN_SUPPLEMENT_WINDOW = Guard("within_supplement_window", "Q&A Q15, Q19", _within_supplement_window)
SUPPLEMENT_WINDOW_CLOSED = Guard("supplement_window_closed", "Q&A Q15, Q19", _supplement_window_closed)
SUPPLEMENT_PROVIDED = Guard("supplement_provided", "Q&A Q15, Q19", _supplement_provided)
REASON_GIVEN = Guard("reason_given", "Q&A Q19-Q20", _reason_given)
APPEAL_UPHELD = Guard("appeal_upheld", "Charter art. 11", _appeal_upheld)

# --- decisions backed by their evidence (Q&A Q15-Q17, Q19; Charter art. 9, 31) ----------------------------


def _decided_by(action: str, missing: Problem) -> engine.Check[CaseFacts]:
    def check(facts: CaseFacts) -> Problem | None:
        grounds = facts.decision_grounds
        if grounds is None:
            return missing
        if grounds.problem is not None:
            return grounds.problem
        if action in grounds.decides:
            return None
        decided = sorted(grounds.decides)
        return Problem("guard_evidence_decides_other", {"cited": grounds.cited, "decided": decided, "action": action})

    return check


def decided_by_review_round(action: str) -> Guard:
    """`action` of material review follows only from a complete review round whose records decide it."""
    missing = Problem("guard_review_round_needed", {"action": action})
    return Guard("decided_by_review_round", "Q&A Q15, Q19", _decided_by(action, missing))


def decided_by_assessment(action: str) -> Guard:
    """`action` of the further assessment follows only from the case's decided interview (or written exam)."""
    missing = Problem("guard_assessment_needed", {"action": action})
    return Guard("decided_by_assessment", "Q&A Q16-Q17", _decided_by(action, missing))


def decided_by_resolution(action: str) -> Guard:
    """`action` of the committee follows only from a valid resolution of the review committee naming the case."""
    missing = Problem("guard_resolution_needed", {"action": action})
    return Guard("decided_by_resolution", "Charter art. 9, 31", _decided_by(action, missing))


SUBMISSION_GUARDS: tuple[Guard, ...] = (
    NOT_BANNED,
    APPLICANT_IS_MEMBER,
    SOCIETY_AUTHORIZED,
    LEVEL_PROGRESSION,
    INTERNATIONAL_TITLE,
    INTERNATIONAL_TITLE_VALID,
    COMMITMENT_SIGNED,
    SELF_STATEMENT_LENGTH,
    SELF_STATEMENT_IN_CHINESE,
    REQUIRED_EVIDENCE,
    WORK_EXPERIENCE,
    NOT_AGAIN_IN_BATCH,
)


# --- Eligibility held at every decision (Q&A Q6, Q14, Q29, Q34-Q36) ------------------------------------
# Ban, membership, level order and title validity are checked again when the case is accepted for review,
# approved, its title confirmed and registered; the parallel-application rule at submission and acceptance.


@dataclass(frozen=True)
class OpenApplication:
    """Another application of the same person that is under way (submitted and not yet closed)."""

    case_id: int
    field_code: str


@dataclass(frozen=True)
class HeldCertificate:
    """A certificate the applicant holds or held in the case's field, with its status."""

    registration_number: str
    level: Level
    status: Status


def _held_level(facts: CaseFacts) -> Level | None:
    """The level held in the field for level order: the active certificate's, or a suspended or expired
    one's where the policy counts it (Q&A Q34-Q35)."""
    policy = facts.policy
    counted = {Status.SUSPENDED} if not policy.suspended_certificate_blocks else set()
    if policy.expired_certificate_counts_as_held:
        counted.add(Status.EXPIRED)
    levels = [c.level for c in facts.certificates_in_field if c.status in counted]
    if facts.active_certificate_level is not None:
        levels.append(facts.active_certificate_level)
    order = list(Level)
    return max(levels, key=order.index) if levels else None


def _suspended_certificate(facts: CaseFacts) -> Problem | None:
    if not facts.policy.suspended_certificate_blocks:
        return None
    suspended = [c for c in facts.certificates_in_field if c.status is Status.SUSPENDED]
    if not suspended:
        return None
    certificate = suspended[0]
    return Problem(
        "guard_certificate_suspended",
        {"level": _level(certificate.level), "number": certificate.registration_number, "field": facts.field_code},
    )


def _one_open_application(facts: CaseFacts) -> Problem | None:
    per_person = facts.policy.parallel_applications == "one_per_person"
    others = [o.case_id for o in facts.other_open_applications if per_person or o.field_code == facts.field_code]
    if not others:
        return None
    if per_person:
        return Problem("guard_parallel_application", {"cases": others, "first": others[0]})
    return Problem(
        "guard_parallel_application_in_field", {"cases": others, "first": others[0], "field": facts.field_code}
    )


def _membership_active(facts: CaseFacts) -> Problem | None:
    if facts.applicant_is_member:
        return None
    if facts.membership_pending:
        return Problem("guard_membership_still_pending", {"society": facts.society_code})
    return Problem("guard_applicant_is_member", {"society": facts.society_code})


ONE_OPEN_APPLICATION = Guard(
    "one_open_application", "not in the sources: capeval's choice (Q&A Q34-Q35)", _one_open_application
)
MEMBERSHIP_ACTIVE = Guard("membership_active", "Q&A Q6, Q36", _membership_active)

ACCEPTANCE_GUARDS: tuple[Guard, ...] = (
    NOT_BANNED,
    APPLICANT_IS_MEMBER,
    LEVEL_PROGRESSION,
    INTERNATIONAL_TITLE_VALID,
    ONE_OPEN_APPLICATION,
)
"""Accepting a case for material review: eligibility again, and no other application under way."""
APPROVAL_GUARDS: tuple[Guard, ...] = (NOT_BANNED, APPLICANT_IS_MEMBER, LEVEL_PROGRESSION, INTERNATIONAL_TITLE_VALID)
"""The committee's approval and the secretariat's confirmation of the title: eligibility again (a pending
membership still counts where the policy accepts concurrent membership, Q&A Q6)."""
REGISTRATION_GUARDS: tuple[Guard, ...] = (NOT_BANNED, MEMBERSHIP_ACTIVE, LEVEL_PROGRESSION, INTERNATIONAL_TITLE_VALID)
"""Registration: eligibility again, and the society membership must now be active (Q&A Q36)."""
