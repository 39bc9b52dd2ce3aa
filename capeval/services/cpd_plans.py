"""The yearly CPD plans: a society's (CPD-2024 art. 7; Q&A Q21), loaded by its staff, and the federation's
(Q&A A21), loaded by its secretariat or administrators; listed, and checked when an activity of the ledger
cites one of their items."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from capeval.models import CpdPlanItem, FederationCpdPlanItem
from capeval.models.cpd_plans import PlanRow
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import FEDERATION_ROLES, require
from capeval.states.certificates import Party
from capeval.states.cpd import Activity
from capeval.states.cpd_plan import PlanItem, checked_item, citation_problems, federation_citation
from capeval.states.errors import GuardRefused, InputError, NotFoundError
from capeval.states.text import refuse_unstorable

from .authority import actor_of, is_staff, person_acting, society_actor
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


FEDERATION = "federation"
"""The name a federation plan's load reports in place of a society's code."""
SECRETARIAT = "secretariat"
"""The party that loads the federation's plan: its secretariat or an administrator."""


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
        society_id = society.id

        def new_row(item: PlanItem, loaded_by: str, now: datetime) -> None:
            uow.cpd_plans.add(CpdPlanItem(society_id=society_id, **_columns(item, year, loaded_by, now)))

        added, changed = _merge(
            items, lambda item_id: uow.cpd_plans.item(society_id, year, item_id), new_row, acting.name, runtime
        )
        uow.commit()
        return PlanLoad(society.code, year, added, changed)


def load_federation_plan(runtime: Runtime, path: Path, actor: str) -> PlanLoad:
    """Load the federation's plan for the file's year (Q&A A21), by its secretariat or an administrator; items
    are added or updated as a society's are, and cited as `federation:<id>`."""
    year, items = read_plan(path)
    with runtime.unit_of_work() as uow:
        person = person_acting(uow, actor)
        federal = any(is_staff(uow, person, role) for role in FEDERATION_ROLES)
        acting = actor_of(person).holding({SECRETARIAT} if federal else set())
        require(acting, SECRETARIAT, "load_cpd_plan")

        def new_row(item: PlanItem, loaded_by: str, now: datetime) -> None:
            uow.cpd_plans.add_federation(FederationCpdPlanItem(**_columns(item, year, loaded_by, now)))

        added, changed = _merge(
            items, lambda item_id: uow.cpd_plans.federation_item(year, item_id), new_row, acting.name, runtime
        )
        uow.commit()
        return PlanLoad(FEDERATION, year, added, changed)


def _merge(
    items: Sequence[PlanItem],
    existing: Callable[[str], PlanRow | None],
    new_row: Callable[[PlanItem, str, datetime], None],
    loaded_by: str,
    runtime: Runtime,
) -> tuple[int, int]:
    """Write `items` over the rows already there; how many were added and how many changed."""
    added = changed = 0
    now = runtime.clock.now()
    for item in items:
        row = existing(item.item_id)
        if row is None:
            new_row(item, loaded_by, now)
            added += 1
        elif (row.title, row.kind, row.hours) != (item.title, item.kind, item.hours):
            row.title, row.kind, row.hours, row.loaded_by, row.loaded_at = (
                item.title,
                item.kind,
                item.hours,
                loaded_by,
                now,
            )
            changed += 1
    return added, changed


def _columns(item: PlanItem, year: int, loaded_by: str, now: datetime) -> dict[str, Any]:
    return {
        "year": year,
        "item_id": item.item_id,
        "title": item.title,
        "kind": item.kind,
        "hours": item.hours,
        "loaded_by": loaded_by,
        "loaded_at": now,
    }


def plan_items(runtime: Runtime, society_code: str, year: int | None = None) -> list[PlanItem]:
    """The items of the society's plans (one year's, or every year's), by year and id."""
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code.strip())
        if society is None or society.id is None:
            raise NotFoundError("cpd_society_not_found", code=society_code)
        return [_item(row) for row in uow.cpd_plans.items(society.id, year)]


def federation_plan_items(runtime: Runtime, year: int | None = None) -> list[PlanItem]:
    """The items of the federation's plans (one year's, or every year's), by year and id."""
    with runtime.unit_of_work() as uow:
        return [_item(row) for row in uow.cpd_plans.federation_items(year)]


def check_citations(uow: UnitOfWork, society_id: int, activities: Sequence[Activity], labels: Sequence[str]) -> None:
    """Refuse activities citing an item neither their society's plan nor the federation's (cited
    `federation:<id>`) has for their year, or an item of another kind."""
    if not any(activity.plan_item for activity in activities):
        return
    plan = {(row.year, row.item_id): _item(row) for row in uow.cpd_plans.items(society_id)}
    plan |= {(row.year, federation_citation(row.item_id)): _item(row) for row in uow.cpd_plans.federation_items()}
    problems = citation_problems(activities, labels, plan)
    if problems:
        raise GuardRefused([("plan_item_in_the_society_plan", problem) for problem in problems])


def _item(row: PlanRow) -> PlanItem:
    return PlanItem(row.year, row.item_id, row.title, row.kind, row.hours)
