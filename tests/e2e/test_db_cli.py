"""`capeval db`: databases are made and migrated on purpose; every other command refuses one that is not ready."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli


def capeval(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_init_makes_a_database_at_the_current_schema_and_refuses_to_make_it_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'capeval.db'}"
    created = capeval(url, "db", "init")
    assert created.exit_code == 0 and "created" in created.output
    status = json.loads(capeval(url, "db", "status", "--json").output)
    assert status["exists"] and status["up_to_date"] and status["current"] == status["head"]
    again = capeval(url, "db", "init")
    assert again.exit_code == 2 and "already exists" in again.output and "capeval db upgrade" in again.output
    assert "already at the current schema" in capeval(url, "db", "upgrade").output
    assert capeval(url, "calendar", "years", "--json").exit_code == 0  # the bundled years are stored


def test_a_mistyped_database_is_refused_in_one_line_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    result = capeval(f"sqlite:///{missing}", "case", "board")
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert "does not exist" in line and "run 'capeval db init'" in line
    assert not (tmp_path / "no").exists()
    status = capeval(f"sqlite:///{missing}", "db", "status")
    assert status.exit_code == 1 and "does not exist" in status.output
    assert capeval(f"sqlite:///{missing}", "db", "upgrade").exit_code == 2
    assert not (tmp_path / "no").exists()


def test_an_empty_file_is_no_database_until_it_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    url = f"sqlite:///{path}"
    assert "does not exist" in capeval(url, "case", "board").output
    assert capeval(url, "db", "init").exit_code == 0
    assert capeval(url, "case", "board").exit_code == 0


def test_a_database_behind_the_current_schema_is_refused_until_it_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    assert capeval(url, "db", "init").exit_code == 0
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'older'")
    refused = capeval(url, "case", "board")
    assert refused.exit_code == 2 and "not the current" in refused.output and "capeval db upgrade" in refused.output
    assert capeval(url, "db", "status").exit_code == 1


@pytest.mark.postgres
def test_a_postgresql_database_without_capeval_tables_is_refused_until_it_is_initialised(postgres_url: str) -> None:
    refused = capeval(postgres_url, "case", "board")
    assert refused.exit_code == 2 and "capeval db init" in refused.output
    assert capeval(postgres_url, "db", "init").exit_code == 0
    assert capeval(postgres_url, "case", "board").exit_code == 0
