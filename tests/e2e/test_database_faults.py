"""A database that cannot answer: each fault is one coded line, without SQL, parameters or a password, and
every wait is bounded by the settings' timeouts."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.models.database import DatabaseTimeouts, make_engine
from capeval.models.database_errors import database_failure
from capeval.states.errors import DatabaseUnavailable

from ..factories import id_number
from ..hostile import Prepared, invoke, prepare

PASSWORD = "s3cret-pw"


def run(url: str, *arguments: str, **env: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *arguments], env=env)


def one_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    for leak in (PASSWORD, "SELECT", "INSERT", "UPDATE", "[parameters", "[SQL", "Traceback", "internal error"):
        assert leak not in result.output, result.output
    return line


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return int(port)


def test_a_server_that_never_answers_is_given_up_after_the_connect_timeout(silent_server: int) -> None:
    url = f"postgresql://capeval:{PASSWORD}@127.0.0.1:{silent_server}/capeval"
    line = one_line(run(url, "case", "board", CAPEVAL_CONNECT_TIMEOUT="2"))
    assert f"database unreachable at 127.0.0.1:{silent_server} (connect timeout 2 s)" in line


def test_a_closed_port_is_unreachable_in_one_line(closed_port: int) -> None:
    line = one_line(run(f"postgresql://capeval:{PASSWORD}@127.0.0.1:{closed_port}/capeval", "db", "status"))
    assert f"database unreachable at 127.0.0.1:{closed_port}" in line


@pytest.mark.postgres
def test_a_database_the_server_does_not_have_is_named_so(postgres_admin: sa.Engine) -> None:
    url = postgres_admin.url.set(database="capeval_no_such_database").render_as_string(hide_password=False)
    assert "has no such database" in one_line(run(url, "case", "board"))


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://capeval:{PASSWORD}@127.0.0.1:notaport/capeval",
        f"postgresql://capeval:{PASSWORD} x@[::1/capeval",
    ],
    ids=["port-not-a-number", "unclosed-bracket"],
)
def test_a_malformed_url_is_refused_without_its_password(url: str) -> None:
    assert "is not a URL" in one_line(run(url, "case", "board"))


@pytest.fixture
def sqlite_prepared(tmp_path: Path) -> Prepared:
    return prepare(f"sqlite:///{tmp_path / 'locked.db'}")


def test_a_held_sqlite_lock_is_one_line_after_the_lock_timeout(sqlite_prepared: Prepared) -> None:
    holder = sqlite3.connect(sa.make_url(sqlite_prepared.url).database or "")
    holder.execute("BEGIN IMMEDIATE")
    try:
        order = ["case", "act", str(sqlite_prepared.case_id), "withdraw", "--actor", "p2"]
        line = one_line(invoke(sqlite_prepared, order, env={"CAPEVAL_LOCK_TIMEOUT": "0.5"}))
    finally:
        holder.rollback()
        holder.close()
    assert "is locked by another process (waited 0.5 s); nothing was written" in line
    assert id_number(2) not in line
    shown = invoke(sqlite_prepared, ["case", "show", str(sqlite_prepared.case_id), "--json"])
    assert '"stage": "submitted"' in shown.stdout


@pytest.mark.postgres
def test_a_held_postgresql_row_lock_is_one_line_after_the_lock_timeout(postgres_url: str) -> None:
    prepared = prepare(postgres_url)
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as holder, holder.begin():
            holder.execute(sa.text("SELECT id FROM application WHERE id = :id FOR UPDATE"), {"id": prepared.case_id})
            order = ["case", "act", str(prepared.case_id), "withdraw", "--actor", "p2"]
            line = one_line(invoke(prepared, order, env={"CAPEVAL_LOCK_TIMEOUT": "1"}))
    finally:
        engine.dispose()
    assert "is locked by another process (waited 1 s)" in line
    assert "p2@example.cn" not in line


@pytest.mark.postgres
def test_a_statement_over_the_statement_timeout_is_cancelled_and_named(postgres_url: str) -> None:
    timeouts = DatabaseTimeouts(connect=5, lock=5, statement=0.2)
    engine = make_engine(postgres_url, timeouts=timeouts)
    try:
        with engine.connect() as connection, pytest.raises(sa.exc.OperationalError) as raised:
            connection.execute(sa.text("SELECT pg_sleep(3)"))
    finally:
        engine.dispose()
    coded = database_failure(raised.value, postgres_url, timeouts)
    assert isinstance(coded, DatabaseUnavailable) and coded.code == "database_statement_timeout"
    assert "pg_sleep" not in str(coded) and "0.2 s" in str(coded)


def test_a_reader_that_stops_reading_ends_the_command_quietly(sqlite_prepared: Prepared) -> None:
    command = [sys.executable, "-m", "capeval.cli", "--db", sqlite_prepared.url, "case", "board"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert stderr == ""


def test_a_pipe_into_head_shows_the_first_lines_and_no_error(sqlite_prepared: Prepared) -> None:
    board = f"{sys.executable} -m capeval.cli --db '{sqlite_prepared.url}' case board"
    shown = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{board} | head -1"], capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0 and shown.stderr == ""
    assert len(shown.stdout.splitlines()) == 1
