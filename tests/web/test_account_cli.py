"""`capeval account set-password` reads the password from standard input; bad input is one line, exit 2.

Run on SQLite and on PostgreSQL alike (the `database_url` fixture of tests/conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.services import accounts
from capeval.states.errors import NotPermitted

from ..factories import load_society
from ..runtimes import new_runtime


@pytest.fixture
def second_database_url(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another new, empty database on the same backend as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    admin: sa.Engine = request.getfixturevalue("postgres_admin")
    name = f"capeval_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_set_password_reads_standard_input_and_the_password_then_signs_in(database_url: str) -> None:
    url = database_url
    runtime = new_runtime(url)
    load_society(runtime, [1])
    runner = CliRunner()
    done = runner.invoke(cli, ["--db", url, "account", "set-password", "p1"], input="a long password\n")
    assert done.exit_code == 0, done.output
    assert accounts.log_in(runtime, "p1", "a long password", "127.0.0.1").who.username == "p1"
    short = runner.invoke(cli, ["--db", url, "account", "set-password", "p1"], input="short\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    empty = runner.invoke(cli, ["--db", url, "account", "set-password", "p1"], input="")
    assert empty.exit_code == 2 and "no password was given" in empty.output
    unknown = runner.invoke(cli, ["--db", url, "account", "set-password", "nobody"], input="a long password\n")
    assert unknown.exit_code == 2
    runtime.engine.dispose()


def test_one_password_for_everyone_only_on_a_simulation_database(
    database_url: str, second_database_url: str
) -> None:
    simulated = new_runtime(database_url)
    load_society(simulated, [1, 2])
    made = accounts.give_everyone_a_password(simulated, "capeval-demo-2026")
    assert made > 0 and accounts.log_in(simulated, "p2", "capeval-demo-2026", "127.0.0.1").who.username == "p2"
    assert accounts.give_everyone_a_password(simulated, "capeval-demo-2026") == 0
    real = new_runtime(second_database_url, simulation=False)
    load_society(real, [1])
    with pytest.raises(NotPermitted):
        accounts.give_everyone_a_password(real, "capeval-demo-2026")
    simulated.engine.dispose()
    real.engine.dispose()


def test_capeval_web_refuses_a_port_out_of_range_before_opening_anything(tmp_path: Path) -> None:
    answer = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "web", "--port", "70000"])
    assert answer.exit_code == 2 and "70000" in answer.output
    missing = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "web", "--port", "8123"])
    assert missing.exit_code == 2 and "none.db" in missing.output
