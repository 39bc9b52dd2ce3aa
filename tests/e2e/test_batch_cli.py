"""`capeval society batch open|close|list`: a society declares its evaluation batches (Q&A Q19)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from capeval.cli.main import cli

from .journeys import WORKGROUP
from .test_cli import write_society


def run(database: Path, *args: str, now: str = "2026-01-05") -> Result:
    return CliRunner().invoke(cli, ["--db", f"sqlite:///{database}", "--now", now, *args], catch_exceptions=False)


def test_a_society_opens_lists_and_closes_a_batch_and_bad_days_are_one_line(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    assert run(database, "db", "init", "--simulation").exit_code == 0
    assert run(database, "society", "load", str(write_society(tmp_path, [1]))).exit_code == 0
    batch = ("society", "batch")
    empty = run(database, *batch, "list", "--society", "CES", "--json")
    assert (empty.exit_code, json.loads(empty.stdout)) == (0, [])

    opened = run(
        database,
        *batch,
        "open",
        "2026年第一批",
        "--society",
        "CES",
        "--from",
        "2026-01-01",
        "--until",
        "2026-03-31",
        "--actor",
        WORKGROUP,
    )
    assert opened.exit_code == 0, opened.output
    assert "2026年第一批" in opened.stdout and "2026-03-31" in opened.stdout

    reversed_days = run(
        database,
        *batch,
        "open",
        "第二批",
        "--society",
        "CES",
        "--from",
        "2026-05-01",
        "--until",
        "2026-04-01",
        "--actor",
        WORKGROUP,
    )
    assert reversed_days.exit_code == 2 and reversed_days.stdout == ""
    [line] = reversed_days.stderr.strip().splitlines()
    assert "before it opens on 2026-05-01" in line

    closed = run(
        database,
        *batch,
        "close",
        "2026年第一批",
        "--society",
        "CES",
        "--on",
        "2026-01-31",
        "--actor",
        WORKGROUP,
        "--json",
    )
    assert json.loads(closed.stdout)[0]["closes_on"] == "2026-01-31"
    listed = json.loads(run(database, *batch, "list", "--society", "CES", "--json", now="2026-02-01").stdout)
    assert [(b["name"], b["open_today"]) for b in listed] == [("2026年第一批", False)]
    unknown = run(database, *batch, "close", "第九批", "--society", "CES", "--on", "2026-01-31", "--actor", WORKGROUP)
    assert unknown.exit_code == 2 and "declared: 2026年第一批" in unknown.stderr
