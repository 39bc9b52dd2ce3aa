"""`capeval db upgrade` brings a database made before decisions cited their records up to date."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.models.migrate import alembic_config, head_revision

BEFORE = "0009_impartiality"


def test_an_older_database_gets_an_empty_basis_on_every_history_line_and_stays_append_only(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), BEFORE)
        connection.execute(
            sa.text(
                "INSERT INTO stage_history (application_id, version, from_stage, to_stage, action, actor, reason, at) "
                "VALUES (1, 1, NULL, 'draft', 'create', '申请人1', '', '2026-01-05 09:00:00.000000')"
            )
        )
    engine.dispose()

    upgraded = CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", "db", "upgrade"])

    assert upgraded.exit_code == 0, upgraded.output
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        assert connection.execute("SELECT actor, basis FROM stage_history").fetchall() == [("申请人1", "")]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("UPDATE stage_history SET basis = 'resolution RES-2026-0001'")
