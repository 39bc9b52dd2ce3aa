"""The `capeval` command as scripts and people use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.states.diagram import mermaid

from ..factories import id_number, society_document, statement

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "capeval.cli", *(["--db", f"sqlite:///{db}"] if db else []), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def invoke(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, *args], catch_exceptions=False)

    assert call("db", "init", "--simulation").exit_code == 0
    return call


def test_calendar_contract_prints_plain_answers() -> None:
    assert run("calendar", "add-working-days", "2026-02-06", "10").stdout == "2026-02-27\n"
    assert run("calendar", "add-working-days", "2024-09-27", "3").stdout == "2024-10-08\n"
    assert run("calendar", "is-working-day", "2026-02-14").stdout == "yes\n"
    assert run("calendar", "is-working-day", "2026-10-01").stdout == "no\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-working-days", "2026-02-30", "1"), "is not a date"),
        (("add-working-days", "2026-02-01", "ten"), "whole number"),
        (("add-working-days", "2026-12-20", "15"), "no holiday schedule is loaded for 2027"),
        (("is-working-day", "2031-05-01"), "no holiday schedule is loaded for 2031"),
    ],
)
def test_calendar_errors_are_one_line_and_non_zero(args: tuple[str, ...], message: str) -> None:
    result = run("calendar", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_imported_schedule_is_stored_as_a_new_version_and_used(tmp_path: Path) -> None:
    database = tmp_path / "calendar.db"
    assert run("db", "init", db=database).returncode == 0
    schedule = tmp_path / "2027.toml"
    schedule.write_text(
        'year = 2027\nsource = "国务院办公厅关于2027年部分节假日安排的通知 (test)"\n'
        '[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\nto = 2027-01-03\n',
        encoding="utf-8",
    )
    assert "stored as version 1" in run("calendar", "import", str(schedule), db=database).stdout
    assert "unchanged" in run("calendar", "import", str(schedule), db=database).stdout
    assert run("calendar", "add-working-days", "2026-12-31", "1", db=database).stdout == "2027-01-04\n"
    years = json.loads(run("calendar", "years", "--json", db=database).stdout)
    assert years[-1]["year"] == 2027 and years[-1]["version"] == 1


def write_society(tmp_path: Path, members: list[int]) -> Path:
    path = tmp_path / "society.json"
    path.write_text(json.dumps(society_document(members), ensure_ascii=False), encoding="utf-8")
    return path


def write_application(tmp_path: Path, serial: int, chars: int = 2500, **extra: object) -> Path:
    document = {
        "applicant": {"name": f"申请人{serial}", "id_number": id_number(serial), "email": f"p{serial}@example.cn"},
        "society": "CES",
        "field": "electrical",
        "level": "professional",
        "commitment_signed": True,
        "self_statement": statement(chars),
        "evidence": [{"kind": k, "reference": f"{k}.pdf"} for k in ("id_card_front", "id_card_back", "education")],
        **extra,
    }
    path = tmp_path / f"application-{serial}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_case_is_created_advanced_and_shown_through_the_cli(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("society", "load", str(write_society(tmp_path, [1]))).exit_code == 0
    created = invoke("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json")
    case = json.loads(created.stdout)
    assert case["stage"] == "submitted"

    returned = invoke(
        "--now",
        "2026-02-06",
        "case",
        "act",
        str(case["case_id"]),
        "return_for_revision",
        "--actor",
        "王秘书",
        "--reason",
        "学历证明不清晰",
    )
    assert returned.exit_code == 0 and "due 2026-02-27" in returned.stdout

    board = json.loads(invoke("case", "board", "--json").stdout)["rows"]
    assert board == [{**board[0], "stage": "returned", "waiting_on": "applicant", "due_on": "2026-02-27"}]
    shown = json.loads(invoke("case", "show", str(case["case_id"]), "--json").stdout)
    assert [h["action"] for h in shown["history"]] == ["create", "submit", "return_for_revision"]
    assert shown["applicant"]["id_number"] == id_number(1)[:6] + "*" * 12
    actions = json.loads(invoke("--now", "2026-03-02", "case", "actions", str(case["case_id"]), "--json").stdout)
    assert {a["action"]: a["ready"] for a in actions} == {
        "resubmit": False,
        "lapse": True,
        "withdraw": True,
        "disqualify": True,
    }


def test_an_illegal_action_names_the_allowed_ones_exits_2_and_writes_nothing(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("society", "load", str(write_society(tmp_path, [1])))
    case = json.loads(invoke("case", "create", str(write_application(tmp_path, 1)), "--json").stdout)
    before = invoke("case", "show", str(case["case_id"]), "--json").stdout

    result = invoke("case", "act", str(case["case_id"]), "approve", "--actor", "审议委员1")

    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: action 'approve' is not allowed in stage 'draft'; allowed now: submit, withdraw, disqualify"
    )
    assert invoke("case", "show", str(case["case_id"]), "--json").stdout == before


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("{not json", ".json", "not valid JSON"),
        ("level = [", ".toml", "not valid TOML"),
        ('{"applicant": {"name": "x"}}', ".json", "field 'id_number' is required"),
        ("hello", ".txt", "use a .json or .toml file"),
    ],
)
def test_a_bad_application_file_is_one_line_exit_2(
    invoke, tmp_path: Path, content: str, suffix: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    result = invoke("case", "create", str(path))
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert json.loads(invoke("case", "board", "--json").stdout)["rows"] == []


def test_a_refused_submission_prints_every_reason(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("society", "load", str(write_society(tmp_path, [])))
    result = invoke("case", "create", str(write_application(tmp_path, 1, chars=100)), "--submit")
    assert result.exit_code == 2
    assert "not a registered member" in result.stderr and "add at least 1900" in result.stderr


def test_the_readme_diagram_matches_the_workflow() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    embedded = readme.split("<!-- diagram:start -->")[1].split("<!-- diagram:end -->")[0]
    assert embedded.strip() == f"```mermaid\n{mermaid().strip()}\n```"
