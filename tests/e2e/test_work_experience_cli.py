"""`capeval society load` sets a field's work-experience rule ([[experience]]), `capeval case create` takes the
periods (in the application file or `--experience FILE`), and `capeval rules list` shows the rule with its
source (Q&A Q33, Q37)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from capeval.cli.main import cli

from ..factories import society_document
from .test_cli import write_application


def run(database: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", f"sqlite:///{database}", "--now", "2026-01-05", *args])


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_field_rule_refuses_short_experience_and_takes_enough_from_an_experience_file(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    assert run(database, "db", "init", "--simulation").exit_code == 0
    directory = society_document([1, 2])
    directory["experience"] = [{"field": "electrical", "professional_years": 2}]
    assert run(database, "society", "load", str(write(tmp_path / "society.json", directory))).exit_code == 0

    listed = json.loads(run(database, "rules", "list", "--society", "CES", "--json").stdout)
    rules = {row["rule"]: row for row in listed}
    assert rules["work_experience_years[electrical]"]["value"] == "professional 2"
    assert "Q&A Q33, Q37" in rules["work_experience_years"]["source"]
    assert "Q&A Q37" in rules["undergraduate_practice_counts"]["source"]

    short = [{"from": "2024-06-01", "until": "2025-12-31", "employer": "某院", "role": "工程师"}]
    refused = run(database, "case", "create", str(write_application(tmp_path, 1, experience=short)), "--submit")
    assert refused.exit_code != 0 and "requires 2 years for the professional level" in refused.output
    assert "Traceback" not in refused.output

    more = write(
        tmp_path / "experience.json",
        {"experience": [{"from": "2023-06-01", "until": "2024-06-30", "employer": "某设计院", "role": "助理工程师"}]},
    )
    application = write_application(tmp_path, 1, experience=short)
    created = run(database, "case", "create", str(application), "--experience", str(more), "--submit", "--json")
    assert created.exit_code == 0, created.output
    assert json.loads(created.stdout)["stage"] == "submitted"


def test_a_bad_period_or_rule_is_one_line(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    assert run(database, "db", "init", "--simulation").exit_code == 0
    directory = society_document([1])
    directory["experience"] = [{"field": "electrical", "senior_years": 100}]
    bad_rule = run(database, "society", "load", str(write(tmp_path / "society.json", directory)))
    assert bad_rule.exit_code == 2 and len(bad_rule.stderr.strip().splitlines()) == 1
    assert "senior_years = 100" in bad_rule.stderr
    directory["experience"] = []
    assert run(database, "society", "load", str(write(tmp_path / "society.json", directory))).exit_code == 0
    reversed_period = [{"from": "2024-06-01", "until": "2023-12-31", "employer": "某院", "role": "工程师"}]
    refused = run(database, "case", "create", str(write_application(tmp_path, 1, experience=reversed_period)))
    assert refused.exit_code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "before it starts on 2024-06-01" in refused.stderr
    stage = [{"from": "2020-01-01", "until": "2021-01-01", "employer": "某院", "role": "工程师", "stage": "bachelor"}]
    unknown = run(database, "case", "create", str(write_application(tmp_path, 1, experience=stage)))
    assert unknown.exit_code == 2 and "'bachelor' is not a stage of practice" in unknown.stderr
