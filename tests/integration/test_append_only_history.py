"""Every history table is append-only on both databases: UPDATE, DELETE, REPLACE and TRUNCATE are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from capeval.models import StageHistory
from capeval.models.append_only import HISTORY_TABLES, missing_protection
from capeval.models.migrate import head_revision, migrate
from capeval.services.feedback import file_feedback
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.commands import ReviseMaterial
from capeval.states.errors import ConcurrencyConflict, DomainError
from capeval.states.governance_commands import FileFeedback

from ..factories import applicant_of, application_order, load_society, statement
from ..runtimes import new_runtime
from .test_certificates import registered

BEFORE = "0010_decision_basis"


def every_history(runtime: Runtime) -> dict[str, object]:
    """Lines in every history table: a registered case (its review tasks and certificate), a revised draft and
    a piece of feedback."""
    load_society(runtime, members=[1, 2])
    number = registered(runtime, 1)
    draft = handle(runtime, application_order(2)).case_id
    handle(runtime, ReviseMaterial(draft, applicant_of(runtime, draft), self_statement=statement(2600)))
    feedback = file_feedback(runtime, FileFeedback("张三", "z@example.cn", "person", "评审不公", "详见附件", draft))
    return {"certificate": number, "draft": draft, "feedback": feedback.reference}


def count(runtime: Runtime, table: str) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def refused(runtime: Runtime, statement_text: str) -> DomainError:
    with pytest.raises(DomainError) as caught, runtime.engine.begin() as connection:
        connection.execute(sa.text(statement_text))
    return caught.value


@pytest.fixture
def recorded(runtime: Runtime) -> Iterator[Runtime]:
    every_history(runtime)
    yield runtime


def test_no_line_of_any_history_can_be_changed_or_removed(recorded: Runtime) -> None:
    for table in HISTORY_TABLES:
        lines = count(recorded, table)
        assert lines > 0, table
        for statement_text in (f"UPDATE {table} SET actor = 'someone else'", f"DELETE FROM {table}"):
            error = refused(recorded, statement_text)
            assert (error.code, dict(error.params)) == ("history_append_only", {"table": table})
            assert str(error).startswith(f"{table} is append-only")
        assert count(recorded, table) == lines, table


def test_no_line_can_be_replaced_by_writing_its_id_again(recorded: Runtime) -> None:
    for table in HISTORY_TABLES:
        first = f"SELECT * FROM {table} WHERE id = (SELECT MIN(id) FROM {table})"
        if recorded.engine.dialect.name == "sqlite":
            attempts = [f"INSERT OR REPLACE INTO {table} {first}", f"REPLACE INTO {table} {first}"]
        else:
            attempts = [f"INSERT INTO {table} {first} ON CONFLICT (id) DO UPDATE SET actor = 'someone else'"]
        with recorded.engine.connect() as connection:
            before = connection.execute(sa.text(first)).one()
        for attempt in attempts:
            assert refused(recorded, attempt).params["table"] == table, attempt
        with recorded.engine.connect() as connection:
            assert connection.execute(sa.text(first)).one() == before, table


def test_a_line_changed_through_the_unit_of_work_is_the_coded_error_not_a_conflict(recorded: Runtime) -> None:
    with recorded.unit_of_work() as uow:
        line = uow.session.get(StageHistory, 1)
        assert line is not None
        line.actor = "someone else"
        with pytest.raises(DomainError, match="stage_history is append-only") as caught:
            uow.commit()
    assert not isinstance(caught.value, ConcurrencyConflict)


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_a_history_even_by_cascade(postgres_url: str) -> None:
    runtime = new_runtime(postgres_url)
    every_history(runtime)
    lines = {table: count(runtime, table) for table in HISTORY_TABLES}
    for table in HISTORY_TABLES:
        assert refused(runtime, f"TRUNCATE {table}").params["table"] == table
    assert refused(runtime, "TRUNCATE person CASCADE").code == "history_append_only"
    assert {table: count(runtime, table) for table in HISTORY_TABLES} == lines
    runtime.engine.dispose()


def test_every_history_table_has_its_triggers_after_migrating_from_empty(runtime: Runtime) -> None:
    with runtime.engine.connect() as connection:
        assert missing_protection(connection) == []


def test_going_back_before_the_protection_lifts_it_and_coming_back_restores_it(recorded: Runtime) -> None:
    migrate(recorded.engine, BEFORE)
    with recorded.engine.begin() as connection:
        assert {table for table, _ in missing_protection(connection)} == set(HISTORY_TABLES)
        connection.execute(sa.text("UPDATE governance_history SET reason = 'before the protection'"))
    with pytest.raises(DomainError), recorded.engine.begin() as connection:  # stage_history kept its 0001 triggers
        connection.execute(sa.text("UPDATE stage_history SET reason = 'before the protection'"))
    migrate(recorded.engine, "head")
    with recorded.engine.connect() as connection:
        assert missing_protection(connection) == []
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    assert refused(recorded, "UPDATE governance_history SET reason = 'after'").params["table"] == "governance_history"
