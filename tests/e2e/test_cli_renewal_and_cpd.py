"""Renewal and CPD integrity as a new user tries them through the CLI: each finding refused in one line with
exit code 2 and nothing written, and the honest path that works."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from .journeys import registered
from .test_cli import write_application, write_society

Call = Callable[..., Result]
STAFF = "王秘书"
MEMBER = "申请人1"


@pytest.fixture
def call(tmp_path: Path) -> Call:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def invoke(*args: str, now: str = "2026-03-02") -> Result:
        return runner.invoke(cli, ["--db", database, "--now", now, *args], catch_exceptions=False)

    assert invoke("db", "init", "--simulation").exit_code == 0
    return invoke


def issued(call: Call, tmp_path: Path) -> str:
    """Member 1's certificate, registered on 2026-03-02 (valid until 2031-03-01)."""
    call("society", "load", str(write_society(tmp_path, [1])))
    case = json.loads(call("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json").stdout)
    return registered(call, case["case_id"], tmp_path)


def refused_in_one_line(result: Result, *words: str) -> None:
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def shown(call: Call, number: str, now: str = "2026-03-02") -> dict[str, object]:
    return json.loads(call("certificate", "show", number, "--json", now=now).stdout)


def ledger(call: Call, number: str, now: str) -> dict[str, list[dict[str, object]]]:
    return json.loads(call("cpd", "list", number, "--json", now=now).stdout)


