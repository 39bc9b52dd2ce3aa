"""The yearly CPD plans (CPD-2024 art. 7; Q&A Q21): each item a planned activity with the hours it gives;
an activity of the ledger may cite the item it took part in.

A plan is published by the authorized society (CPD-2024 art. 7) or by the federation (Q&A A21:
"联合体或获授权学会每年制定并发布工程会员持续职业发展活动计划"; art. 8 counts activities the federation
organizes). An activity citing an item must cite one of its society's plan, or of the federation's plan
written `federation:<id>`, for the year it took place in, of the same kind; the hours it is counted for
stay those the policy's rules give (the plan announces hours, the counting rules decide them; a citation
records which planned activity it was).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .cpd import KINDS, Activity
from .errors import InputError, Problem

PLAN_HOURS_MAX = 1000
ITEM_ID_MAX = 40
FEDERATION_CITATION = "federation:"
"""How an activity cites an item of the federation's plan: `federation:<item id>`, so that an item id of
the federation's plan never stands for, or hides, one of the society's."""


def federation_citation(item_id: str) -> str:
    """The `plan_item` by which an activity cites the federation's item `item_id`."""
    return f"{FEDERATION_CITATION}{item_id}"


@dataclass(frozen=True)
class PlanItem:
    """One item of a society's or the federation's CPD plan for `year`."""

    year: int
    item_id: str
    title: str
    kind: str
    hours: int


def checked_item(year: int, item_id: str, title: str, kind: str, hours: object, where: str) -> PlanItem:
    """A plan item from a file, or an InputError naming the field."""
    item_id = item_id.strip()
    if not item_id or len(item_id) > ITEM_ID_MAX or any(c.isspace() for c in item_id):
        raise InputError("cpd_plan_item_id", where=where, got=item_id, most=ITEM_ID_MAX)
    if kind not in KINDS:
        raise InputError("cpd_plan_item_kind", where=where, got=kind, choices=list(KINDS))
    if isinstance(hours, bool) or not isinstance(hours, int) or not 0 < hours <= PLAN_HOURS_MAX:
        raise InputError("cpd_plan_item_hours", where=where, got=repr(hours), most=PLAN_HOURS_MAX)
    return PlanItem(year, item_id, title.strip(), kind, hours)


def citation_problem(activity: Activity, where: str, plan: Mapping[tuple[int, str], PlanItem]) -> Problem | None:
    """Why `activity`'s `plan_item` cannot stand against the plans it may cite (keyed by year and citation)."""
    if activity.plan_item is None:
        return None
    year = activity.on.year
    item = plan.get((year, activity.plan_item))
    if item is None:
        known = sorted(item_id for (plan_year, item_id) in plan if plan_year == year)
        return Problem(
            "cpd_plan_item_unknown", {"where": where, "item": activity.plan_item, "year": year, "known": known or "-"}
        )
    if item.kind != activity.kind:
        return Problem(
            "cpd_plan_item_other_kind",
            {"where": where, "item": item.item_id, "item_kind": item.kind, "kind": activity.kind},
        )
    return None


def citation_problems(
    activities: Sequence[Activity], labels: Sequence[str], plan: Mapping[tuple[int, str], PlanItem]
) -> list[Problem]:
    """Every citation that cannot stand, in order."""
    found = (citation_problem(a, where, plan) for a, where in zip(activities, labels, strict=True))
    return [problem for problem in found if problem is not None]
