"""Who may act on a certificate, through the CLI: the workgroup of its society decides, its holder applies
for renewal and records their own CPD, staff of the society keep the ledger; every other person is refused
in one line with exit code 2, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from ..factories import person, society_document
from .journeys import WORKGROUP, registered
from .test_cli import write_application

Call = Callable[..., Result]
HOLDER, MEMBER, OTHER_WORKGROUP, ADMINISTRATOR, STRANGER = "申请人1", "申请人2", "孙秘书", "学会管理员", "路人甲"
ISSUED_ON = "2026-03-02"
IN_THE_WINDOW = "2030-10-01"
"""A day in the renewal window of a certificate issued on ISSUED_ON (valid until 2031-03-01)."""


@pytest.fixture
def call(tmp_path: Path) -> Call:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def invoke(*args: str, now: str = ISSUED_ON) -> Result:
        return runner.invoke(cli, ["--db", database, "--now", now, *args], catch_exceptions=False)

    assert invoke("db", "init", "--simulation").exit_code == 0
    document = society_document([1, 2])
    document["staff"].append({**person(907, ADMINISTRATOR), "role": "society_administrator"})
    other = {"society": {"code": "CMES", "name_zh": "中国机械工程学会"}, "workgroup": [person(906, OTHER_WORKGROUP)]}
    for name, directory in (("society.json", document), ("other.json", other)):
        (tmp_path / name).write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
        assert invoke("society", "load", str(tmp_path / name)).exit_code == 0
    return invoke


def issued(call: Call, tmp_path: Path) -> str:
    """Member 1's certificate of CES, registered on ISSUED_ON."""
    case = json.loads(call("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json").stdout)
    return registered(call, case["case_id"], tmp_path)


def refused_in_one_line(result: Result, *words: str) -> None:
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def shown(call: Call, number: str, now: str = IN_THE_WINDOW) -> dict[str, object]:
    return json.loads(call("certificate", "show", number, "--json", now=now).stdout)


DECISIONS = (
    ("suspend", ("certificate", "suspend", "{number}", "--reason", "待核实")),
    ("cancel", ("certificate", "cancel", "{number}", "--reason", "本人申请注销")),
    ("revoke", ("certificate", "revoke", "{number}", "--reason", "违规")),
    ("revoke", ("certificate", "revoke", "{number}", "--fraud", "--reason", "提供虚假学历证明")),
    ("renew", ("certificate", "renew", "{number}")),
    ("exempt", ("certificate", "exempt", "{number}", "--year", "2028", "--reason", "驻外", "--evidence", "函.pdf")),
    ("refuse_renewal", ("certificate", "refuse-renewal", "{number}", "--reason", "继续教育不足")),
)
"""Every decision on a certificate, with the action the refusal names."""


@pytest.mark.parametrize("actor", [STRANGER, HOLDER, OTHER_WORKGROUP, MEMBER, ADMINISTRATOR])
def test_only_the_workgroup_of_the_certificates_society_decides_on_it(call: Call, tmp_path: Path, actor: str) -> None:
    number = issued(call, tmp_path)
    assert call("certificate", "apply-renewal", number, "--actor", HOLDER, now=IN_THE_WINDOW).exit_code == 0
    before = shown(call, number)
    register = call("register", "lookup", "--number", number, "--json", now=IN_THE_WINDOW).stdout
    for action, words in DECISIONS:
        args = [word.format(number=number) for word in words]
        result = call(*args, "--actor", actor, now=IN_THE_WINDOW)
        if actor == STRANGER:
            refused_in_one_line(result, "nobody in the directory is called '路人甲'")
        else:
            refused_in_one_line(result, f"{actor} may not {action}: only the workgroup of the certificate's society")
        assert shown(call, number) == before, args
    assert call("register", "lookup", "--number", number, "--json", now=IN_THE_WINDOW).stdout == register


