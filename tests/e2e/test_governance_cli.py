"""The governance commands as scripts and people use them, the governance-sweep flow and the demo scene."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from capeval.flows.governance_sweep import governance_sweep
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.services.feedback import file_feedback
from capeval.states.clock import FixedClock
from capeval.states.governance_commands import FileFeedback

from ..factories import at
from ..runtimes import new_runtime
from .test_cli import run, write_society


@pytest.mark.parametrize(
    ("numbers", "first_word", "needed"),
    [
        (("9", "6", "5"), "valid", "so 5 must agree: 5 did"),
        (("9", "6", "4"), "invalid", "so 5 must agree: 4 did — NOT met"),
        (("9", "5", "5"), "invalid", "so 6 must vote (or attend): 5 did — NOT met"),
        (("12", "8", "6"), "valid", "3/4 of 8 voting = 6, so 6 must agree"),
    ],
)
def test_rules_resolution_prints_the_verdict_first_then_the_arithmetic_without_a_database(
    tmp_path: Path, numbers: tuple[str, str, str], first_word: str, needed: str
) -> None:
    members, voted, in_favour = numbers
    unusable = tmp_path / "missing-folder" / "never.db"
    result = run("rules", "resolution", "--members", members, "--voted", voted, "--in-favour", in_favour, db=unusable)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == first_word
    assert needed in result.stdout
    assert not unusable.parent.exists()


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (("5", "6", "1"), "--voted (6) cannot exceed --members (5)"),
        (("5", "3", "4"), "--in-favour (4) cannot exceed --voted (3)"),
        (("5", "-1", "0"), "--voted cannot be negative"),
        (("0", "0", "0"), "--members must be at least 1"),
        (("nine", "6", "5"), "--members must be a whole number"),
    ],
)
def test_rules_resolution_refuses_impossible_numbers_on_one_line(numbers: tuple[str, str, str], message: str) -> None:
    members, voted, in_favour = numbers
    result = run("rules", "resolution", "--members", members, "--voted", voted, "--in-favour", in_favour)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {message}")


def test_rules_resolution_json_carries_the_thresholds() -> None:
    result = run("rules", "resolution", "--members", "7", "--voted", "5", "--in-favour", "4", "--json")
    found = json.loads(result.stdout)
    assert (found["valid"], found["voters_needed"], found["favour_needed"]) == (True, 5, 4)


def test_feedback_is_filed_and_followed_by_reference_from_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    run("db", "init", "--simulation", db=db)
    run("society", "load", str(write_society(tmp_path, [])), db=db)
    now = ["--now", "2026-03-02"]
    filed = run(
        *now,
        "feedback",
        "file",
        "--sender",
        "李四",
        "--email",
        "l@example.cn",
        "--subject",
        "建议",
        "--body",
        "请公开评分细则",
        "--json",
        db=db,
    )
    reference = json.loads(filed.stdout)["reference"]
    run(*now, "feedback", "act", reference, "register", "--actor", "监督委员1", db=db)
    status = json.loads(run(*now, "feedback", "status", reference, "--json", db=db).stdout)
    assert (status["stage"], status["step_due_on"]) == ("registered", "2026-03-09")
    refused = run(*now, "feedback", "act", reference, "answer", "--actor", "监督委员1", "--text", "好", db=db)
    assert refused.returncode == 2 and "not allowed in stage 'registered'" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("authorization", "apply", "NOPE", "hydro", "--actor", "x"), "no society with code 'NOPE'"),
        (("appeal", "show", "AP-2026-0009"), "no appeal with reference 'AP-2026-0009'"),
        (
            ("resolution", "record", "--body", "presidium", "--motion", "m", "--vote", "甲=maybe", "--actor", "x"),
            "'maybe' is not one of",
        ),
        (
            ("feedback", "file", "--sender", "x", "--email", "nowhere", "--subject", "s", "--body", "b"),
            "is not an email address",
        ),
    ],
)
def test_governance_errors_are_one_line_exit_two_and_write_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    run("db", "init", db=tmp_path / "cli.db")
    result = run(*args, db=tmp_path / "cli.db")
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_governance_sweep_flow_reminds_each_overdue_step_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    for serial in range(3):
        file_feedback(runtime, FileFeedback(f"寄件人{serial}", f"s{serial}@example.cn", "person", "主题", "正文"))
    runtime.engine.dispose()
    with fast_flow_runs():
        on_due_day = governance_sweep(url, as_of="2026-01-12T23:00", batch_size=2)
        after = governance_sweep(url, as_of="2026-01-13", batch_size=2)
        again = governance_sweep(url, as_of="2026-01-13", batch_size=2)
    assert on_due_day["examined"] == 0
    assert len(after["reminded"]) == 3 and after["batches"] == 2
    assert again["reminded"] == [] and again["escalated"] == []


def test_the_governance_scene_appeals_answers_and_authorizes(tmp_path: Path) -> None:
    from capeval.demo import run as main_job
    from capeval.demo.scenes.governance import run_scene
    from capeval.demo.scenes.review import run_scene as review_scene
    from capeval.flows.prefect_setup import prepare_environment

    out = tmp_path / "demo"
    out.mkdir()
    prepare_environment(out / "prefect")
    url = f"sqlite:///{out / 'capeval.db'}"
    clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=main_job.SHANGHAI))
    lines: list[str] = []
    demo = main_job.Demo(new_runtime(url, clock=clock), clock, url, lines.append)
    with fast_flow_runs():
        demo.seed()
        demo.applications()
        demo.initial_review()
        demo.material_review()
        demo.assessment_and_committee()
        review_scene(demo)
        run_scene(demo)
    text = "\n".join(lines)
    assert "quorum: 2/3 of 9 members = 6, so 6 must vote (or attend): 6 did — met" in text
    assert "majority: 3/4 of 6 voting = 4.5, so 5 must agree: 5 did — met" in text
    assert "reopened at further_assessment" in text
    assert "may not sit on it" in text
    assert "appointing the panel of their own appeal refused: " in text
    assert "only a member of the impartiality committee may" in text
    assert "appeal window closed" in text
    assert "complaint FB-2026-0001: answered" in text
    assert "AU-2026-0001: authorized" in text
    demo.runtime.engine.dispose()
    shutil.rmtree(out, ignore_errors=True)
