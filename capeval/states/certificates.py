"""Certificates: validity (Q&A Q27), the registration-number scheme (Q&A Q28), and the certificate lifecycle.

The table `MOVES` is the single definition of the lifecycle (Q&A Q14, Q28, Q31; CPD-2024 art. 19); the
one engine runs it (`WORKFLOW`); the shared transitions `Machine`, the allowed actions, the diagram and
the tests derive from it, as in `application.py`.

Registration numbers: `CE-<SOCIETY>-<FIELD4>-<YEAR>-<NNNNN>` where NNNNN is the society's running
sequence for the year of issue, taken from a counter row raised under a row lock. A number is never
reused (cancelled and revoked certificates keep theirs), never changes at renewal (Q&A Q28), and an
upgrade to the next level is a new registration with a new number (Q&A Q34: the full process of that
level), the old certificate being marked superseded by it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import cast

from . import engine
from .authority import Actor
from .errors import GuardRefused, Problem
from .messages import Term
from .validity import expiry_date as expiry_date
from .validity import renewed_expiry as renewed_expiry


def registration_number(society_code: str, field_code: str, year: int, sequence: int) -> str:
    """`CE-<SOCIETY>-<FIELD4>-<YEAR>-<NNNNN>`: NNNNN runs per society and year, so the number is unique."""
    return f"CE-{society_code.upper()}-{field_code.upper()[:4]}-{year}-{sequence:05d}"


class Status(StrEnum):
    """Where a certificate stands; all but active and suspended are final."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Change(StrEnum):
    """What can happen to a certificate."""

    ISSUE = "issue"
    SUSPEND = "suspend"
    RESTORE = "restore"
    REINSTATE = "reinstate"
    RENEW = "renew"
    EXPIRE = "expire"
    CANCEL = "cancel"
    REVOKE = "revoke"
    SUPERSEDE = "supersede"


@dataclass(frozen=True)
class CertificateFacts:
    """What the lifecycle guards read about one certificate.

    For a renewal: `renewal_opens_on` is the first day of the renewal window (None: no window),
    `holder_banned` whether the holder is banned for life, `holder_membership` the status of the holder's
    membership of the society (None: not a member). `appeal_upheld`: the impartiality committee is upholding
    the holder's appeal against the decision that left the certificate where it is.
    """

    today: date
    expires_on: date
    reason: str = ""
    cpd_shortfall: dict[int, dict[str, int]] = field(default_factory=dict)
    renewal_requested_on: date | None = None
    renewal_opens_on: date | None = None
    holder_banned: bool = False
    holder_membership: str | None = None
    appeal_upheld: bool = False


def _appeal_upheld(facts: CertificateFacts) -> Problem | None:
    if facts.appeal_upheld:
        return None
    return Problem("guard_certificate_appeal_upheld")


def _reason_given(facts: CertificateFacts) -> Problem | None:
    if facts.reason.strip():
        return None
    return Problem("guard_certificate_reason_given")


def _validity_over(facts: CertificateFacts) -> Problem | None:
    if facts.today > facts.expires_on:
        return None
    return Problem("guard_validity_over", {"expires_on": facts.expires_on})


def _still_valid(facts: CertificateFacts) -> Problem | None:
    if facts.today <= facts.expires_on:
        return None
    return Problem("guard_still_valid", {"expires_on": facts.expires_on})


def _renewal_applied_in_time(facts: CertificateFacts) -> Problem | None:
    requested = facts.renewal_requested_on
    opens = facts.renewal_opens_on
    if requested is None and facts.today <= facts.expires_on:
        if opens is not None and facts.today < opens:
            return _outside_window(facts.today, opens, facts.expires_on)
        return Problem("guard_renewal_not_applied")
    if requested is None or requested > facts.expires_on:
        return Problem("guard_renewal_applied_late", {"expires_on": facts.expires_on})
    if opens is not None and requested < opens:
        return _outside_window(requested, opens, facts.expires_on)
    return None


def _outside_window(day: date, opens: date, expires_on: date) -> Problem:
    days = (expires_on - opens).days
    return Problem("guard_renewal_window", {"day": day, "opens_on": opens, "expires_on": expires_on, "days": days})


def _holder_not_banned(facts: CertificateFacts) -> Problem | None:
    return Problem("guard_renewal_holder_banned") if facts.holder_banned else None


def _holder_still_member(facts: CertificateFacts) -> Problem | None:
    if facts.holder_membership == "active":
        return None
    if facts.holder_membership is None:
        return Problem("guard_renewal_holder_not_member")
    return Problem("guard_renewal_holder_membership", {"status": facts.holder_membership})


def _shortfall_years(shortfall: Mapping[int, Mapping[str, int]]) -> list[Problem]:
    """Each year that falls short, with the hours each requirement lacks, in year order."""
    return [
        Problem(
            "cpd_year_short",
            {
                "year": year,
                "requirements": [
                    Term("cpd_requirement_short", {"name": name, "hours": hours}) for name, hours in short.items()
                ],
            },
        )
        for year, short in sorted(shortfall.items())
    ]


def _cpd_complete(facts: CertificateFacts) -> Problem | None:
    if not facts.cpd_shortfall:
        return None
    return Problem("guard_cpd_complete", {"years": _shortfall_years(facts.cpd_shortfall)})


CertificateGuard = engine.Guard[CertificateFacts]
"""A named predicate of the lifecycle with the article it enforces (the engine's guard type)."""

