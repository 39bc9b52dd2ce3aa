"""What the CPD ledger accepts, each rule a named guard with its article, and the natural key of an activity.

An activity offered to the ledger (recorded by hand or imported from a platform transcript) is refused
when it is dated after today or outside the validity of the certificate it is recorded for; when it says
the member is a qualified lecturer (the society records that, `cpd lecturer`); and when the society
decides its hours (organized outside the society and the federation, or with hours given) but the person
recording it is not staff of the society, or is the holder. One refused activity refuses the whole batch.

The natural key says when two rows are one activity, whoever recorded it and from whatever source: the
holder, the date, the kind, the title (Unicode NFKC, whitespace collapsed, case folded) and the duration
(minutes, days, hours given). The ledger keeps one row per key (a unique constraint), so the same
transcript imported twice adds nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import engine
from .cpd import Activity
from .errors import GuardRefused, Problem
from .messages import Term

SELF_DECLARED = ("qualified_lecturer",)
"""Attributes a member may not type with an activity: the society records them."""


@dataclass(frozen=True)
class Entry:
    """One activity offered to the ledger: where it came from (`activities[2]`, `line 4`), as parsed and as typed."""

    where: str
    activity: Activity
    typed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LedgerFacts:
    """What the ledger's guards read about one entry."""

    entry: Entry
    number: str
    issued_on: date
    expires_on: date
    today: date
    society: str
    actor: str
    by_staff: bool
    by_holder: bool

    def params(self) -> dict[str, object]:
        activity = self.entry.activity
        return {"where": self.entry.where, "kind": activity.kind, "on": activity.on}

    @property
    def last_day(self) -> date:
        """The last date an activity may carry today: today, or the last valid day if that came first."""
        return min(self.today, self.expires_on)


def _dated_in_range(facts: LedgerFacts) -> Problem | None:
    on = facts.entry.activity.on
    allowed = {"first": facts.issued_on, "last": facts.last_day, "number": facts.number}
    if on > facts.today:
        return Problem("cpd_activity_in_future", {**facts.params(), **allowed, "today": facts.today})
    if not facts.issued_on <= on <= facts.expires_on:
        return Problem("cpd_activity_outside_validity", {**facts.params(), **allowed, "expires_on": facts.expires_on})
    return None


def _lecturer_not_self_declared(facts: LedgerFacts) -> Problem | None:
    typed = sorted(set(SELF_DECLARED) & facts.entry.typed)
    if typed:
        return Problem("cpd_lecturer_self_declared", {"where": facts.entry.where, "attribute": typed[0]})
    return None


def _recognized_by_staff(facts: LedgerFacts) -> Problem | None:
    activity = facts.entry.activity
    if activity.outside:
        why = "cpd_why_outside"
    elif activity.credited_hours is not None:
        why = "cpd_why_hours_given"
    else:
        return None
    params = {**facts.params(), "why": Term(why), "society": facts.society, "actor": facts.actor}
    if facts.by_holder:
        return Problem("cpd_recognition_by_holder", params)
    if not facts.by_staff:
        return Problem("cpd_recognition_by_staff", params)
    return None


LedgerGuard = engine.Guard[LedgerFacts]

DATED_IN_RANGE = LedgerGuard("dated_within_validity_and_by_today", "Q&A Q23; CPD-2024 art. 5, 17-18", _dated_in_range)
LECTURER_RECORDED_BY_SOCIETY = LedgerGuard(
    "lecturer_recorded_by_society", "CPD-2024 art. 13(3), 14", _lecturer_not_self_declared
)
RECOGNIZED_BY_SOCIETY_STAFF = LedgerGuard(
    "recognized_by_society_staff", "CPD-2024 art. 8; Q&A Q24", _recognized_by_staff
)
LEDGER_GUARDS: tuple[LedgerGuard, ...] = (DATED_IN_RANGE, LECTURER_RECORDED_BY_SOCIETY, RECOGNIZED_BY_SOCIETY_STAFF)
"""Every rule an activity meets to enter the ledger, in the order their reasons are given."""


def check_entries(batch: Sequence[LedgerFacts]) -> None:
    """Refuse the batch at its first entry that breaks a rule, with every reason of that entry (GuardRefused)."""
    for facts in batch:
        refused = [(guard.name, problem) for guard in LEDGER_GUARDS if (problem := guard.problem(facts))]
        if refused:
            raise GuardRefused(refused)


def _title(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def natural_key(activity: Activity) -> str:
    """The digest of what makes two rows of one holder the same activity (see the module docstring)."""
    parts = [
        activity.on.isoformat(),
        activity.kind,
        _title(activity.title),
        activity.minutes,
        activity.days,
        activity.credited_hours,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def lecturer_period_problem(since: date, until: date | None) -> Problem | None:
    """Why a lecturer qualification's dates cannot stand, or None."""
    if until is not None and until < since:
        return Problem("cpd_lecturer_until_before_since", {"since": since, "until": until})
    return None
