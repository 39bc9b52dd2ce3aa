"""`capeval account set-password` reads the password from standard input; bad input is one line, exit 2.

Run on SQLite and on PostgreSQL alike (the `database_url` fixture of tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import EXIT_REFUSED, cli
from capeval.services import accounts
from capeval.states.errors import InputError, NotPermitted

from ..conftest import fresh_postgres_database
from ..factories import id_number, load_society, society_document
from ..runtimes import new_runtime


@pytest.fixture
def second_database_url(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another new, empty database on the same backend as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_admin")) as url:
        yield url


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


def test_one_password_for_everyone_only_on_a_simulation_database(database_url: str, second_database_url: str) -> None:
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


def _directory(tmp_path: Path, members: list[int]) -> Path:
    """The test society with the given members, and a federation administrator (a990)."""
    document = society_document(members)
    admin = {"name": "管理员", "id_number": id_number(990), "email": "a990@example.cn", "role": "administrator"}
    document["staff"].append(admin)
    path = tmp_path / f"society-{len(members)}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _one_line(done: Result) -> str:
    lines = [line for line in done.output.splitlines() if line.strip()]
    assert len(lines) == 1, done.output
    return lines[0]


def test_once_an_administrator_exists_only_one_loads_a_directory(database_url: str, tmp_path: Path) -> None:
    runtime = new_runtime(database_url)
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", database_url, "society", "load", str(_directory(tmp_path, [1]))])
    assert first.exit_code == 0, first.output
    more = str(_directory(tmp_path, [1, 2]))
    missing = runner.invoke(cli, ["--db", database_url, "society", "load", more])
    assert missing.exit_code == EXIT_REFUSED and "name the federation administrator" in _one_line(missing)
    staff = runner.invoke(cli, ["--db", database_url, "society", "load", more, "--actor", "王秘书"])
    assert staff.exit_code == EXIT_REFUSED and "王秘书 is not a federation administrator" in _one_line(staff)
    with runtime.unit_of_work() as uow:
        assert uow.directory.person_by_username("p2") is None
    done = runner.invoke(cli, ["--db", database_url, "society", "load", more, "--actor", "a990"])
    assert done.exit_code == 0, done.output
    with runtime.unit_of_work() as uow:
        assert uow.directory.person_by_username("p2") is not None
    runtime.engine.dispose()


def test_once_an_administrator_exists_only_one_sets_a_password(database_url: str, tmp_path: Path) -> None:
    runtime = new_runtime(database_url)
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", database_url, "society", "load", str(_directory(tmp_path, [1]))]).exit_code == 0
    own = ["--db", database_url, "account", "set-password", "a990", "--actor", "a990"]
    first = runner.invoke(cli, own, input="the first password\n")
    assert first.exit_code == 0, first.output
    command = ["--db", database_url, "account", "set-password", "p1"]
    missing = runner.invoke(cli, command, input="a long password\n")
    assert missing.exit_code == EXIT_REFUSED and "name the federation administrator" in _one_line(missing)
    chinese = runner.invoke(cli, ["--lang", "zh-CN", *command], input="a long password\n")
    assert chinese.exit_code == EXIT_REFUSED and "联合会管理员" in _one_line(chinese)
    staff = runner.invoke(cli, [*command, "--actor", "王秘书"], input="a long password\n")
    assert staff.exit_code == EXIT_REFUSED and "王秘书 is not a federation administrator" in _one_line(staff)
    with pytest.raises(InputError):
        accounts.log_in(runtime, "p1", "a long password", "127.0.0.1")
    done = runner.invoke(cli, [*command, "--actor", "a990"], input="a long password\n")
    assert done.exit_code == 0, done.output
    assert accounts.log_in(runtime, "p1", "a long password", "127.0.0.1").who.username == "p1"
    runtime.engine.dispose()
