"""The yearly CPD plans of the societies (CPD-2024 art. 7) and of the federation (Q&A A21): one row per item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from .types import AwareDateTime


class PlanItemColumns(SQLModel):
    """The columns every plan item keeps, in either plan: a planned activity of a kind with the hours it gives,
    for a year, and who loaded it when."""

    id: int | None = Field(default=None, primary_key=True)
    year: int
    item_id: str = Field(max_length=40)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    hours: int
    loaded_by: str = Field(max_length=100)
    loaded_at: datetime = Field(sa_type=AwareDateTime)


class CpdPlanItem(PlanItemColumns, table=True):
    """One item of a society's CPD plan for a year."""

    __tablename__ = "cpd_plan_item"
    __table_args__ = (UniqueConstraint("society_id", "year", "item_id", name="uq_cpd_plan_item_society_year_item"),)

    society_id: int = Field(foreign_key="society.id", index=True)


class FederationCpdPlanItem(PlanItemColumns, table=True):
    """One item of the federation's CPD plan for a year (Q&A A21: 联合体或获授权学会每年制定并发布…计划)."""

    __tablename__ = "federation_cpd_plan_item"
    __table_args__ = (UniqueConstraint("year", "item_id", name="uq_federation_cpd_plan_item_year_item"),)


PlanRow = CpdPlanItem | FederationCpdPlanItem
"""A plan item row of either plan."""


class CpdPlanRepository:
    """The plan items of a society or of the federation, by year and item id."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: CpdPlanItem) -> None:
        self.session.add(item)

    def items(self, society_id: int, year: int | None = None) -> list[CpdPlanItem]:
        query = select(CpdPlanItem).where(CpdPlanItem.society_id == society_id)
        if year is not None:
            query = query.where(CpdPlanItem.year == year)
        return list(self.session.exec(query.order_by(col(CpdPlanItem.year), col(CpdPlanItem.item_id))))

    def item(self, society_id: int, year: int, item_id: str) -> CpdPlanItem | None:
        query = select(CpdPlanItem).where(
            CpdPlanItem.society_id == society_id, CpdPlanItem.year == year, CpdPlanItem.item_id == item_id
        )
        return self.session.exec(query).first()

    def add_federation(self, item: FederationCpdPlanItem) -> None:
        self.session.add(item)

    def federation_items(self, year: int | None = None) -> list[FederationCpdPlanItem]:
        query = select(FederationCpdPlanItem)
        if year is not None:
            query = query.where(FederationCpdPlanItem.year == year)
        return list(
            self.session.exec(query.order_by(col(FederationCpdPlanItem.year), col(FederationCpdPlanItem.item_id)))
        )

    def federation_item(self, year: int, item_id: str) -> FederationCpdPlanItem | None:
        query = select(FederationCpdPlanItem).where(
            FederationCpdPlanItem.year == year, FederationCpdPlanItem.item_id == item_id
        )
        return self.session.exec(query).first()
