"""Who may act, through the CLI: every refusal is one line, exit code 2, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli

from ..factories import person, society_document
from .journeys import registered_after_acceptance, review_round
from .test_cli import write_application


@pytest.fixture
def call(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, "--now", "2026-03-02", *args], catch_exceptions=False)

    assert invoke("db", "init", "--simulation").exit_code == 0
    document = society_document([1, 2])
    document["staff"].append({**person(907, "管理员"), "username": "admin", "role": "administrator"})
    document["member"].append({**person(3, "张伟"), "status": "active"})
    document["workgroup"].append({**person(908, "张伟"), "username": "zhangwei-ces"})
    (tmp_path / "society.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert invoke("society", "load", str(tmp_path / "society.json")).exit_code == 0
    return invoke


def submitted(call: Any, tmp_path: Path, serial: int = 1) -> int:
    created = call("case", "create", str(write_application(tmp_path, serial)), "--submit", "--json")
    case = json.loads(created.stdout)
    assert case["stage"] == "submitted" and case["applicant"] == f"p{serial}"
    return int(case["case_id"])


def refused_alone(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ("路人甲", "nobody in the directory is called '路人甲'"),
        ("申请人1", "申请人1 may not accept_for_review: only the workgroup of the case's society may"),
        ("审议委员1", "审议委员1 may not accept_for_review: only the workgroup of the case's society may"),
        ("张伟", "'张伟' names more than one person: zhangwei-ces, p3"),
    ],
)
def test_only_the_workgroup_accepts_a_case_for_review(call: Any, tmp_path: Path, actor: str, message: str) -> None:
    case_id = submitted(call, tmp_path)
    before = call("case", "show", str(case_id), "--json").stdout
    refused_alone(call("case", "act", str(case_id), "accept_for_review", "--actor", actor), message)
    assert call("case", "show", str(case_id), "--json").stdout == before


def test_a_stranger_or_the_applicant_cannot_take_a_case_to_a_certificate(call: Any, tmp_path: Path) -> None:
    case_id = submitted(call, tmp_path)
    for action in ("accept_for_review", "pass_material_review", "approve", "register"):
        for actor in ("路人甲", "申请人1"):
            assert call("case", "act", str(case_id), action, "--actor", actor).exit_code == 2
    assert json.loads(call("case", "show", str(case_id), "--json").stdout)["stage"] == "submitted"
    assert "certificate" not in call("register", "lookup", "--name", "申请人1", "--society", "CES").stdout


def test_the_username_or_an_unambiguous_name_acts_and_the_history_shows_the_person(call: Any, tmp_path: Path) -> None:
    case_id = submitted(call, tmp_path)
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", "zhangwei-ces").exit_code == 0
    shown = json.loads(call("case", "show", str(case_id), "--json").stdout)
    assert [(line["action"], line["actor"]) for line in shown["history"]][-1] == ("accept_for_review", "张伟")
    number = registered_after_acceptance(call, case_id, tmp_path)
    assert number.startswith("CE-CES-ELEC-2026-")


def test_roles_are_changed_by_an_administrator_only(call: Any) -> None:
    refused_alone(
        call("society", "grant", "p2", "workgroup", "--society", "CES", "--actor", "王秘书"),
        "王秘书 may not grant: only an administrator",
    )
    granted = call("society", "grant", "p2", "workgroup", "--society", "CES", "--actor", "admin")
    assert granted.exit_code == 0 and "p2 (申请人2) now holds workgroup of CES" in granted.stdout
    refused_alone(call("society", "grant", "p2", "workgroup", "--actor", "admin"), "is held for a society")
    seated = call("society", "seat", "review_committee", "p2", "--from", "2026-03-01", "--actor", "admin")
    assert seated.exit_code == 0, seated.output
    roster = json.loads(call("society", "roster", "review_committee", "--json").stdout)
    assert [line["name"] for line in roster] == ["审议委员1", "审议委员2", "审议委员3", "申请人2"]
    ended = call("society", "end-term", "review_committee", "审议委员3", "--on", "2026-02-28", "--actor", "admin")
    assert ended.exit_code == 0, ended.output
    roster = json.loads(call("society", "roster", "review_committee", "--json").stdout)
    assert [line["name"] for line in roster] == ["审议委员1", "审议委员2", "申请人2"]
    whois = json.loads(call("society", "whois", "p2", "--json").stdout)
    assert {line["role"] for line in whois} == {"workgroup", "review_committee"}


def test_a_person_who_left_the_committee_no_longer_decides(call: Any, tmp_path: Path) -> None:
    case_id = submitted(call, tmp_path)
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", "王秘书").exit_code == 0
    review_round(call, case_id, tmp_path)
    assert (
        call("society", "end-term", "review_committee", "审议委员1", "--on", "2026-03-01", "--actor", "admin").exit_code
        == 0
    )
    refused_alone(
        call("review", "committee", str(case_id), "approve", "--resolution", "RES-2026-0001", "--actor", "审议委员1"),
        "only a member of the review committee may",
    )
