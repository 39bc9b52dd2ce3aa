"""Two people acting on one case at once, and the migrations matching the tables."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from capeval.models import OutboxMessage, StageHistory
from capeval.models.migrate import current_revision, head_revision
from capeval.services import handlers
from capeval.services.directory import load_directory
from capeval.services.facts import StoredFacts
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.errors import CapevalError, ConcurrencyConflict

from ..factories import act, person, society_document, submitted_case
from .test_handlers import rows, stage_of


def test_two_people_acting_on_one_case_at_once_one_wins_the_other_is_told(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = society_document([1])
    document["workgroup"].append(person(904, "李秘书"))
    load_directory(runtime, document, origin="test directory")
    case_id = submitted_case(runtime, 1)
    both_have_read = threading.Barrier(2, timeout=20)

    class FactsThenWait(StoredFacts):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            both_have_read.wait()

    monkeypatch.setattr(handlers, "StoredFacts", FactsThenWait)
    results: dict[str, object] = {}

    def attempt(who: str, action: Action, reason: str) -> None:
        try:
            results[who] = act(runtime, case_id, action, reason, actor=who)
        except CapevalError as error:
            results[who] = error

    workers = [
        threading.Thread(target=attempt, args=("王秘书", Action.ACCEPT_FOR_REVIEW, "")),
        threading.Thread(target=attempt, args=("李秘书", Action.RETURN_FOR_REVISION, "材料不全")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    errors = [value for value in results.values() if isinstance(value, Exception)]
    assert len(results) == 2 and len(errors) == 1
    assert isinstance(errors[0], ConcurrencyConflict) and "someone else" in str(errors[0])
    winner = next(who for who, value in results.items() if not isinstance(value, Exception))
    expected_stage = "material_review" if winner == "王秘书" else "returned"
    assert stage_of(runtime, case_id) == expected_stage
    history = rows(runtime, StageHistory, application_id=case_id)
    assert [h.actor for h in history][-1] == winner and len(history) == 3
    assert len(rows(runtime, OutboxMessage, application_id=case_id)) == 2


def test_migrations_create_exactly_the_tables_the_models_declare(runtime: Runtime) -> None:
    assert current_revision(runtime.engine) == head_revision()
    with runtime.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
