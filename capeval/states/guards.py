"""Named guards of the application workflow.

A guard looks at the facts of one case and returns None when it is satisfied, or a reason a person can
act on when it is not. The facts are gathered by the service layer; guards do no IO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from . import engine
from .levels import Level, Route
from .policy import PipelinePolicy

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
    """What the guards read about one case; the service layer may load each fact only when it is read."""

    route: Route
    level: Level
    field_code: str
    society_code: str
    today: date
    self_statement_chars: int
    evidence_kinds: frozenset[str]
    commitment_signed: bool
    applicant_is_member: bool
    membership_pending: bool
    society_authorized_for_field: bool
    applicant_banned: bool
    active_certificate_level: Level | None
    international_title: str | None
    international_title_issuer: str | None
    international_title_expires_on: date | None
    resubmission_due: date | None
    supplement_due: date | None
    supplements_since_request: int
    reason: str | None
    policy: PipelinePolicy
    appeal_upheld: bool


@dataclass(frozen=True)
class ApplicationFacts:
    """The facts of one case as plain values (the CaseFacts the tests and pure callers build)."""

    route: Route
    level: Level
    field_code: str
    society_code: str
    today: date
    self_statement_chars: int = 0
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


Guard = engine.Guard[CaseFacts]
"""A named predicate with the article it enforces (the engine's guard type over the case facts)."""


def _self_statement_length(facts: CaseFacts) -> str | None:
    low, high = facts.policy.self_statement_min_chars, facts.policy.self_statement_max_chars
    count = facts.self_statement_chars
    if count < low:
        return f"the self-statement has {count} characters; it needs {low}-{high}: add at least {low - count}"
    if count > high:
        return f"the self-statement has {count} characters; it needs {low}-{high}: cut at least {count - high}"
    return None


def _required_evidence(facts: CaseFacts) -> str | None:
    required = list(facts.policy.required_evidence)
    if facts.route is Route.INTERNATIONAL:
        required += list(facts.policy.international_required_evidence)
    missing = [kind for kind in required if kind not in facts.evidence_kinds]
    if not missing:
        return None
    listed = ", ".join(f"{EVIDENCE_LABELS.get(kind, kind)} ({kind})" for kind in missing)
    return f"required evidence is missing: {listed}; attach it before submitting"


def _commitment_signed(facts: CaseFacts) -> str | None:
    if facts.commitment_signed:
        return None
    return "the commitment letter (工程会员承诺书) is not signed; the applicant must sign it before submitting"


def _society_authorized(facts: CaseFacts) -> str | None:
    if facts.society_authorized_for_field:
        return None
    return (
        f"society '{facts.society_code}' is not authorized to evaluate the field '{facts.field_code}'; "
        "apply through a society authorized for this field"
    )


def _applicant_is_member(facts: CaseFacts) -> str | None:
    if facts.applicant_is_member:
        return None
    if facts.membership_pending and facts.policy.accept_concurrent_membership:
        return None
    return (
        f"the applicant is not a registered member of society '{facts.society_code}'; "
        "register as a society member first"
    )


def _not_banned(facts: CaseFacts) -> str | None:
    if not facts.applicant_banned:
        return None
    return "the applicant is banned for life from applying because of false material or misconduct (Q&A Q14)"


def _level_progression(facts: CaseFacts) -> str | None:
    current = facts.active_certificate_level
    if facts.route is Route.UPGRADE:
        if current is None:
            return "an upgrade needs an active certificate; apply through the standard route instead"
        wanted = current.next_level()
        if wanted is None:
            return f"the applicant already holds the highest level ({current.value}); there is nothing to upgrade to"
        if facts.level is not wanted:
            return (
                f"an upgrade from {current.value} must ask for {wanted.value}, not {facts.level.value}; "
                "no level may be skipped"
            )
        return None
    if current is not None:
        return (
            f"the applicant already holds an active {current.value} certificate; "
            "use the upgrade route for the next level"
        )
    return None


def _international_title(facts: CaseFacts) -> str | None:
    if facts.route is not Route.INTERNATIONAL or facts.international_title:
        return None
    return "the international-title route needs the title held (e.g. IntPE, APEC Engineer, EUR ING, ACPE)"


def _international_title_valid(facts: CaseFacts) -> str | None:
    if facts.route is not Route.INTERNATIONAL:
        return None
    if facts.policy.require_international_title_issuer and not (facts.international_title_issuer or "").strip():
        return "the international-title route needs the body that issued the title (e.g. the IntPE register of Japan)"
    expires = facts.international_title_expires_on
    if expires is not None and expires < facts.today:
        return (
            f"the {facts.international_title or 'international'} title expired on {expires.isoformat()}; "
            "renew it with its issuer or apply through the standard route"
        )
    return None


def _within_resubmission_window(facts: CaseFacts) -> str | None:
    due = facts.resubmission_due
    if due is None or facts.today <= due:
        return None
    return f"the resubmission window closed on {due.isoformat()}; the case lapses"


def _resubmission_window_closed(facts: CaseFacts) -> str | None:
    due = facts.resubmission_due
    if due is not None and facts.today > due:
        return None
    return f"the applicant may still resubmit until {due.isoformat() if due else 'an unset date'}"


def _within_supplement_window(facts: CaseFacts) -> str | None:
    due = facts.supplement_due
    if due is None or facts.today <= due:
        return None
    return f"the supplement window closed on {due.isoformat()}; the case lapses"


def _supplement_window_closed(facts: CaseFacts) -> str | None:
    due = facts.supplement_due
    if due is not None and facts.today > due:
        return None
    return f"the applicant may still send supplements until {due.isoformat() if due else 'an unset date'}"


def _supplement_provided(facts: CaseFacts) -> str | None:
    if facts.supplements_since_request > 0:
        return None
    return "no supplementary material has been added since it was requested; attach it first"


def _reason_given(facts: CaseFacts) -> str | None:
    if facts.reason and facts.reason.strip():
        return None
    return "this action needs a reason that the applicant will read; give one with --reason"


def _appeal_upheld(facts: CaseFacts) -> str | None:
    if facts.appeal_upheld:
        return None
    return (
        "a rejected case is reopened only by an appeal the impartiality committee upheld; "
        "lodge one with 'capeval appeal lodge'"
    )


SELF_STATEMENT_LENGTH = Guard("self_statement_length", "Q&A Q9", _self_statement_length)
REQUIRED_EVIDENCE = Guard("required_evidence", "Q&A Q11, Q29", _required_evidence)
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

SUBMISSION_GUARDS: tuple[Guard, ...] = (
    NOT_BANNED,
    APPLICANT_IS_MEMBER,
    SOCIETY_AUTHORIZED,
    LEVEL_PROGRESSION,
    INTERNATIONAL_TITLE,
    INTERNATIONAL_TITLE_VALID,
    COMMITMENT_SIGNED,
    SELF_STATEMENT_LENGTH,
    REQUIRED_EVIDENCE,
)
