"""Impartiality through the CLI (Charter art. 11, 28, 31; Q&A Q40): who takes the steps of appeals and feedback,
resolutions counted against the roster, the recorded decision an appeal is against, and everyone who took
part in it kept off the panel, the investigation, the findings and the vote."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from .journeys import WORKGROUP, registered, review_round
from .test_cli import write_application, write_society

Call = Callable[..., Result]
APPLICANT, MEMBER, SECOND, THIRD = "p1", "公正委员1", "公正委员2", "公正委员3"
SECRETARIAT, SUPERVISOR, INVESTIGATOR = "秘书处员", "监督委员1", "监督委员2"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


@pytest.fixture
def call(database: Path) -> Call:
    runner = CliRunner()

    def invoke(*args: str, now: str = "2026-01-05") -> Result:
        return runner.invoke(cli, ["--db", f"sqlite:///{database}", "--now", now, *args], catch_exceptions=False)

    assert invoke("db", "init", "--simulation").exit_code == 0
    return invoke


def refused(result: Result, *phrases: str) -> None:
    """A refusal: exit code 2, nothing on stdout, one line on stderr holding every phrase."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    for phrase in phrases:
        assert phrase in line, line


def rejected_case(call: Call, folder: Path) -> int:
    """Applicant 1's case, failed at material review by its examiners' round."""
    assert call("society", "load", str(write_society(folder, [1]))).exit_code == 0
    case = json.loads(call("case", "create", str(write_application(folder, 1)), "--submit", "--json").stdout)
    assert call("case", "act", str(case["case_id"]), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    review_round(call, case["case_id"], folder, "fail")
    return int(case["case_id"])


def certificate(call: Call, folder: Path) -> str:
    """Applicant 1's certificate, registered on 2026-01-05."""
    assert call("society", "load", str(write_society(folder, [1]))).exit_code == 0
    case = json.loads(call("case", "create", str(write_application(folder, 1)), "--submit", "--json").stdout)
    return registered(call, case["case_id"], folder)


def suspend(call: Call, number: str, day: str) -> None:
    """The workgroup suspends the certificate on `day`."""
    assert call("certificate", "suspend", number, "--actor", WORKGROUP, "--reason", "待核实", now=day).exit_code == 0


def lodge(call: Call, *args: str, now: str = "2026-01-05") -> Result:
    grounds = ("--ground", "facts_wrong", "--statement", "结论有误")
    return call("appeal", "lodge", *grounds, *args, "--json", now=now)


def record(call: Call, subject: str, actor: str, *votes: str, body: str = "impartiality_committee") -> Result:
    ballot = [part for vote in votes for part in ("--vote", vote)]
    order = ("--body", body, "--motion", "decide", "--subject", subject, "--actor", actor)
    return call("resolution", "record", *order, *ballot, "--json")


def shown(call: Call, reference: str) -> dict[str, Any]:
    return dict(json.loads(call("appeal", "show", reference, "--json").stdout))


def seat_on_impartiality_committee(folder: Path, call: Call, username: str) -> None:
    path = folder / "seat.json"
    seat = {"committee": [{"body": "impartiality_committee", "member": [{"username": username, "from": "2024-01-01"}]}]}
    path.write_text(json.dumps(seat), encoding="utf-8")
    assert call("society", "load", str(path)).exit_code == 0


def test_a_rejected_applicant_can_neither_run_their_own_appeal_nor_invent_its_committee(
    call: Call, tmp_path: Path
) -> None:
    case_id = rejected_case(call, tmp_path)
    lodged = lodge(call, "--actor", APPLICANT, "--subject", "failed_evaluation", "--case", str(case_id))
    assert lodged.exit_code == 0, lodged.output
    reference = json.loads(lodged.stdout)["reference"]
    act = ("appeal", "act", reference)

    own_panel = call(*act, "appoint_panel", "--actor", APPLICANT, "--panel", "甲", "--panel", "乙")
    refused(own_panel, "申请人1 may not appoint_panel", "only a member of the impartiality committee may")
    invented = ("甲=for", "乙=for", "丙=for")
    refused(record(call, f"appeal:{reference}", APPLICANT, *invented), "申请人1 may not record a resolution")
    refused(
        record(call, f"appeal:{reference}", SECRETARIAT, *invented),
        "甲, 乙, 丙: not a member of the impartiality_committee on 2026-01-05",
    )
    one_of_three = json.loads(record(call, f"appeal:{reference}", SECRETARIAT, f"{MEMBER}=for").stdout)
    assert (one_of_three["members"], one_of_three["voted"], one_of_three["valid"]) == (3, 1, False)
    assert call(*act, "appoint_panel", "--actor", MEMBER, "--panel", THIRD).exit_code == 0
    uphold = ("uphold", "--reason", "我有理", "--resolution", one_of_three["reference"])
    refused(
        call(*act, *uphold, "--reopen-at", "committee_review", "--actor", APPLICANT),
        "only a member of the impartiality committee may",
    )
    refused(call("case", "act", str(case_id), "register", "--actor", APPLICANT))
    assert shown(call, reference)["stage"] == "under_review"
    assert json.loads(call("case", "show", str(case_id), "--json").stdout)["stage"] == "rejected"


def test_someone_else_cannot_lodge_an_appeal_for_the_applicant(call: Call, tmp_path: Path) -> None:
    case_id = rejected_case(call, tmp_path)
    for stranger, message in (
        (WORKGROUP, "only the person the decision appealed against concerns may"),
        ("路人甲", "nobody in the directory is called '路人甲'"),
    ):
        refused(lodge(call, "--actor", stranger, "--subject", "failed_evaluation", "--case", str(case_id)), message)


def test_the_appeal_window_runs_from_the_recorded_rejection_not_a_date_the_appellant_types(
    call: Call, tmp_path: Path
) -> None:
    case_id = rejected_case(call, tmp_path)
    against_the_rejection = ("--actor", APPLICANT, "--subject", "failed_evaluation", "--case", str(case_id))
    typed = lodge(call, *against_the_rejection, "--decided-on", "2026-03-01", now="2026-03-02")
    assert typed.exit_code == 2 and "--decided-on" in typed.output
    late = lodge(call, *against_the_rejection, now="2026-03-02")
    refused(late, "the appeal window closed on 2026-02-14", "after the decision of 2026-01-05")
    in_time = lodge(call, *against_the_rejection, now="2026-02-13")
    assert json.loads(in_time.stdout)["detail"]["decided_on"] == "2026-01-05"


def test_whoever_suspended_the_certificate_may_not_sit_on_its_appeal_panel(call: Call, tmp_path: Path) -> None:
    number = certificate(call, tmp_path)
    suspend(call, number, "2026-01-20")
    lodged = lodge(call, "--actor", APPLICANT, "--subject", "suspension", "--certificate", number, now="2026-01-22")
    reference = json.loads(lodged.stdout)["reference"]
    assert shown(call, reference)["decided_on"] == "2026-01-20"
    assert WORKGROUP in shown(call, reference)["excluded"]
    appoint = ("appeal", "act", reference, "appoint_panel", "--actor", MEMBER, "--panel")
    refused(call(*appoint, WORKGROUP, now="2026-01-23"), f"{WORKGROUP} took part in the matter")
    assert call(*appoint, "p923", now="2026-01-23").exit_code == 0
    assert shown(call, reference)["panel"] == [THIRD]


def test_a_refused_renewal_can_be_appealed_only_once_the_society_recorded_the_refusal(
    call: Call, tmp_path: Path, database: Path
) -> None:
    number = certificate(call, tmp_path)
    with sqlite3.connect(database) as connection:  # a certificate of 2021 whose validity ends this spring
        connection.execute("UPDATE certificate SET issued_on = '2021-04-01', expires_on = '2026-03-31'")
    against_the_refusal = ("--actor", APPLICANT, "--subject", "refused_renewal", "--certificate", number)
    never = lodge(call, *against_the_refusal, now="2026-02-02")
    refused(never, f"no refused renewal of certificate {number} is recorded")
    refusal = ("certificate", "refuse-renewal", number, "--reason", "2025年度CPD学时不足")
    refused(call(*refusal, "--actor", WORKGROUP, now="2026-02-02"), "no renewal has been applied for")
    assert call("certificate", "apply-renewal", number, "--actor", APPLICANT, now="2026-02-02").exit_code == 0
    refused(call(*refusal, "--actor", APPLICANT, now="2026-02-03"), "only the workgroup of the certificate's society")
    assert call(*refusal, "--actor", WORKGROUP, now="2026-02-03").exit_code == 0
    history = json.loads(call("certificate", "show", number, "--json").stdout)["history"]
    assert [(h["change"], h["from"], h["to"]) for h in history][-1] == ("renewal_refused", "active", "active")
    lodged = lodge(call, *against_the_refusal, now="2026-02-04")
    assert lodged.exit_code == 0, lodged.output
    appeal = shown(call, json.loads(lodged.stdout)["reference"])
    assert (appeal["decided_on"], appeal["decided_by"]) == ("2026-02-03", WORKGROUP)
    notices = json.loads(call("outbox", "list", "--json").stdout)
    assert "certificate.renewal_refused" in {n["template"] for n in notices}


def test_a_person_barred_from_the_panel_cannot_carry_the_resolution_by_voting(call: Call, tmp_path: Path) -> None:
    number = certificate(call, tmp_path)
    seat_on_impartiality_committee(tmp_path, call, "p900")  # the workgroup member also sits on the committee
    suspend(call, number, "2026-01-20")
    lodged = lodge(call, "--actor", APPLICANT, "--subject", "suspension", "--certificate", number, now="2026-01-21")
    reference = json.loads(lodged.stdout)["reference"]
    assert call("appeal", "act", reference, "appoint_panel", "--actor", MEMBER, "--panel", THIRD).exit_code == 0
    with_the_barred = record(
        call, f"appeal:{reference}", SECRETARIAT, f"{WORKGROUP}=for", f"{MEMBER}=for", f"{SECOND}=for"
    )
    refused(with_the_barred, f"{WORKGROUP} took part in appeal:{reference} and may not vote on it")
    without = json.loads(record(call, f"appeal:{reference}", SECRETARIAT, f"{MEMBER}=for", f"{SECOND}=for").stdout)
    assert (without["members"], without["voted"], without["valid"]) == (4, 2, False)
    assert without["votes"] == {"p900": "absent", "p921": "for", "p922": "for", "p923": "absent"}
    decide = ("appeal", "act", reference, "uphold", "--reason", "暂停依据不足", "--resolution", without["reference"])
    refused(call(*decide, "--actor", WORKGROUP), f"{WORKGROUP} took part in the matter of {reference}")
    refused(call(*decide, "--actor", MEMBER), "is not valid")
    assert shown(call, reference)["stage"] == "under_review"


def test_feedback_findings_are_recorded_only_by_an_appointed_investigator_who_had_no_part(
    call: Call, tmp_path: Path
) -> None:
    case_id = rejected_case(call, tmp_path)
    letter = ("--sender", "张三", "--email", "z@example.cn", "--subject", "评审不公", "--body", "请复核")
    filed = call("feedback", "file", *letter, "--case", str(case_id), "--json")
    reference = json.loads(filed.stdout)["reference"]
    refused(call("feedback", "act", reference, "register", "--actor", WORKGROUP), "only a member of the standards")
    assert call("feedback", "act", reference, "register", "--actor", SUPERVISOR).exit_code == 0
    assign = ("feedback", "act", reference, "assign_investigators", "--actor", SUPERVISOR, "--investigator")
    refused(call(*assign, WORKGROUP), f"{WORKGROUP} took part in the matter")
    refused(call(*assign, "独立专家"), "nobody in the directory is called '独立专家'")
    assert call(*assign, INVESTIGATOR).exit_code == 0
    findings = ("feedback", "act", reference, "record_findings", "--text", "评审合规", "--actor")
    refused(call(*findings, WORKGROUP), "only an investigator appointed to this case may")
    refused(call(*findings, SUPERVISOR), "only an investigator appointed to this case may")
    assert call(*findings, INVESTIGATOR).exit_code == 0
    status = json.loads(call("feedback", "status", reference, "--json").stdout)
    assert status["history"][-1]["actor"] == INVESTIGATOR and status["findings"] == "评审合规"
