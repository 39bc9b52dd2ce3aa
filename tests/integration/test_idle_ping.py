"""A PostgreSQL connection is pinged at checkout only when it sat idle in the pool past `idle_ping_after`: one
the server ended meanwhile is replaced before anyone uses it, and one taken again at once costs no ping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from capeval.models.database import DatabaseTimeouts, make_engine

pytestmark = pytest.mark.postgres

PING = "SELECT 1"


class CountingCursor(psycopg.Cursor[Any]):
    """A driver cursor that notes every query it sends in its connection's `queries_sent` list."""

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self.connection.queries_sent.append(str(query))  # type: ignore[attr-defined]
        return super().execute(query, *args, **kwargs)


@pytest.fixture
def sent() -> list[str]:
    return []


def engine_on(url: str, idle_ping_after: float, sent: list[str]) -> sa.Engine:
    """An engine of `make_engine` whose connections note in `sent` every query the driver sends."""
    engine = make_engine(url, timeouts=DatabaseTimeouts(idle_ping_after=idle_ping_after))

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.queries_sent = sent
        dbapi_connection.cursor_factory = CountingCursor

    sa.event.listen(engine, "connect", on_connect)
    return engine


@pytest.fixture
def pinging(postgres_url: str, sent: list[str]) -> Iterator[sa.Engine]:
    """An engine that pings every connection taken again from the pool (a threshold of 0 seconds)."""
    engine = engine_on(postgres_url, 0, sent)
    yield engine
    engine.dispose()


@pytest.fixture
def patient(postgres_url: str, sent: list[str]) -> Iterator[sa.Engine]:
    """An engine that pings a connection only after an hour idle in the pool."""
    engine = engine_on(postgres_url, 3600, sent)
    yield engine
    engine.dispose()


def backend_of(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        pid: int = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    return pid


def end_backend(admin: sa.Engine, pid: int) -> None:
    """End the server process `pid`, waiting (up to 5 s) until it has exited."""
    with admin.connect() as connection:
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar_one()


def test_a_connection_ended_by_the_server_while_idle_is_replaced_at_the_next_checkout(
    pinging: sa.Engine, postgres_admin: sa.Engine, sent: list[str]
) -> None:
    first = backend_of(pinging)
    end_backend(postgres_admin, first)
    sent.clear()
    second = backend_of(pinging)
    assert second != first
    assert sent[0] == PING and sent.count(PING) == 1
    sent.clear()
    assert backend_of(pinging) == second and sent.count(PING) == 1


def test_a_connection_taken_again_at_once_is_not_pinged(patient: sa.Engine, sent: list[str]) -> None:
    first = backend_of(patient)
    sent.clear()
    assert [backend_of(patient) for _ in range(3)] == [first] * 3
    assert PING not in sent and len(sent) == 3


def test_within_the_threshold_a_lost_connection_fails_once_and_the_pool_starts_afresh(
    patient: sa.Engine, postgres_admin: sa.Engine, sent: list[str]
) -> None:
    first = backend_of(patient)
    end_backend(postgres_admin, first)
    with pytest.raises(DBAPIError) as lost:
        backend_of(patient)
    assert lost.value.connection_invalidated
    sent.clear()
    assert backend_of(patient) != first and PING not in sent
