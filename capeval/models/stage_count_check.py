"""Whether `stage_count` can be trusted: the triggers that keep it (migration 0020) are present, and each
of its lines equals a fresh count of the cases."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection

from .board import StageCount
from .cases import Application
from .tables import table_of

STAGE_COUNT_TRIGGERS = {
    "postgresql": ("application_stage_count",),
    "sqlite": ("stage_count_on_insert", "stage_count_on_delete", "stage_count_on_update"),
}
"""The triggers on `application` that keep `stage_count`, by kind of database (as migration 0020 names them)."""

_CASES = table_of(Application)
_KEPT = table_of(StageCount)


class StageCountDrift(NamedTuple):
    """One (society, field, stage) whose kept number is not the number of its cases."""

    society_id: int
    field_code: str
    stage: str
    kept: int
    counted: int


def missing_stage_count_triggers(connection: Connection) -> list[str]:
    """The triggers keeping `stage_count` that are missing (or, on PostgreSQL, disabled)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        query = sa.text(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'application' AND NOT t.tgisinternal AND t.tgenabled <> 'D' "
            "AND pg_table_is_visible(c.oid)"
        )
    else:
        query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'application'")
    present = {str(name) for name in connection.execute(query).scalars()}
    return [name for name in STAGE_COUNT_TRIGGERS.get(dialect, ()) if name not in present]


def stage_count_drift(connection: Connection) -> list[StageCountDrift]:
    """Every line of `stage_count` that differs from a fresh count of the cases, in key order (a group of
    cases with no line counts as kept 0, a line with no cases as counted 0)."""
    key = (_CASES.c.society_id, _CASES.c.field_code, _CASES.c.stage)
    counted = {
        (int(society), str(field), str(stage)): int(number)
        for society, field, stage, number in connection.execute(sa.select(*key, sa.func.count()).group_by(*key))
    }
    kept = {
        (int(society), str(field), str(stage)): int(number)
        for society, field, stage, number in connection.execute(
            sa.select(_KEPT.c.society_id, _KEPT.c.field_code, _KEPT.c.stage, _KEPT.c.cases)
        )
    }
    return [
        StageCountDrift(*line, kept.get(line, 0), counted.get(line, 0))
        for line in sorted(counted.keys() | kept.keys())
        if kept.get(line, 0) != counted.get(line, 0)
    ]