def test_the_holder_applies_for_renewal_and_nobody_else_can(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    before = shown(call, number)
    for actor in (MEMBER, WORKGROUP, ADMINISTRATOR):
        refused_in_one_line(
            call("certificate", "apply-renewal", number, "--actor", actor, now=IN_THE_WINDOW),
            f"{actor} may not apply_for_renewal: only the holder of the certificate may",
        )
    assert shown(call, number) == before
    applied = call("certificate", "apply-renewal", number, "--actor", "p1", now=IN_THE_WINDOW)
    assert applied.exit_code == 0, applied.output
    assert shown(call, number)["renewal_requested_on"] == IN_THE_WINDOW


def ledger(call: Call, number: str) -> list[dict[str, object]]:
    return list(json.loads(call("cpd", "list", number, "--json", now="2026-06-01").stdout)["activities"])


def test_a_member_cannot_record_cpd_on_someone_elses_certificate(call: Call, tmp_path: Path) -> None:
    number = issued(call, tmp_path)
    training = ("--kind", "training", "--date", "2026-05-01", "--minutes", "450", "--online", "--title", "继电保护")
    for actor in (MEMBER, OTHER_WORKGROUP):
        refused_in_one_line(
            call("cpd", "record", number, "--actor", actor, *training, now="2026-06-01"),
            f"{actor} may not record_cpd: only the holder of the certificate, or the workgroup or administrator",
        )
        refused_in_one_line(
            call("cpd", "lecturer", number, "--since", "2026-04-01", "--actor", actor, now="2026-06-01"),
            "only staff of society CES record who is a qualified lecturer",
        )
    transcript = tmp_path / "transcript.csv"
    transcript.write_text("date,minutes,title\n2026-04-01,900,工程伦理\n", encoding="utf-8")
    for actor in (HOLDER, MEMBER):
        refused_in_one_line(
            call("cpd", "import", number, "--csv", str(transcript), "--actor", actor, now="2026-06-01"),
            f"{actor} may not import_cpd: only the workgroup or administrator of the society may",
        )
    assert ledger(call, number) == []
    assert call("cpd", "record", number, "--actor", HOLDER, *training, now="2026-06-01").exit_code == 0
    assert (
        call("cpd", "import", number, "--csv", str(transcript), "--actor", ADMINISTRATOR, now="2026-06-01").exit_code
        == 0
    )
    assert [(row["title"], row["recorded_by"]) for row in ledger(call, number)] == [
        ("工程伦理", ADMINISTRATOR),
        ("继电保护", HOLDER),
    ]


def test_the_cpd_policy_is_chosen_by_the_societys_administrator_or_workgroup(call: Call) -> None:
    for actor in (MEMBER, OTHER_WORKGROUP, "秘书处员"):
        refused_in_one_line(
            call("cpd", "policy", "CES", "--set", "ce-2026", "--actor", actor),
            f"{actor} may not choose_cpd_policy: only the workgroup or administrator of the society may",
        )
    assert "CPD policy cpd-2024" in call("cpd", "policy", "CES").stdout
    assert "CPD policy ce-2026" in call("cpd", "policy", "CES", "--set", "ce-2026", "--actor", ADMINISTRATOR).stdout
    assert "CPD policy cpd-en" in call("cpd", "policy", "CES", "--set", "cpd-en", "--actor", WORKGROUP).stdout


def test_the_history_names_the_person_behind_each_change_and_the_sweep_behind_an_expiry(
    call: Call, tmp_path: Path
) -> None:
    number = issued(call, tmp_path)
    assert (
        call("certificate", "suspend", number, "--actor", "p900", "--reason", "待核实", now="2026-04-01").exit_code == 0
    )
    assert (
        call("certificate", "restore", number, "--actor", WORKGROUP, "--reason", "属实", now="2026-04-02").exit_code
        == 0
    )
    assert call("certificate", "sweep", now="2031-03-02").exit_code == 0
    history = shown(call, number, now="2031-03-02")["history"]
    assert [(line["change"], line["actor"]) for line in history] == [  # type: ignore[attr-defined]
        ("issue", WORKGROUP),
        ("suspend", WORKGROUP),
        ("restore", WORKGROUP),
        ("expire", "renewal sweep"),
    ]
