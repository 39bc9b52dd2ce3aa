"""`capeval db upgrade` gives the cases of an older database their references, numbered deterministically."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.models.migrate import alembic_config, head_revision

BEFORE = "0010_decision_basis"
CASES = [  # id, society, created at (UTC): the 2025-12-31 17:00 UTC case is 2026 in Shanghai
    (1, 1, "2025-06-01 02:00:00.000000"),
    (2, 2, "2025-07-01 02:00:00.000000"),
    (3, 1, "2025-12-31 17:00:00.000000"),
    (4, 1, "2025-08-01 02:00:00.000000"),
    (5, 1, "2026-02-01 02:00:00.000000"),
]


def test_an_older_database_gets_a_reference_per_society_year_and_order_of_creation(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), BEFORE)
        connection.execute(
            sa.text(
                "INSERT INTO society (id, code, name_zh, name_en, email) "
                "VALUES (1, 'ces', '电工', '', ''), (2, 'DES', '示范', '', '')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO person (id, username, name, id_number_digest, id_number_masked, email, language, "
                "employer, created_at) "
                "VALUES (1, 'p1', '申请人', 'd', 'm', 'p1@example.cn', 'zh-CN', '', '2025-01-01 00:00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO engineering_field (code, name_zh, name_en) VALUES ('electrical', '电气工程', 'Electrical')"
            )
        )
        for case_id, society_id, created in CASES:
            connection.execute(
                sa.text(
                    "INSERT INTO application (id, person_id, society_id, field_code, level, route, stage, version, "
                    "batch, self_statement, last_reason, created_at, updated_at) "
                    "VALUES (:id, 1, :society, 'electrical', "
                    "'professional', 'standard', 'draft', 1, '', '', '', :created, :created)"
                ),
                {"id": case_id, "society": society_id, "created": created},
            )
    engine.dispose()

    upgraded = CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", "db", "upgrade"])

    assert upgraded.exit_code == 0, upgraded.output
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        found = dict(connection.execute("SELECT application_id, reference FROM case_reference").fetchall())
    assert found == {1: "CES-2025-0001", 2: "DES-2025-0001", 3: "CES-2026-0001", 4: "CES-2025-0002", 5: "CES-2026-0002"}