def test_a_certificate_without_cpd_is_not_renewed_a_year_after_issue(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    before = shown(call, number)
    applied = call("certificate", "apply-renewal", number, "--actor", MEMBER, now="2027-03-10")
    refused_in_one_line(applied, "only from 2030-09-02 to the last valid day 2031-03-01", "not on 2027-03-10")
    renewed = call("certificate", "renew", number, "--actor", STAFF, now="2027-03-10")
    refused_in_one_line(renewed, "2030-09-02")
    assert shown(call, number, now="2027-03-10") == before
    assert before["expires_on"] == "2031-03-01" and before["renewals"] == 0


def test_a_certificate_without_cpd_is_refused_in_the_window_with_each_year_short(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    assert call("certificate", "apply-renewal", number, "--actor", MEMBER, now="2030-10-01").exit_code == 0
    before = shown(call, number, now="2030-10-01")
    renewed = call("certificate", "renew", number, "--actor", STAFF, now="2030-10-02")
    years = "; ".join(f"{year}: total short by 50 h" for year in range(2026, 2031))
    refused_in_one_line(renewed, f"CPD falls short ({years})")
    assert shown(call, number, now="2030-10-02") == before


def test_a_certificate_with_every_year_complete_renews_in_the_window_keeping_its_number(
    call: Call, tmp_path: Path
) -> None:
    number = issued(call, tmp_path)
    for year in range(2026, 2031):
        recorded = call(
            "cpd",
            "record",
            number,
            "--actor",
            MEMBER,
            "--kind",
            "training",
            "--date",
            f"{year}-06-01",
            "--minutes",
            str(50 * 45),
            "--online",
            "--title",
            f"{year}年度在线课程",
            now=f"{year}-06-30",
        )
        assert recorded.exit_code == 0, recorded.output
    assert call("certificate", "apply-renewal", number, "--actor", MEMBER, now="2030-09-02").exit_code == 0
    renewed = call("certificate", "renew", number, "--actor", STAFF, "--json", now="2030-09-03")
    assert renewed.exit_code == 0, renewed.output
    outcome = json.loads(renewed.stdout)
    assert (outcome["registration_number"], outcome["expires_on"]) == (number, "2036-03-01")
    after = shown(call, number, now="2030-09-03")
    assert after["renewals"] == 1 and after["status"] == "active"
    assert "CPD reviewed for 2026, 2027, 2028, 2029, 2030" in str(after["history"])


def test_a_cpd_activity_dated_in_the_future_is_refused_and_nothing_of_its_batch_is_written(
    call: Call, tmp_path: Path
) -> None:
    number = issued(call, tmp_path)
    activities = tmp_path / "activities.json"
    activities.write_text(
        json.dumps(
            {
                "activities": [
                    {"kind": "training", "date": "2026-04-01", "minutes": 450, "title": "继电保护"},
                    {"kind": "training", "date": "2030-05-01", "minutes": 4500, "title": "预先登记"},
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = call("cpd", "record", number, "--actor", MEMBER, "--file", str(activities), now="2026-06-01")
    refused_in_one_line(result, "activities[1] (training, 2030-05-01)", "2026-03-02 to 2026-06-01")
    assert ledger(call, number, now="2026-06-01")["activities"] == []
    report = json.loads(call("cpd", "report", number, "--year", "2030", "--json", now="2031-01-01").stdout)
    assert report[0]["total_hours"] == 0


def test_an_activity_before_issue_is_refused(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    result = call(
        "cpd", "record", number, "--actor", MEMBER, "--kind", "seminar", "--date", "2026-03-01", "--minutes", "90"
    )
    refused_in_one_line(result, "activities[0] (seminar, 2026-03-01) is outside the validity of", "2026-03-02")


def test_a_transcript_imported_twice_is_counted_once(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    transcript = tmp_path / "transcript.csv"
    transcript.write_text("date,minutes,title\n2026-04-01,900,工程伦理\n2026-05-01,450,项目管理\n", encoding="utf-8")
    imported = call("cpd", "import", number, "--csv", str(transcript), "--actor", STAFF, now="2026-06-01")
    assert "2 online activities imported from transcript.csv" in imported.stdout
    assert "already" not in imported.stdout
    again = call("cpd", "import", number, "--csv", str(transcript), "--actor", STAFF, now="2026-06-02")
    assert again.exit_code == 0
    assert "0 online activities imported from transcript.csv; 2 activities already in the ledger" in again.stdout
    report = json.loads(call("cpd", "report", number, "--year", "2026", "--json", now="2026-06-02").stdout)
    assert report[0]["total_hours"] == 30
    future = tmp_path / "future.csv"
    future.write_text("date,minutes,title\n2026-05-02,45,复习\n2026-07-01,45,预约课程\n", encoding="utf-8")
    refused_in_one_line(
        call("cpd", "import", number, "--csv", str(future), "--actor", STAFF, now="2026-06-02"),
        "future.csv: line 3 (training, 2026-07-01)",
    )
    assert len(ledger(call, number, now="2026-06-02")["activities"]) == 2


def test_a_transcript_saved_by_excel_on_chinese_windows_is_read_as_gbk(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    transcript = tmp_path / "gbk.csv"
    transcript.write_bytes("date,minutes,title\n2026-04-01,90,工程伦理与职业道德\n".encode("gbk"))
    imported = call("cpd", "import", number, "--csv", str(transcript), "--actor", STAFF, now="2026-06-01")
    assert imported.exit_code == 0 and "1 online activities imported from gbk.csv" in imported.stdout
    titles = [row["title"] for row in ledger(call, number, now="2026-06-01")["activities"]]
    assert titles == ["工程伦理与职业道德"]


def test_a_transcript_in_an_encoding_neither_utf8_nor_gbk_is_refused_saying_how_to_save_it(
    call: Call, tmp_path: Path
) -> None:
    number = issued(call, tmp_path)
    transcript = tmp_path / "unicode.csv"
    transcript.write_bytes("date,minutes,title\n2026-04-01,90,工程伦理\n".encode("utf-16"))
    refused_in_one_line(
        call("cpd", "import", number, "--csv", str(transcript), "--actor", STAFF, now="2026-06-01"),
        "neither UTF-8 nor GBK",
        "save it as CSV UTF-8",
    )
    assert ledger(call, number, now="2026-06-01")["activities"] == []


def test_the_cpd_listing_says_who_recognized_each_activity(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    outside = ["--kind", "seminar", "--date", "2026-05-01", "--minutes", "450", "--organizer", "outside"]
    refused_in_one_line(
        call("cpd", "record", number, "--actor", MEMBER, *outside, now="2026-06-01"),
        "organized outside the society",
        "cannot recognize their own activity",
    )
    assert call("cpd", "record", number, "--actor", STAFF, *outside, now="2026-06-01").exit_code == 0
    assert call("cpd", "record", number, "--actor", MEMBER, "--kind", "training", "--date", "2026-05-02",
                "--minutes", "90", now="2026-06-01").exit_code == 0  # fmt: skip
    listing = call("cpd", "list", number, now="2026-06-01").stdout
    assert "recognized_by" in listing and STAFF in listing
    rows = ledger(call, number, now="2026-06-01")["activities"]
    assert [(row["organizer"], row["recognized_by"]) for row in rows] == [("outside", STAFF), ("society", MEMBER)]


def test_a_member_cannot_declare_themselves_a_qualified_lecturer_the_society_records_it(
    call: Call, tmp_path: Path
) -> None:
    number = issued(call, tmp_path)
    teaching = tmp_path / "teaching.json"
    teaching.write_text(
        json.dumps({"kind": "teaching", "date": "2026-05-01", "minutes": 450, "qualified_lecturer": True}),
        encoding="utf-8",
    )
    refused_in_one_line(
        call("cpd", "record", number, "--actor", MEMBER, "--file", str(teaching), now="2026-06-01"),
        "'qualified_lecturer' cannot be declared",
    )
    refused_in_one_line(
        call("cpd", "lecturer", number, "--since", "2026-04-01", "--actor", MEMBER, now="2026-06-01"),
        "cannot record their own lecturer qualification",
    )
    plain = json.loads(teaching.read_text(encoding="utf-8"))
    del plain["qualified_lecturer"]
    teaching.write_text(json.dumps(plain), encoding="utf-8")
    assert call("cpd", "record", number, "--actor", MEMBER, "--file", str(teaching), now="2026-06-01").exit_code == 0
    single = json.loads(call("cpd", "report", number, "--year", "2026", "--json", now="2026-06-01").stdout)
    recorded = call("cpd", "lecturer", number, "--since", "2026-04-01", "--actor", STAFF, now="2026-06-01")
    assert recorded.exit_code == 0 and "qualified lecturer since 2026-04-01, recorded by 王秘书" in recorded.stdout
    double = json.loads(call("cpd", "report", number, "--year", "2026", "--json", now="2026-06-01").stdout)
    assert (single[0]["total_hours"], double[0]["total_hours"]) == (10, 20)
    assert "qualified lecturer since 2026-04-01" in call("cpd", "list", number, now="2026-06-01").stdout


def test_the_renewal_window_is_a_rule_of_the_policy_file(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    policy = tmp_path / "policy.toml"
    policy.write_text("[renewal]\nrenewal_window_days = 90\n", encoding="utf-8")
    rules = json.loads(call("--policy", str(policy), "rules", "renewal", "--json").stdout)
    assert {row["rule"]: row["value"] for row in rules}["renewal_window_days"] == 90
    early = call("--policy", str(policy), "certificate", "apply-renewal", number, "--actor", MEMBER, now="2030-10-01")
    refused_in_one_line(early, "only from 2030-12-01", "the last 90 days of validity")
    assert call("certificate", "apply-renewal", number, "--actor", MEMBER, now="2030-10-01").exit_code == 0


def test_certificate_show_and_the_federation_report_give_capevals_reasons_in_the_chosen_language(
    call: Call, tmp_path: Path
) -> None:
    number = issued(call, tmp_path)
    english = call("--lang", "en", "certificate", "show", number)
    chinese = call("--lang", "zh-CN", "certificate", "show", number)
    assert english.exit_code == chinese.exit_code == 0, english.output + chinese.output
    assert "registered after committee approval of case" in english.stdout and "经评审委员会批准" not in english.stdout
    assert "经评审委员会批准案件" in chinese.stdout and "registered after" not in chinese.stdout
    assert "@certificate" not in english.stdout + chinese.stdout
    report = tmp_path / "report.csv"
    period = ("--from", "2026-01-01", "--to", "2026-12-31", "--out", str(report))
    written = call("--lang", "zh-CN", "certificate", "report", *period)
    assert written.exit_code == 0, written.output
    assert "经评审委员会批准案件" in report.read_text(encoding="utf-8-sig")
