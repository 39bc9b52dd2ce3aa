"""The review and interview commands as scripts use them, the review-sweep flow, and the demo's review scene."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli

from ..factories import id_number, society_document, statement
from ..review_factories import examiner_entry
from .journeys import committee_resolution

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")  # shared, loaded CI machines


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "capeval.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("level", "scores", "first_word"),
    [
        ("professional", "knowledge=21,ethics=12,teamwork=9,learning=9,leadership=9", "pass"),
        ("professional", "knowledge=20,ethics=12,teamwork=10,learning=9,leadership=9", "fail"),
        ("senior", "knowledge=18,ethics=12,teamwork=10,learning=10,leadership=10", "pass"),
        ("senior", "knowledge=30,ethics=11,teamwork=10,learning=5,leadership=4", "fail"),
        ("apprentice", "knowledge=10,ethics=2,teamwork=15,learning=15,leadership=18", "pass"),
        ("apprentice", "knowledge=10,ethics=2,teamwork=15,learning=15,leadership=17", "fail"),
    ],
)
def test_rules_interview_prints_pass_or_fail_first_then_the_reasons(level: str, scores: str, first_word: str) -> None:
    result = run("rules", "interview", "--level", level, "--scores", scores)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == first_word
    if first_word == "fail":
        assert "below" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--level", "master", "--scores", "knowledge=1"), "--level 'master' is not a level"),
        (
            ("--level", "senior", "--scores", "knowledge=20,ethics=12,teamwork=10,learning=10"),
            "'leadership' is missing",
        ),
        (("--level", "senior", "--scores", "knowledge=-2,ethics=12,teamwork=10,learning=10,leadership=1"), "0 to 30"),
        (("--level", "senior", "--scores", "knowledge=20,ethics=21,teamwork=10,learning=10,leadership=1"), "0 to 20"),
    ],
)
def test_rules_interview_bad_input_is_one_line_and_non_zero(args: tuple[str, ...], message: str) -> None:
    result = run("rules", "interview", *args)
    assert result.returncode != 0 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_an_examiner_works_a_task_from_inbox_to_record_through_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, "--now", "2026-03-02", *args], catch_exceptions=False)

    call("db", "init", "--simulation")
    document = society_document([1])
    document["examiner"] = [examiner_entry(n) for n in (1, 2, 3)]
    (tmp_path / "society.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert call("society", "load", str(tmp_path / "society.json")).exit_code == 0
    application = {
        "applicant": {"name": "申请人1", "id_number": id_number(1), "email": "p1@example.cn"},
        "society": "CES",
        "field": "electrical",
        "level": "professional",
        "commitment_signed": True,
        "self_statement": statement(2500),
        "evidence": [{"kind": k, "reference": f"{k}.pdf"} for k in ("id_card_front", "id_card_back", "education")],
    }
    (tmp_path / "application.json").write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    case_id = json.loads(call("case", "create", str(tmp_path / "application.json"), "--submit", "--json").stdout)[
        "case_id"
    ]
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", "王秘书").exit_code == 0

    tasks = json.loads(call("review", "assign", str(case_id), "--actor", "王秘书", "--json").stdout)
    assert len(tasks) == 2 and {t["state"] for t in tasks} == {"invited"}
    examiner = tasks[0]["examiner_id"]
    inbox = json.loads(call("review", "inbox", "--actor", tasks[0]["examiner_name"], "--json").stdout)
    assert [t["task_id"] for t in inbox] == [tasks[0]["task_id"]]
    looked = json.loads(call("review", "inbox", "--actor", "王秘书", "--examiner", str(examiner), "--json").stdout)
    assert looked == inbox

    refused = runner.invoke(
        cli,
        [
            "--db",
            database,
            "review",
            "decline",
            str(tasks[1]["task_id"]),
            "--actor",
            tasks[1]["examiner_name"],
            "--reason",
            " ",
        ],
    )
    assert refused.exit_code == 2 and "reason is required" in refused.output
    declined = json.loads(
        call(
            "review",
            "decline",
            str(tasks[1]["task_id"]),
            "--actor",
            tasks[1]["examiner_name"],
            "--reason",
            "回避",
            "--json",
        ).stdout
    )
    assert [t["state"] for t in declined] == ["declined", "invited"]

    areas = "\n".join(
        f'[areas.{area}]\nachieved = true\njustification = "项目材料充分"\n'
        for area in ("knowledge", "ethics", "teamwork", "learning", "leadership")
    )
    good = tmp_path / "record.toml"
    good.write_text(f'recommendation = "pass"\n{areas}', encoding="utf-8")
    empty = tmp_path / "empty.toml"
    empty.write_text(good.read_text(encoding="utf-8").replace("项目材料充分", "", 1), encoding="utf-8")
    for task in (tasks[0], declined[1]):
        assert call("review", "accept", str(task["task_id"]), "--actor", task["examiner_name"]).exit_code == 0
    bad = runner.invoke(
        cli,
        [
            "--db",
            database,
            "review",
            "submit",
            str(tasks[0]["task_id"]),
            str(empty),
            "--actor",
            tasks[0]["examiner_name"],
        ],
    )
    assert bad.exit_code == 2 and "areas.knowledge.justification is empty" in bad.output
    first_examiner, second_examiner = tasks[0]["examiner_name"], declined[1]["examiner_name"]
    assert "task" in call("review", "submit", str(tasks[0]["task_id"]), str(good), "--actor", first_examiner).stdout
    last = call("review", "submit", str(declined[1]["task_id"]), str(good), "--actor", second_examiner)
    assert "material_review -> committee_review" in last.stdout
    resolution = committee_resolution(call, case_id)
    approved = call("review", "committee", str(case_id), "approve", "--resolution", resolution, "--actor", "审议委员1")
    assert "committee_review -> approved" in approved.stdout


def test_the_review_scene_drives_real_tasks_interviews_and_the_committee(tmp_path: Path) -> None:
    from capeval.demo.scenes.main_job import Demo
    from capeval.demo.scenes.review import run_scene
    from capeval.flows.prefect_setup import fast_flow_runs
    from capeval.states.clock import SHANGHAI, FixedClock

    from ..runtimes import new_runtime

    url = f"sqlite:///{tmp_path / 'scene.db'}"
    clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI))
    runtime = new_runtime(url, clock=clock)
    lines: list[str] = []
    demo = Demo(runtime, clock, url, lines.append)
    with fast_flow_runs():
        demo.seed()
        demo.applications()
        demo.initial_review()
        run_scene(demo)
    runtime.engine.dispose()
    text = "\n".join(lines)
    assert "naming 吴启明 is refused" in text and "employer (current employer" in text
    assert "supervisor (硕士研究生导师)" in text
    assert "round 2 goes to the same examiners" in text
    assert "ethics and professional conduct 10 is below 12" in text and "-> rejected" in text
    assert text.count("registered, certificate") == 4
    assert "1 reviews overdue" in text
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_review_sweep_flow_expires_and_replaces_each_unanswered_invitation_once(tmp_path: Path) -> None:
    from capeval.flows.prefect_setup import fast_flow_runs
    from capeval.flows.review_sweep import review_sweep
    from capeval.services import review
    from capeval.states.clock import FixedClock

    from ..factories import at
    from ..review_factories import case_in_review, load_review_society
    from ..runtimes import new_runtime

    url = f"sqlite:///{tmp_path / 'flow.db'}"
    runtime = new_runtime(url, clock=FixedClock(at("2026-03-02")))
    load_review_society(runtime, members=[1, 2], examiners=6)
    cases = [case_in_review(runtime, serial) for serial in (1, 2)]
    invited = [task.task_id for case_id in cases for task in review.assign(runtime, case_id, "王秘书")]
    with fast_flow_runs():
        on_respond_by = review_sweep(url, as_of="2026-03-05T23:00", batch_size=1)
        after = review_sweep(url, as_of="2026-03-06", batch_size=1)
        again = review_sweep(url, as_of="2026-03-06", batch_size=1)
    assert on_respond_by["expired"] == []
    assert sorted(after["expired"]) == sorted(invited) and after["batches"] >= 4
    assert again["expired"] == []
    states = [t.state for case_id in cases for t in review.tasks_of_case(runtime, case_id, "王秘书")]
    assert states.count("expired") == 4 and states.count("invited") == 4
    runtime.engine.dispose()


def test_an_interview_is_scheduled_scored_and_decided_through_the_cli(tmp_path: Path) -> None:
    from capeval.services import review
    from capeval.states.clock import FixedClock
    from capeval.states.review import TaskAction

    from ..factories import at
    from ..review_factories import case_in_review, examiner_number, load_review_society, record
    from ..runtimes import new_runtime

    database = f"sqlite:///{tmp_path / 'interview.db'}"
    runtime = new_runtime(database, clock=FixedClock(at("2026-03-02")))
    load_review_society(runtime, members=[1], examiners=4)
    case_id = case_in_review(runtime, 1)
    for task in review.assign(runtime, case_id, "王秘书"):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        review.submit_record(
            runtime, task.task_id, record("further_assessment", focus_areas=["伦理"]), task.examiner_name
        )
    runner = CliRunner()

    def call(now: str, *args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, "--now", now, *args])

    early = call(
        "2026-03-02",
        "interview",
        "schedule",
        str(case_id),
        "--at",
        "2026-03-05T09:00",
        "--place",
        "会议室",
        "--actor",
        "王秘书",
    )
    assert early.exit_code == 2 and "working days' notice" in early.output
    scheduled = call(
        "2026-03-02",
        "interview",
        "schedule",
        str(case_id),
        "--at",
        "2026-03-10T09:00",
        "--video-link",
        "https://meeting.example.cn/123",
        "--actor",
        "王秘书",
        "--json",
    )
    view = json.loads(scheduled.stdout)
    assert len(view["panel"]) == 3
    panelists = [f"考官{examiner_number(runtime, examiner)}" for examiner in view["panel"]]
    panelist = panelists[0]
    runtime.engine.dispose()
    scores = "knowledge=20,ethics=12,teamwork=10,learning=10,leadership=10"
    for name in panelists:
        sheet = call(
            "2026-03-10T11:00", "interview", "score", str(view["interview_id"]), "--actor", name, "--scores", scores
        )
        assert sheet.exit_code == 0, sheet.output
    short = call(
        "2026-03-10T11:00",
        "interview",
        "decide",
        str(view["interview_id"]),
        "--scores",
        scores,
        "--presentation",
        "10",
        "--questions",
        "25",
        "--deliberation",
        "10",
        "--project",
        "变电站扩建工程",
        "--project",
        "配电网改造项目",
        "--actor",
        panelist,
    )
    assert short.exit_code == 2 and "state the reason with --short-reason" in short.output
    decided = call(
        "2026-03-10T11:00",
        "interview",
        "decide",
        str(view["interview_id"]),
        "--scores",
        scores,
        "--presentation",
        "10",
        "--questions",
        "25",
        "--deliberation",
        "10",
        "--short-reason",
        "网络中断",
        "--project",
        "变电站扩建工程",
        "--project",
        "配电网改造项目",
        "--actor",
        panelist,
    )
    assert decided.exit_code == 0, decided.output
    assert (
        decided.stdout.split()[0] == "fail" and "engineering knowledge and professional competence 20" in decided.stdout
    )
    assert "further_assessment -> rejected" in decided.stdout
