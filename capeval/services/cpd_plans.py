"""A society's yearly CPD plan (CPD-2024 art. 7; Q&A Q21): loaded from a file by the society's staff,
listed, and checked when an activity of the ledger cites one of its items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from capeval.models import CpdPlanItem
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import require
from capeval.states.certificates import Party
from capeval.states.cpd import Activity
from capeval.states.cpd_plan import PlanItem, checked_item, citation_problems
from capeval.states.errors import GuardRefused, InputError, NotFoundError
from capeval.states.text import refuse_unstorable

from .authority import society_actor
from .documents import Fields, read_document
from .runtime import Runtime

YEAR_LOW, YEAR_HIGH = 2000, 2100
TITLE_MAX = 200


@dataclass(frozen=True)
class PlanLoad:
    """What loading a plan did: its society and year, items added and items changed."""

    society: str
    year: int
    added: int
    changed: int


def read_plan(path: Path) -> tuple[int, list[PlanItem]]:
    """The year and the items of a plan file (`year = 2026`, then `[[item]]` with id, title, kind, hours)."""
    fields = Fields(read_document(path), path.name)
    year = fields.data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_LOW <= year <= YEAR_HIGH:
        raise InputError("cpd_plan_year", where=path.name, got=repr(year), low=YEAR_LOW, high=YEAR_HIGH)
    items = []
    for entry in fields.items("item"):
        title = refuse_unstorable(entry.text("title"), f"{entry.where}: title").strip()
        if len(title) > TITLE_MAX:
            raise InputError("text_too_long", where=f"{entry.where}: title", limit=TITLE_MAX, length=len(title))
        item_id = refuse_unstorable(entry.text("id"), f"{entry.where}: id")
        hours: Any = entry.data.get("hours")
        items.append(checked_item(year, item_id, title, entry.text("kind"), hours, entry.where))
    if not items:
        raise InputError("cpd_plan_empty", where=path.name)
    seen: set[str] = set()
    for item in items:
        if item.item_id in seen:
            raise InputError("cpd_plan_item_twice", where=path.name, item=item.item_id)
        seen.add(item.item_id)
    return year, items


def load_plan(runtime: Runtime, society_code: str, path: Path, actor: str) -> PlanLoad:
    """Load the society's plan for the file's year: new items are added, items already there take the file's
    title, kind and hours (an item is never removed: activities may cite it)."""
    year, items = read_plan(path)
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code.strip())
        if society is None or society.id is None:
            raise NotFoundError("cpd_society_not_found", code=society_code)
        acting = society_actor(uow, actor, society.id)
        require(acting, Party.SOCIETY_STAFF, "load_cpd_plan")
        added = changed = 0
        now = runtime.clock.now()
        for item in items:
            row = uow.cpd_plans.item(society.id, year, item.item_id)
            if row is None:
                uow.cpd_plans.add(
                    CpdPlanItem(
                        society_id=society.id,
                        year=year,
                        item_id=item.item_id,
                        title=item.title,
                        kind=item.kind,
                        hours=item.hours,
                        loaded_by=acting.name,
                        loaded_at=now,
                    )
                )
                added += 1
            elif (row.title, row.kind, row.hours) != (item.title, item.kind, item.hours):
                row.title, row.kind, row.hours, row.loaded_by, row.loaded_at = (
                    item.title,
                    item.kind,
                    item.hours,
                    acting.name,
                    now,
                )
                changed += 1
        uow.commit()
        return PlanLoad(society.code, year, added, changed)


def plan_items(runtime: Runtime, society_code: str, year: int | None = None) -> list[PlanItem]:
    """The items of the society's plans (one year's, or every year's), by year and id."""
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code.strip())
        if society is None or society.id is None:
            raise NotFoundError("cpd_society_not_found", code=society_code)
        return [_item(row) for row in uow.cpd_plans.items(society.id, year)]


def check_citations(uow: UnitOfWork, society_id: int, activities: Sequence[Activity], labels: Sequence[str]) -> None:
    """Refuse activities citing an item their society's plan for their year does not have, or of another kind."""
    if not any(activity.plan_item for activity in activities):
        return
    plan = {(row.year, row.item_id): _item(row) for row in uow.cpd_plans.items(society_id)}
    problems = citation_problems(activities, labels, plan)
    if problems:
        raise GuardRefused([("plan_item_in_the_society_plan", problem) for problem in problems])


def _item(row: CpdPlanItem) -> PlanItem:
    return PlanItem(row.year, row.item_id, row.title, row.kind, row.hours)
