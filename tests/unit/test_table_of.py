"""`table_of` gives the Core table a table model maps, and refuses a model without one."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel

from capeval.models import (
    Application,
    Certificate,
    CertificateHistory,
    Examiner,
    GovernanceHistory,
    OutboxMessage,
    ReviewTaskEvent,
    StageHistory,
)
from capeval.models.append_only import HISTORY_TABLES
from capeval.models.tables import table_of


@pytest.mark.parametrize("model", [Application, Certificate, Examiner, OutboxMessage, StageHistory])
def test_a_table_model_gives_its_own_table(model: type[SQLModel]) -> None:
    table = table_of(model)
    assert table is SQLModel.metadata.tables[table.name]
    assert table.name == model.__tablename__


class NotATable(SQLModel):
    name: str


def test_a_model_without_a_table_is_refused() -> None:
    with pytest.raises(TypeError, match="NotATable is not mapped to a table"):
        table_of(NotATable)


def test_the_history_tables_are_the_tables_of_the_history_models() -> None:
    models = (StageHistory, CertificateHistory, ReviewTaskEvent, GovernanceHistory)
    assert tuple(table_of(model).name for model in models) == HISTORY_TABLES
