"""The clock and the key through the CLI: `--now` only on a simulation, ID numbers matched only with the key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.flows.deadline_sweep import deadline_sweep
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.services.bootstrap import bootstrap
from capeval.services.sweeps import lapse_overdue_cases
from capeval.settings import Settings
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.errors import InputError

from ..factories import act, at, load_society, submitted_case
from ..runtimes import TEST_ID_KEY, new_runtime
from .test_cli import write_application, write_society

OTHER_KEY = "another key of at least thirty-two characters"


def capeval(url: str, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env)


def one_line(result: Result) -> str:
    assert result.exit_code == 2 and result.stdout == "", result.output
    [line] = result.stderr.strip().splitlines()
    return line


def returned_long_ago(url: str) -> int:
    """A case on a real (not simulation) database, returned on 2024-03-01: the resubmission was due 2024-03-15."""
    runtime = new_runtime(url, clock=FixedClock(at("2024-02-20")), simulation=False)
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    runtime.clock.set(at("2024-03-01"))  # type: ignore[attr-defined]
    assert act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明不清晰").due_on.isoformat() == "2024-03-15"
    runtime.engine.dispose()
    return case_id


# --- the clock ------------------------------------------------------------------------------------
def test_a_late_resubmission_cannot_be_backdated_on_a_real_database_and_the_history_keeps_the_real_time(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    case_id = returned_long_ago(url)
    before = capeval(url, "case", "show", str(case_id), "--json").stdout
    resubmit = ("case", "act", str(case_id), "resubmit", "--actor", "申请人1")

    backdated = one_line(capeval(url, "--now", "2024-03-05", *resubmit))
    assert "is not a simulation: its clock is the real one" in backdated
    assert "drop --now and CAPEVAL_NOW" in backdated and "'capeval db init --simulation'" in backdated
    assert "is not a simulation" in one_line(capeval(url, *resubmit, env={"CAPEVAL_NOW": "2024-03-05"}))
    assert capeval(url, "case", "show", str(case_id), "--json").stdout == before

    late = one_line(capeval(url, *resubmit))
    assert "the resubmission window closed on 2024-03-15" in late
    assert capeval(url, "case", "show", str(case_id), "--json").stdout == before

    started = datetime.now(UTC)
    runtime = bootstrap(Settings.load(database_url=url))
    assert lapse_overdue_cases(runtime).lapsed == [case_id]
    runtime.engine.dispose()
    history = json.loads(capeval(url, "case", "show", str(case_id), "--json").stdout)["history"]
    assert [h["action"] for h in history] == ["create", "submit", "return_for_revision", "lapse"]
    assert datetime.fromisoformat(history[-1]["at"]) >= started.replace(microsecond=0)


def test_a_simulation_is_marked_at_init_shown_by_status_and_takes_a_set_clock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'simulation.db'}"
    assert "as a simulation" in capeval(url, "--now", "2026-03-02", "db", "init", "--simulation").stdout
    status = json.loads(capeval(url, "db", "status", "--json").stdout)
    assert status["simulation"] is True and status["up_to_date"]
    assert "a simulation (its clock may be set)" in capeval(url, "db", "status").stdout
    assert capeval(url, "--now", "2026-03-02", "society", "load", str(write_society(tmp_path, [1]))).exit_code == 0
    created = capeval(url, "--now", "2026-03-02", "case", "create", str(write_application(tmp_path, 1)), "--json")
    case = json.loads(created.stdout)
    shown = json.loads(capeval(url, "case", "show", str(case["case_id"]), "--json").stdout)
    assert shown["history"][0]["at"].startswith("2026-03-02T09:00")


def test_a_real_database_says_so_and_refuses_a_set_clock_everywhere(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert capeval(url, "db", "init").exit_code == 0
    assert json.loads(capeval(url, "db", "status", "--json").stdout)["simulation"] is False
    assert "its clock is the real one" in capeval(url, "db", "status").stdout
    for command in (("case", "board"), ("db", "upgrade"), ("notify", "sweep")):
        assert "is not a simulation" in one_line(capeval(url, "--now", "2026-03-02", *command))
    with fast_flow_runs(), pytest.raises(InputError, match="is not a simulation"):
        deadline_sweep(url, as_of="2026-10-16")


def test_a_set_clock_needs_init_to_make_a_simulation_and_nothing_is_created_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "new" / "capeval.db"
    line = one_line(capeval(f"sqlite:///{path}", "--now", "2026-03-02", "db", "init"))
    assert "is not being made as a simulation" in line and "add --simulation" in line
    assert not path.parent.exists()


# --- the key of ID-number digests -----------------------------------------------------------------
def test_commands_that_match_people_by_id_number_refuse_to_run_without_a_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keyless.db'}"
    keyless: dict[str, str | None] = {"CAPEVAL_ID_KEY": None}
    assert capeval(url, "db", "init", env=keyless).exit_code == 0
    declarations = tmp_path / "declarations.json"
    declarations.write_text(json.dumps({"employment": [{"id_number": "x", "employer": "y"}]}), encoding="utf-8")
    for command in (
        ("society", "load", str(write_society(tmp_path, [1]))),
        ("case", "create", str(write_application(tmp_path, 1)), "--submit"),
        ("review", "declare", str(declarations)),
    ):
        line = one_line(capeval(url, *command, env=keyless))
        assert "no key for ID-number digests is set" in line and "CAPEVAL_ID_KEY" in line
    assert json.loads(capeval(url, "case", "board", "--json", env=keyless).stdout)["rows"] == []


def test_a_key_other_than_the_one_the_database_was_keyed_with_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keyed.db'}"
    assert capeval(url, "db", "init").exit_code == 0
    society = str(write_society(tmp_path, [1]))
    line = one_line(capeval(url, "society", "load", society, env={"CAPEVAL_ID_KEY": OTHER_KEY}))
    assert "is not the one this database was keyed with" in line
    assert capeval(url, "society", "load", society, env={"CAPEVAL_ID_KEY": TEST_ID_KEY}).exit_code == 0


def test_a_database_made_without_a_key_is_keyed_by_the_first_command_that_uses_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'late.db'}"
    assert capeval(url, "db", "init", env={"CAPEVAL_ID_KEY": None}).exit_code == 0
    society = str(write_society(tmp_path, [1]))
    assert capeval(url, "society", "load", society, env={"CAPEVAL_ID_KEY": OTHER_KEY}).exit_code == 0
    assert "was keyed with" in one_line(capeval(url, "society", "load", society))