REASON_GIVEN = CertificateGuard("reason_given", "Q&A Q31", _reason_given)
VALIDITY_OVER = CertificateGuard("validity_over", "Q&A Q27", _validity_over)
STILL_VALID = CertificateGuard("still_valid", "Q&A Q23, Q28", _still_valid)
APPEAL_UPHELD = CertificateGuard("appeal_upheld", "Charter art. 11", _appeal_upheld)
RENEWAL_APPLIED_IN_TIME = CertificateGuard(
    "renewal_applied_in_window", "Q&A Q23, Q28; window: RenewalPolicy.renewal_window_days", _renewal_applied_in_time
)
HOLDER_NOT_BANNED = CertificateGuard("holder_not_banned", "Q&A Q14", _holder_not_banned)
HOLDER_STILL_MEMBER = CertificateGuard("holder_still_member", "Q&A Q4, Q36", _holder_still_member)
CPD_COMPLETE = CertificateGuard("cpd_complete_each_year", "Q&A Q23; CPD-2024 art. 5, 9, 18", _cpd_complete)
RENEWAL_APPLICATION: tuple[CertificateGuard, ...] = (RENEWAL_APPLIED_IN_TIME, HOLDER_NOT_BANNED, HOLDER_STILL_MEMBER)
"""What a renewal application must meet when the member makes it: in the window, and still eligible."""


class Party(StrEnum):
    """Who acts on a certificate.

    The lifecycle's decisions are the workgroup of the certificate's society's (`society`) or the sweeps'
    (`system`). Outside the table: the holder applies for renewal and records their own CPD (`holder`);
    staff of the society, its workgroup or administrator, recognize CPD, record lecturers and choose the
    society's CPD policy (`society_staff`, CPD-2024 art. 8, 12-14). The holder holds no other party on
    their own certificate. The impartiality committee reinstates a suspended or revoked certificate when
    it upholds the holder's appeal against that decision (`impartiality_committee`, Charter art. 11).
    """

    SOCIETY = "society"
    SYSTEM = "system"
    HOLDER = "holder"
    SOCIETY_STAFF = "society_staff"
    IMPARTIALITY_COMMITTEE = "impartiality_committee"


class Move(engine.Move[Status, Change]):
    """One allowed certificate change (the engine's move; `change` is its action)."""

    @property
    def change(self) -> Change:
        return self.action


_S, _C, _P = Status, Change, Party
_LIVE = (_S.ACTIVE, _S.SUSPENDED)
_RENEWAL = (*RENEWAL_APPLICATION, CPD_COMPLETE)
MOVES: tuple[Move, ...] = (
    Move(_C.SUSPEND, _S.ACTIVE, _S.SUSPENDED, _P.SOCIETY, (REASON_GIVEN,)),
    Move(_C.RESTORE, _S.SUSPENDED, _S.ACTIVE, _P.SOCIETY, (REASON_GIVEN, STILL_VALID)),
    Move(_C.RENEW, _S.ACTIVE, _S.ACTIVE, _P.SOCIETY, _RENEWAL),
    Move(_C.RENEW, _S.EXPIRED, _S.ACTIVE, _P.SOCIETY, _RENEWAL),
    *(Move(_C.EXPIRE, source, _S.EXPIRED, _P.SYSTEM, (VALIDITY_OVER,)) for source in _LIVE),
    *(Move(_C.CANCEL, source, _S.CANCELLED, _P.SOCIETY, (REASON_GIVEN,)) for source in _LIVE),
    *(
        Move(_C.REVOKE, source, _S.REVOKED, _P.SOCIETY, (REASON_GIVEN,))
        for source in (_S.ACTIVE, _S.SUSPENDED, _S.EXPIRED, _S.CANCELLED, _S.SUPERSEDED)
    ),
    Move(_C.SUPERSEDE, _S.ACTIVE, _S.SUPERSEDED, _P.SYSTEM),
    *(
        Move(_C.REINSTATE, source, _S.ACTIVE, _P.IMPARTIALITY_COMMITTEE, (APPEAL_UPHELD, REASON_GIVEN, STILL_VALID))
        for source in (_S.SUSPENDED, _S.REVOKED)
    ),
)
"""Revocation for fraud is possible at any time, also after expiry, cancellation or upgrade (Q&A Q14).
A certificate whose holder applied for renewal in time but whose review ended after the last valid day
expires meanwhile (the register shows the gap) and is renewed from expired, keeping its number.
An upgrade supersedes the old certificate as the new one is issued.
A revocation is final but for an upheld appeal: the impartiality committee's `reinstate` (like its reinstating
of a suspended certificate) returns it to active within its validity, on the appeal's resolution."""

LIVE_STATUSES = frozenset(_LIVE)
FINAL_STATUSES = frozenset({_S.REVOKED})
WORKFLOW: engine.Workflow[Status, Change] = engine.Workflow(
    "certificate", Status, Status.ACTIVE, MOVES, closed=FINAL_STATUSES
)
MACHINE = WORKFLOW.machine
"""The one shared transitions Machine of the certificate lifecycle."""


def moves_from(status: Status) -> Iterator[Move]:
    """The moves leaving `status`."""
    return (move for move in MOVES if move.source is status)


def allowed_changes(status: Status) -> list[Change]:
    """The changes the table allows from `status`, guards not consulted."""
    return WORKFLOW.allowed_actions(status)


def change_status(status: Status, change: Change, facts: CertificateFacts, actor: Actor | None = None) -> Move:
    """Apply `change` to a certificate in `status` through the shared Machine, as `actor`; the move made, or
    why not (NotPermitted when `actor` does not hold the move's party)."""
    return cast(Move, WORKFLOW.advance(status, change, facts, actor))


def check_renewal_application(facts: CertificateFacts) -> None:
    """Refuse a renewal application made outside the window or by a holder no longer eligible.

    `facts.renewal_requested_on` is the day of the application. Raises GuardRefused with every reason.
    """
    refused = [(guard.name, problem) for guard in RENEWAL_APPLICATION if (problem := guard.problem(facts))]
    if refused:
        raise GuardRefused(refused)
