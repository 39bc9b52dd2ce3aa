"""The case context read as detached copies from Core rows holds what the ORM's read of the same statement holds."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from capeval.models.case_context import ContextRead
from capeval.services.facts import CONTEXT_FACTS
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.commands import TakeAction

from ..factories import load_society, submitted_case

WORKGROUP = "王秘书"
ENTITIES = ("case", "person", "society", "authorization", "membership", "ban", "active_certificate")


def columns_of(row: object) -> dict[str, object] | None:
    if row is None:
        return None
    return {attribute.key: getattr(row, attribute.key) for attribute in sa.inspect(type(row)).column_attrs}


def test_detached_copies_hold_every_column_the_orm_read_holds_and_stay_out_of_the_session(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    other = submitted_case(runtime, 1)
    case_id = submitted_case(runtime, 2)
    handle(runtime, TakeAction(other, Action.RETURN_FOR_REVISION, WORKGROUP, "学历证明不清晰"))
    read = replace(CONTEXT_FACTS[Action.SUBMIT], actor=WORKGROUP, roles=(("workgroup", True),))
    with runtime.unit_of_work() as uow:
        detached = uow.applications.context(case_id, read=replace(read, detached=True))
    with runtime.unit_of_work() as uow:
        loaded = uow.applications.context(case_id, read=read)
        assert loaded is not None and detached is not None
        for name in ENTITIES:
            assert columns_of(getattr(detached, name)) == columns_of(getattr(loaded, name)), name
        assert detached.known._replace(asked=None) == loaded.known._replace(asked=None)
        assert detached.membership is not None and detached.ban is None
        assert detached.case not in uow.session and loaded.case in uow.session


def test_a_detached_read_of_a_missing_case_is_none(runtime: Runtime) -> None:
    with runtime.unit_of_work() as uow:
        assert uow.applications.context(404, read=ContextRead(detached=True)) is None
