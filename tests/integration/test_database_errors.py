"""Every class of database error, on both databases, as `database_errors` sorts it: a conflict, a refusal of
an append-only history, an unavailable schema, and a value the database cannot store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from capeval.models.database import DatabaseTimeouts, make_engine
from capeval.models.database_errors import database_failure, is_conflict, refused_table
from capeval.services.runtime import Runtime
from capeval.states.errors import CapevalError, DatabaseUnavailable, DomainError, InputError

from ..factories import load_society, submitted_case

TIMEOUTS = DatabaseTimeouts(connect=3, lock=2, statement=30)
PROBE = sa.Table(
    "probe",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(20), unique=True),
    sa.Column("count", sa.Integer),
)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    made = make_engine(database_url, create=True, timeouts=TIMEOUTS)
    PROBE.metadata.create_all(made)
    yield made
    made.dispose()


def raised(engine: sa.Engine, statement: sa.Executable, *params: dict[str, object]) -> SQLAlchemyError:
    with pytest.raises(SQLAlchemyError) as caught, engine.begin() as connection:
        for values in params:
            connection.execute(statement, values)
    return caught.value


def coded(error: BaseException, url: str) -> CapevalError:
    found = database_failure(error, url, TIMEOUTS)
    assert found is not None
    return found


def test_a_second_row_with_the_same_unique_key_is_a_conflict(engine: sa.Engine, database_url: str) -> None:
    error = raised(engine, sa.insert(PROBE), {"id": 1, "name": "a"}, {"id": 2, "name": "a"})
    assert is_conflict(error)
    assert isinstance(coded(error, database_url), DatabaseUnavailable)
    assert coded(error, database_url).code == "database_integrity_refused"


def test_a_stale_version_and_a_serialization_failure_are_conflicts_and_a_missing_table_is_not() -> None:
    class Serialization(Exception):
        sqlstate = "40001"

    assert is_conflict(StaleDataError("version changed"))
    assert is_conflict(DBAPIError("UPDATE x", {}, Serialization()))
    assert not is_conflict(DBAPIError("UPDATE x", {}, Exception("no such table: x")))
    assert not is_conflict(ValueError("not a database error"))


def test_a_changed_history_line_is_the_coded_append_only_refusal(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    submitted_case(runtime, 1)
    with pytest.raises(DomainError) as caught, runtime.engine.begin() as connection:
        connection.execute(sa.text("UPDATE stage_history SET actor = 'someone else'"))
    assert caught.value.code == "history_append_only" and caught.value.params["table"] == "stage_history"
    assert refused_table(Exception("stage_history is append-only")) == "stage_history"
    assert refused_table(Exception("probe is append-only")) is None


def test_a_table_the_database_does_not_have_is_an_unknown_schema(engine: sa.Engine, database_url: str) -> None:
    error = raised(engine, sa.text("SELECT * FROM no_such_probe"), {})
    assert not is_conflict(error)
    found = coded(error, database_url)
    assert isinstance(found, DatabaseUnavailable) and found.code == "database_schema_unknown"


def test_a_number_postgresql_cannot_store_is_refused_as_input(postgres_url: str) -> None:
    engine = make_engine(postgres_url, timeouts=TIMEOUTS)
    PROBE.metadata.create_all(engine)
    with pytest.raises(SQLAlchemyError) as caught, engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO probe (id, name, count) VALUES (1, 'a', %s)", (2**70,))
    engine.dispose()
    found = coded(caught.value, postgres_url)
    assert isinstance(found, InputError) and found.code == "database_number_refused"
    assert str(2**70) not in found.text()


def test_a_number_the_sqlite_driver_cannot_convert_is_refused_as_input(tmp_path: Path) -> None:
    error = DBAPIError("INSERT INTO probe", {}, OverflowError("Python int too large to convert to SQLite INTEGER"))
    found = coded(error, f"sqlite:///{tmp_path / 'capeval.db'}")
    assert isinstance(found, InputError) and found.code == "database_number_refused"


def test_what_is_not_a_database_error_is_left_alone(database_url: str) -> None:
    assert database_failure(ValueError("x"), database_url, TIMEOUTS) is None
    assert database_failure(DomainError("history_append_only", table="t"), database_url, TIMEOUTS) is None
