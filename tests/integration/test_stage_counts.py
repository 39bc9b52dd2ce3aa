"""The kept counts by stage (`stage_count`, migration 0020) equal a fresh count of the cases after any mix of
creations, moves, refused actions, rolled-back writes and direct changes, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import random

import sqlalchemy as sa

from capeval.models import Application
from capeval.models.board import BoardFilters, StageCount
from capeval.models.board import reading as board_reading
from capeval.models.tables import table_of
from capeval.services import queries
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import PARTY_OF, Action, Party
from capeval.states.errors import CapevalError

from ..factories import FIELD, act, application_order, load_society

_CASES = table_of(Application)
_KEPT = table_of(StageCount)
SIMPLE_PARTIES = {Party.APPLICANT, Party.WORKGROUP, Party.SECRETARIAT}
ENDINGS = {Action.WITHDRAW, Action.DISQUALIFY, Action.LAPSE}


def kept(runtime: Runtime) -> dict[tuple[int, str, str], int]:
    with runtime.engine.connect() as connection:
        rows = connection.execute(sa.select(_KEPT.c.society_id, _KEPT.c.field_code, _KEPT.c.stage, _KEPT.c.cases))
        return {(society, field, stage): count for society, field, stage, count in rows if count}


def counted(runtime: Runtime) -> dict[tuple[int, str, str], int]:
    key = (_CASES.c.society_id, _CASES.c.field_code, _CASES.c.stage)
    with runtime.engine.connect() as connection:
        rows = connection.execute(sa.select(*key, sa.func.count()).group_by(*key))
        return {(society, field, stage): count for society, field, stage, count in rows}


def other_field(runtime: Runtime) -> str:
    with runtime.engine.connect() as connection:
        query = sa.text("SELECT code FROM engineering_field WHERE code <> :field ORDER BY code")
        return str(connection.execute(query, {"field": FIELD}).scalars().first())


def test_kept_counts_equal_a_fresh_count_after_a_random_mix_of_actions(runtime: Runtime) -> None:
    load_society(runtime, members=list(range(1, 41)))
    chance = random.Random(20260105)
    cases: list[int] = []
    serials = iter(range(1, 41))
    for _ in range(120):
        if not cases or chance.random() < 0.3:
            serial = next(serials, None)
            if serial is not None:
                cases.append(handle(runtime, application_order(serial)).case_id)
                continue
        case_id = chance.choice(cases)
        options = [
            option for option in queries.actions(runtime, case_id) if PARTY_OF[Action(option.action)] in SIMPLE_PARTIES
        ]
        if chance.random() < 0.9:
            options = [option for option in options if Action(option.action) not in ENDINGS]
        if not options:
            continue
        option = chance.choice(options)
        with contextlib.suppress(CapevalError):  # a refusal writes nothing: the counts must not move either
            act(runtime, case_id, Action(option.action), "材料需补正")
        assert kept(runtime) == counted(runtime)

    moved = chance.choice(cases)
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(_CASES).where(_CASES.c.id == moved).values(field_code=other_field(runtime)))
    with runtime.engine.connect() as connection:
        connection.execute(sa.update(_CASES).values(stage="withdrawn"))
        connection.rollback()

    assert kept(runtime) == counted(runtime)
    assert len({stage for _, _, stage in counted(runtime)}) >= 4
    with board_reading(runtime.engine) as board:
        [society_id] = {society for society, _, _ in counted(runtime)}
        everything = board.counts(BoardFilters((society_id,)), cap=1)
        one_field = board.counts(BoardFilters((society_id,), field=FIELD, stages=("draft", "submitted")))
    by_stage: dict[str, int] = {}
    for (_, _field, stage), count in counted(runtime).items():
        by_stage[stage] = by_stage.get(stage, 0) + count
    assert everything.by_stage == by_stage and not everything.capped  # kept counts are exact, never capped
    assert one_field.by_stage == {
        stage: count
        for (_, field, stage), count in counted(runtime).items()
        if field == FIELD and stage in ("draft", "submitted")
    }


def test_db_verify_names_a_dropped_trigger_and_a_count_changed_behind_its_back(runtime: Runtime) -> None:
    from capeval.services.history_audit import verify_histories

    load_society(runtime, members=[1, 2])
    handle(runtime, application_order(1))
    handle(runtime, application_order(2))
    assert verify_histories(runtime).clean
    [(society_id, field, stage)] = counted(runtime)
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(_KEPT).values(cases=_KEPT.c.cases + 3))
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("ALTER TABLE application DISABLE TRIGGER application_stage_count"))
            dropped = "application_stage_count"
        else:
            connection.execute(sa.text("DROP TRIGGER stage_count_on_update"))
            dropped = "stage_count_on_update"

    texts = [problem.text() for problem in verify_histories(runtime).findings]

    assert texts == [
        f"the counts by stage are not kept: the trigger {dropped} on application is missing or disabled; the "
        "owner of the tables creates it again as migration 0020_stage_counts does, then verifies the database "
        "again",
        f"stage_count says 5 case(s) of society {society_id}, field {field}, stage {stage}; the cases number 2; "
        "the board's counts are wrong until the owner of the tables refills stage_count from application "
        "(DELETE, then INSERT ... SELECT ... GROUP BY as migration 0020_stage_counts does)",
    ]
