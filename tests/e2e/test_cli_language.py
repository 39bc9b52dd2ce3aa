"""The CLI speaks English by default and Chinese with `--lang zh-CN` or CAPEVAL_LANG, adding its own flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli

from .test_cli import write_application, write_society

COUNTS = ("rules", "resolution", "--members", "5", "--voted", "6", "--in-favour", "1")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "capeval.cli", *args]
    environment = {key: value for key, value in os.environ.items() if key != "CAPEVAL_LANG"} | (env or {})
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)


def test_a_refusal_is_english_by_default_and_names_the_flags() -> None:
    result = run(*COUNTS)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --voted (6) cannot exceed --members (5)"


@pytest.mark.parametrize(
    ("options", "env"),
    [(("--lang", "zh-CN"), {}), ((), {"CAPEVAL_LANG": "zh-CN"})],
    ids=["option", "environment"],
)
def test_the_same_refusal_in_chinese(options: tuple[str, ...], env: dict[str, str]) -> None:
    result = run(*options, *COUNTS, env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: 参加表决人数（6）不能超过应到人数（5）"


def test_a_guard_refusal_hints_at_the_flag_in_either_language(tmp_path: Path) -> None:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, *args], catch_exceptions=False)

    call("db", "init")
    call("society", "load", str(write_society(tmp_path, [1])))
    case = json.loads(call("case", "create", str(write_application(tmp_path, 1)), "--submit", "--json").stdout)
    act = ("case", "act", str(case["case_id"]), "return_for_revision", "--actor", "王秘书")

    english = call(*act)
    chinese = call("--lang", "zh-CN", *act)

    assert english.exit_code == chinese.exit_code == 2
    assert english.stderr.strip() == (
        "error: this action needs a reason that the applicant will read; give one with --reason"
    )
    assert chinese.stderr.strip() == "error: 此操作须填写理由，申请人将看到该理由；请用 --reason 填写理由"
    assert json.loads(call("case", "show", str(case["case_id"]), "--json").stdout)["stage"] == "submitted"
