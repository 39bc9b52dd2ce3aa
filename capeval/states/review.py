"""Examiner review tasks (their own workflow) and material review records (Q&A Q15, Q19).

`TASK_MOVES` is the single definition of a review task's life; the one engine runs it (`TASK_WORKFLOW`)
and derives its shared transitions Machine and diagram from it, like the application workflow's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from . import engine
from .application import Action
from .authority import Actor
from .errors import GuardRefused, InputError, Problem
from .messages import Term
from .review_policy import AREAS, ReviewPolicy


class TaskState(StrEnum):
    """Where one examiner's review of one case stands."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    SUBMITTED = "submitted"
    OVERDUE = "overdue"
    REASSIGNED = "reassigned"
    CANCELLED = "cancelled"


class TaskAction(StrEnum):
    """What an examiner, the workgroup or the sweep does to a review task."""

    ACCEPT = "accept"
    DECLINE = "decline"
    EXPIRE = "expire"
    SUBMIT = "submit"
    MARK_OVERDUE = "mark_overdue"
    REASSIGN = "reassign"
    CANCEL = "cancel"
    CANCEL_ORPHANED = "cancel_orphaned"


class TaskParty(StrEnum):
    """Who moves a review task."""

    EXAMINER = "examiner"
    WORKGROUP = "workgroup"
    SYSTEM = "system"


@dataclass(frozen=True)
class TaskFacts:
    """What the task guards read: the reason given for the move."""

    reason: str = ""


def _task_reason_given(facts: TaskFacts) -> Problem | None:
    if facts.reason.strip():
        return None
    return Problem("guard_task_reason_given")


TASK_REASON_GIVEN = engine.Guard[TaskFacts]("reason_given", "Q&A Q15, Q19", _task_reason_given)

TaskMove = engine.Move[TaskState, TaskAction]
"""One allowed move of a review task (the engine's move type)."""

T, TA, TP = TaskState, TaskAction, TaskParty
_REASON = (TASK_REASON_GIVEN,)
TASK_MOVES: tuple[TaskMove, ...] = (
    TaskMove(TA.ACCEPT, T.INVITED, T.ACCEPTED, TP.EXAMINER),
    TaskMove(TA.DECLINE, T.INVITED, T.DECLINED, TP.EXAMINER, _REASON),
    TaskMove(TA.EXPIRE, T.INVITED, T.EXPIRED, TP.SYSTEM),
    TaskMove(TA.SUBMIT, T.ACCEPTED, T.SUBMITTED, TP.EXAMINER),
    TaskMove(TA.MARK_OVERDUE, T.ACCEPTED, T.OVERDUE, TP.SYSTEM),
    TaskMove(TA.SUBMIT, T.OVERDUE, T.SUBMITTED, TP.EXAMINER),
    TaskMove(TA.REASSIGN, T.OVERDUE, T.REASSIGNED, TP.WORKGROUP, _REASON),
    TaskMove(TA.REASSIGN, T.ACCEPTED, T.REASSIGNED, TP.WORKGROUP, _REASON),
    TaskMove(TA.CANCEL, T.INVITED, T.CANCELLED, TP.WORKGROUP, _REASON),
    TaskMove(TA.CANCEL, T.ACCEPTED, T.CANCELLED, TP.WORKGROUP, _REASON),
    TaskMove(TA.CANCEL, T.OVERDUE, T.CANCELLED, TP.WORKGROUP, _REASON),
    TaskMove(TA.CANCEL_ORPHANED, T.INVITED, T.CANCELLED, TP.SYSTEM, _REASON),
    TaskMove(TA.CANCEL_ORPHANED, T.ACCEPTED, T.CANCELLED, TP.SYSTEM, _REASON),
    TaskMove(TA.CANCEL_ORPHANED, T.OVERDUE, T.CANCELLED, TP.SYSTEM, _REASON),
)
"""`cancel` is the workgroup's; `cancel_orphaned` the sweep's, for a case that has left material review."""
OPEN_TASK_STATES = frozenset({T.INVITED, T.ACCEPTED, T.OVERDUE})
"""Tasks that count towards an examiner's load."""

TASK_WORKFLOW: engine.Workflow[TaskState, TaskAction] = engine.Workflow(
    "review-task",
    TaskState,
    TaskState.INVITED,
    TASK_MOVES,
    closed=frozenset(TaskState) - OPEN_TASK_STATES,
)
TASK_MACHINE = TASK_WORKFLOW.machine
"""The one shared transitions Machine of review tasks."""


def advance_task(state: TaskState, action: TaskAction, reason: str = "", actor: Actor | None = None) -> TaskMove:
    """Take `action` on a task in `state` through the shared Machine, as `actor`; refuse with the allowed actions.

    The actor must hold the move's party (the examiner the task belongs to, the workgroup of the case's
    society, the sweep), else NotPermitted. A move that needs a reason and has none is refused as an input
    error (the reason is an argument).
    """
    try:
        return TASK_WORKFLOW.advance(state, action, TaskFacts(reason), actor)
    except GuardRefused:
        raise InputError("task_reason_required", action=Term(f"task_action_{action.value}")) from None


