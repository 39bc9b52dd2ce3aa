"""Both CPD plans keep the same item columns, declared once; the society's plan adds only its society."""

from __future__ import annotations

from capeval.models import CpdPlanItem, FederationCpdPlanItem
from capeval.models.cpd_plans import PlanItemColumns
from capeval.models.tables import table_of


def described(model: type[PlanItemColumns]) -> dict[str, tuple[str, bool, bool]]:
    return {c.name: (str(c.type), bool(c.nullable), c.primary_key) for c in table_of(model).columns}


def test_the_two_plans_share_every_item_column_and_the_society_plan_adds_its_society() -> None:
    society, federation = described(CpdPlanItem), described(FederationCpdPlanItem)
    shared = set(PlanItemColumns.model_fields)
    assert set(federation) == shared
    assert set(society) == shared | {"society_id"}
    assert {name: society[name] for name in shared} == federation
    assert society["society_id"] == ("INTEGER", False, False)
