"""`capeval cpd plan load|list` and `capeval cpd record --plan-item` (CPD-2024 art. 7; Q&A Q21, A21)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from capeval.cli.main import cli

from .journeys import SECRETARIAT, WORKGROUP, registered
from .test_cli import write_application, write_society

PLAN = """year = 2026

[[item]]
id = "P26-01"
title = "继电保护新技术培训"
kind = "training"
hours = 10
"""


def test_a_plan_is_loaded_listed_and_cited_and_an_unknown_item_is_refused_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"

    def call(*args: str, now: str = "2026-01-05") -> Result:
        return CliRunner().invoke(cli, ["--db", f"sqlite:///{database}", "--now", now, *args], catch_exceptions=False)

    assert call("db", "init", "--simulation").exit_code == 0
    assert call("society", "load", str(write_society(tmp_path, [1]))).exit_code == 0
    case = json.loads(call("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json").stdout)
    number = registered(call, case["case_id"], tmp_path)
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")

    loaded = call("cpd", "plan", "load", str(plan), "--society", "CES", "--actor", WORKGROUP)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.strip() == "CES CPD plan 2026: 1 items added, 0 changed"
    listed = json.loads(call("cpd", "plan", "list", "--society", "CES", "--year", "2026", "--json").stdout)
    assert [(i["item_id"], i["hours"]) for i in listed] == [("P26-01", 10)]

    course = ("--kind", "training", "--date", "2026-05-01", "--minutes", "450", "--online", "--title", "继电保护")
    cited = call("cpd", "record", number, "--actor", "p1", *course, "--plan-item", "P26-01", now="2026-06-01")
    assert cited.exit_code == 0, cited.output
    unknown = call("cpd", "record", number, "--actor", "p1", *course, "--plan-item", "P26-99", now="2026-06-01")
    assert unknown.exit_code == 2 and unknown.stdout == ""
    [line] = unknown.stderr.strip().splitlines()
    assert "has an item 'P26-99' (items: P26-01" in line
    ledger = json.loads(call("cpd", "list", number, "--json", now="2026-06-01").stdout)["activities"]
    assert [row["plan_item"] for row in ledger] == ["P26-01"]
    table = call("cpd", "list", number, now="2026-06-01").stdout
    assert "plan_item" in table and "P26-01" in table

    federation_plan = tmp_path / "federation.toml"
    federation_plan.write_text(PLAN.replace("P26-", "F26-"), encoding="utf-8")
    neither = call("cpd", "plan", "load", str(federation_plan), "--actor", SECRETARIAT)
    both = call("cpd", "plan", "load", str(federation_plan), "--society", "CES", "--federation", "--actor", SECRETARIAT)
    for refused in (neither, both):
        assert refused.exit_code == 2 and "either --society CODE" in refused.stderr
    by_workgroup = call("cpd", "plan", "load", str(federation_plan), "--federation", "--actor", WORKGROUP)
    assert by_workgroup.exit_code != 0 and len(by_workgroup.stderr.strip().splitlines()) == 1
    federal = call("cpd", "plan", "load", str(federation_plan), "--federation", "--actor", SECRETARIAT)
    assert federal.stdout.strip() == "federation CPD plan 2026: 1 items added, 0 changed"
    listed = json.loads(call("cpd", "plan", "list", "--federation", "--json").stdout)
    assert [i["item_id"] for i in listed] == ["F26-01"]
    federal_course = call(
        "cpd", "record", number, "--actor", "p1", *course, "--plan-item", "federation:F26-01", now="2026-06-02"
    )
    assert federal_course.exit_code == 0, federal_course.output
