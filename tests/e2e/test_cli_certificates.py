"""`capeval cpd`, `capeval certificate` and `capeval register` as scripts and people use them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli

from ..factories import id_number
from .journeys import registered
from .test_cli import run, write_application, write_society


def write_record(tmp_path: Path, activities: list[dict[str, object]], **extra: object) -> Path:
    path = tmp_path / "cpd.json"
    path.write_text(json.dumps({"member": "张工", "year": 2026, "activities": activities, **extra}), encoding="utf-8")
    return path


def test_cpd_evaluate_works_without_a_database_and_explains_each_line(tmp_path: Path) -> None:
    record = write_record(
        tmp_path,
        [
            {
                "kind": "training",
                "date": "2026-03-02",
                "minutes": 900,
                "days": 1,
                "subject": "professional",
                "institution": "某院",
            },
            {"kind": "patent", "date": "2026-05-01", "patent_type": "invention"},
        ],
    )
    result = run(
        "--db",
        f"sqlite:///{tmp_path / 'never' / 'made.db'}",
        "cpd",
        "evaluate",
        "--policy",
        "ce-2026",
        "--year",
        "2026",
        "--file",
        str(record),
    )
    assert result.returncode == 0, result.stderr
    assert "-> 8 h" in result.stdout and "capped at 8 h a day" in result.stdout and "-> 10 h" in result.stdout
    assert result.stdout.strip().endswith("not compliant: total short by 72 h; professional short by 42 h")
    assert not (tmp_path / "never").exists()


def test_cpd_evaluate_json_says_compliant(tmp_path: Path) -> None:
    record = write_record(tmp_path, [{"kind": "training", "date": "2026-03-02", "minutes": 50 * 45}])
    result = run("cpd", "evaluate", "--year", "2026", "--file", str(record), "--json")
    report = json.loads(result.stdout)
    assert report["compliant"] is True and report["policy"] == "cpd-2024" and report["total_hours"] == 50
    short = run("cpd", "evaluate", "--policy", "cpd-en", "--year", "2026", "--file", str(record), "--json")
    assert json.loads(short.stdout)["shortfall"] == {"online": 30}


@pytest.mark.parametrize(
    ("activities", "field"),
    [
        ([{"kind": "training", "date": "2026-02-30", "minutes": 60}], "activities[0].date"),
        ([{"kind": "training", "date": "2026-02-03", "minutes": "sixty"}], "activities[0].minutes"),
        ([{"date": "2026-02-03"}], "activities[0].kind"),
    ],
)
def test_a_malformed_cpd_file_is_one_line_naming_the_field(tmp_path: Path, activities: list, field: str) -> None:
    result = run("cpd", "evaluate", "--year", "2026", "--file", str(write_record(tmp_path, activities)))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and field in result.stderr and result.stderr.startswith("error: ")


def test_a_certificate_is_suspended_looked_up_and_reported_through_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, "--now", "2026-01-05", *args], catch_exceptions=False)

    call("db", "init", "--simulation")
    call("society", "load", str(write_society(tmp_path, [1])))
    case = json.loads(call("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json").stdout)
    number = registered(call, case["case_id"], tmp_path)

    refused = call("certificate", "suspend", number, "--actor", "王秘书")
    assert refused.exit_code == 2 and "reason" in refused.output
    assert (
        "active -> suspended"
        in call("certificate", "suspend", number, "--actor", "王秘书", "--reason", "待核实").stdout
    )

    transcript = tmp_path / "transcript.csv"
    transcript.write_text("date,minutes,title\n2026-01-05,90,工程伦理\n", encoding="utf-8")
    assert (
        "1 online activities imported"
        in call("cpd", "import", number, "--csv", str(transcript), "--actor", "王秘书").stdout
    )

    looked_up = json.loads(call("register", "lookup", "--number", number, "--json").stdout)
    by_name = call("register", "lookup", "--name", "申请人1", "--society", "CES").stdout
    published = json.dumps(looked_up, ensure_ascii=False) + by_name
    assert looked_up["items"][0]["status"] == "suspended" and number in by_name
    for hidden in (id_number(1), id_number(1)[:6], "p1@example.cn", "diploma.pdf", "transcript"):
        assert hidden not in published
    assert number in call("register", "lookup", "--name", "申请人").stdout
    assert call("register", "lookup").exit_code == 2

    out = tmp_path / "changes.csv"
    assert call("certificate", "report", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig") as handle:
        assert [row["change"] for row in csv.DictReader(handle)] == ["issue", "suspend"]


def test_cpd_is_recorded_reported_and_renewal_applied_for_through_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str, now: str = "2026-01-05"):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, "--now", now, *args], catch_exceptions=False)

    call("db", "init", "--simulation")
    call("society", "load", str(write_society(tmp_path, [1])))
    case = json.loads(call("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json").stdout)
    number = registered(call, case["case_id"], tmp_path)

    recorded = call(
        "cpd",
        "record",
        number,
        "--actor",
        "申请人1",
        "--kind",
        "training",
        "--date",
        "2027-05-01",
        "--minutes",
        "2250",
        "--online",
        "--subject",
        "public",
        "--institution",
        "中国工程师联合体在线学习平台",
        "--evidence",
        "platform.csv",
        now="2027-06-01",
    )
    assert recorded.exit_code == 0 and "1 activity recorded" in recorded.stdout
    bad = call("cpd", "record", number, "--actor", "申请人1", "--kind", "training", "--date", "2027-02-30")
    assert bad.exit_code == 2 and "activities[0].date" in bad.output
    report = json.loads(call("cpd", "report", number, "--year", "2027", "--json").stdout)
    assert report[0]["total_hours"] == 50 and report[0]["compliant"] is True
    assert "ce-2026" in call("cpd", "policy", "CES", "--set", "ce-2026", "--actor", "王秘书").stdout

    assert call("certificate", "renew", number, "--actor", "王秘书", now="2030-12-01").exit_code == 2
    applied = call("certificate", "apply-renewal", number, "--actor", "申请人1", now="2030-12-01")
    assert "renewal applied for on 2030-12-01" in applied.stdout
    refused = call("certificate", "renew", number, "--actor", "王秘书", now="2030-12-02")
    assert refused.exit_code == 2 and "2028: total short by 90 h" in refused.output
    for year in ("2028", "2029"):
        call(
            "certificate",
            "exempt",
            number,
            "--year",
            year,
            "--reason",
            "援外项目驻场",
            "--evidence",
            "派遣函.pdf",
            "--actor",
            "王秘书",
            now="2030-12-02",
        )
    still = call("certificate", "renew", number, "--actor", "王秘书", now="2030-12-02")
    assert still.exit_code == 2 and "2027: total short by 40 h, professional short by 60 h" in still.output
    shown = json.loads(call("certificate", "show", number, "--json").stdout)
    assert shown["cpd_exempt_years"] == [2028, 2029] and shown["renewal_requested_on"] == "2030-12-01"