class Recommendation(StrEnum):
    """An examiner's recommendation on the material review (Q&A Q15)."""

    PASS = "pass"
    FURTHER_ASSESSMENT = "further_assessment"
    SUPPLEMENT = "supplement"
    FAIL = "fail"


STRICTNESS = (Recommendation.SUPPLEMENT, Recommendation.FAIL, Recommendation.FURTHER_ASSESSMENT, Recommendation.PASS)
"""Strictest first: the order the 'strictest' rule consults and 'majority' breaks ties by."""


@dataclass(frozen=True)
class AreaFinding:
    """One area of one review record: achieved or not, and why."""

    area: str
    achieved: bool
    justification: str


@dataclass(frozen=True)
class ReviewRecord:
    """An examiner's material review record (工程会员申请材料审查记录表)."""

    findings: tuple[AreaFinding, ...]
    recommendation: Recommendation
    focus_areas: tuple[str, ...] = ()
    supplement_items: tuple[str, ...] = ()
    remarks: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, origin: str = "review record") -> ReviewRecord:
        """Read and check a record: every area judged with a written reason, a recommendation with its list."""
        areas = data.get("areas")
        if not isinstance(areas, Mapping):
            raise InputError("record_areas_not_table", origin=origin, areas=list(AREAS))
        unknown = sorted(set(areas) - set(AREAS))
        if unknown:
            raise InputError("record_area_unknown", origin=origin, area=unknown[0], areas=list(AREAS))
        findings = []
        for area in AREAS:
            entry = areas.get(area)
            if not isinstance(entry, Mapping):
                raise InputError("record_area_missing", origin=origin, area=area, label=Term(f"area_{area}"))
            achieved = entry.get("achieved")
            if not isinstance(achieved, bool):
                raise InputError("record_achieved_not_boolean", origin=origin, area=area)
            justification = entry.get("justification", "")
            if not isinstance(justification, str) or not justification.strip():
                raise InputError("record_justification_empty", origin=origin, area=area)
            findings.append(AreaFinding(area, achieved, justification.strip()))
        try:
            recommendation = Recommendation(str(data.get("recommendation")))
        except ValueError:
            choices = [r.value for r in Recommendation]
            raise InputError("record_recommendation_unknown", origin=origin, choices=choices) from None
        focus = _strings(data.get("focus_areas", []), "focus_areas", origin)
        items = _strings(data.get("supplement_items", []), "supplement_items", origin)
        if recommendation is Recommendation.FURTHER_ASSESSMENT and not focus:
            raise InputError("record_focus_areas_missing", origin=origin)
        if recommendation is Recommendation.SUPPLEMENT and not items:
            raise InputError("record_supplement_items_missing", origin=origin)
        remarks = data.get("remarks", "")
        return cls(tuple(findings), recommendation, focus, items, remarks if isinstance(remarks, str) else "")

    def to_mapping(self) -> dict[str, Any]:
        return {
            "areas": {f.area: {"achieved": f.achieved, "justification": f.justification} for f in self.findings},
            "recommendation": self.recommendation.value,
            "focus_areas": list(self.focus_areas),
            "supplement_items": list(self.supplement_items),
            "remarks": self.remarks,
        }


def _strings(value: Any, name: str, origin: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise InputError("record_strings_malformed", origin=origin, name=name)
    return tuple(item.strip() for item in value)


@dataclass(frozen=True)
class RoundDecision:
    """What the records of one round decide: the application action to fire and its reason."""

    action: Action
    reason: str


_ACTION_OF = {
    Recommendation.PASS: Action.PASS_MATERIAL_REVIEW,
    Recommendation.FURTHER_ASSESSMENT: Action.REFER_TO_FURTHER_ASSESSMENT,
    Recommendation.SUPPLEMENT: Action.REQUEST_SUPPLEMENT,
    Recommendation.FAIL: Action.FAIL_MATERIAL_REVIEW,
}


def combine_records(records: Sequence[ReviewRecord], policy: ReviewPolicy) -> RoundDecision:
    """Combine one round's records into the case's next step by the policy's `combine_rule`."""
    if not records:
        raise InputError("records_none_to_combine")
    counts = Counter(record.recommendation for record in records)
    if policy.combine_rule == "majority":
        top = max(counts.values())
        outcome = next(r for r in STRICTNESS if counts[r] == top)
    else:
        outcome = next(r for r in STRICTNESS if counts[r])
    return RoundDecision(_ACTION_OF[outcome], _reason(outcome, records))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _reason(outcome: Recommendation, records: Sequence[ReviewRecord]) -> str:
    if outcome is Recommendation.SUPPLEMENT:
        items = _unique(i for r in records for i in r.supplement_items)
        return "supplementary material needed: " + "; ".join(items)
    if outcome is Recommendation.FURTHER_ASSESSMENT:
        focus = _unique(i for r in records for i in r.focus_areas)
        return "further assessment, focus on: " + "; ".join(focus)
    if outcome is Recommendation.FAIL:
        failed = (
            _unique(f"{f.area}: {f.justification}" for r in records for f in r.findings if not f.achieved)
            or _unique(r.remarks for r in records if r.remarks)
            or ["the examiners recommend failing"]
        )
        return "material review not passed; not achieved: " + "; ".join(failed)
    return ""
