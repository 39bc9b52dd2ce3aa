"""Decisions backed by their evidence, and who may act in material review, interviews and the committee,
tried through the CLI as the issue's findings were: every refusal is one line, exit code 2, nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from ..factories import id_number, society_document, statement
from ..review_factories import examiner_entry
from .journeys import COMMITTEE_MEMBER, SECRETARIAT, WORKGROUP, committee_resolution, review_round, write_record

Call = Callable[..., Result]
APPLICANT = "申请人1"


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    """A database with one society (five examiners, 考官1..5), the federation's committees, and a clock."""
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'evidence.db'}"
    clock = {"now": "2026-03-02"}

    def call(*args: str) -> Result:
        return runner.invoke(cli, ["--db", database, "--now", clock["now"], *args])

    assert call("db", "init", "--simulation").exit_code == 0
    document = society_document([1, 2])
    document["examiner"] = [examiner_entry(n) for n in range(1, 6)]
    (tmp_path / "society.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    loaded = call("society", "load", str(tmp_path / "society.json"))
    assert loaded.exit_code == 0, loaded.output
    return {"call": call, "clock": clock, "folder": tmp_path}


def submitted(world: dict[str, Any], serial: int = 1, **extra: Any) -> int:
    """A compliant case of 申请人<serial>, created and submitted by the applicant; its id."""
    application = {
        "applicant": {"name": f"申请人{serial}", "id_number": id_number(serial), "email": f"p{serial}@example.cn"},
        "society": "CES",
        "field": "electrical",
        "level": "professional",
        "commitment_signed": True,
        "self_statement": statement(2500),
        "evidence": [{"kind": k, "reference": f"{k}.pdf"} for k in ("id_card_front", "id_card_back", "education")],
        **extra,
    }
    path = world["folder"] / f"application-{serial}.json"
    path.write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    created = world["call"]("case", "create", str(path), "--submit", "--json")
    assert created.exit_code == 0, created.output
    return int(json.loads(created.stdout)["case_id"])


def show(call: Call, case_id: int) -> dict[str, Any]:
    return dict(json.loads(call("case", "show", str(case_id), "--json").stdout))


def tasks(call: Call, case_id: int) -> list[dict[str, Any]]:
    return list(json.loads(call("review", "tasks", str(case_id), "--actor", WORKGROUP, "--json").stdout))


def refused(result: Result, *words: str) -> None:
    """One line on stderr naming `words`, exit code 2, nothing on stdout."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""
    for word in words:
        assert word in lines[0], lines[0]


# --- finding: accept_for_review, pass_material_review, approve, register by anyone issued a certificate ----


def test_material_review_passes_only_by_a_complete_review_round(world: dict[str, Any]) -> None:
    call = world["call"]
    case_id = submitted(world)
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    before = show(call, case_id)
    refused(call("case", "act", str(case_id), "pass_material_review", "--actor", "路人甲"), "路人甲")
    refused(call("case", "act", str(case_id), "pass_material_review", "--actor", APPLICANT), "only")
    refused(
        call("case", "act", str(case_id), "pass_material_review", "--actor", WORKGROUP),
        "an examiner assigned to this case",
    )
    assert show(call, case_id) == before
    assigned = json.loads(call("review", "assign", str(case_id), "--actor", WORKGROUP, "--json").stdout)
    examiner = assigned[0]["examiner_name"]
    before = show(call, case_id)
    for action in ("pass_material_review", "fail_material_review", "refer_to_further_assessment"):
        result = call("case", "act", str(case_id), action, "--actor", examiner, "--reason", "材料充分")
        refused(result, "only by a complete review round", "capeval review submit")
    assert show(call, case_id) == before

    record = write_record(world["folder"])
    for task in assigned:
        assert call("review", "accept", str(task["task_id"]), "--actor", task["examiner_name"]).exit_code == 0
    first = call("review", "submit", str(assigned[0]["task_id"]), str(record), "--actor", assigned[0]["examiner_name"])
    assert first.exit_code == 0 and "round complete" not in first.stdout
    refused(call("case", "act", str(case_id), "pass_material_review", "--actor", examiner), "only by a complete")
    last = call("review", "submit", str(assigned[1]["task_id"]), str(record), "--actor", assigned[1]["examiner_name"])
    assert "material_review -> committee_review (round complete)" in last.stdout
    moved = show(call, case_id)["history"][-1]
    assert (moved["action"], moved["basis"], moved["actor"]) == (
        "pass_material_review",
        "review round 1",
        assigned[1]["examiner_name"],
    )


def test_the_committee_approves_only_citing_a_valid_resolution_of_the_review_committee_naming_the_case(
    world: dict[str, Any],
) -> None:
    call, clock = world["call"], world["clock"]
    case_id, other = submitted(world, 1), submitted(world, 2)
    for case in (case_id, other):
        assert call("case", "act", str(case), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    early = committee_resolution(call, case_id)
    clock["now"] = "2026-03-03"
    review_round(call, case_id, world["folder"])
    before = show(call, case_id)

    refused(
        call("case", "act", str(case_id), "approve", "--actor", COMMITTEE_MEMBER),
        "only by a valid resolution of the review committee that names this case",
        "capeval review committee CASE DECISION --resolution REF",
    )
    refused(call("case", "act", str(case_id), "approve", "--actor", WORKGROUP), "a member of the review committee")

    def approve(reference: str, actor: str = COMMITTEE_MEMBER) -> Result:
        return call("review", "committee", str(case_id), "approve", "--resolution", reference, "--actor", actor)

    refused(approve("RES-2099-0042"), "no resolution with reference 'RES-2099-0042'")
    refused(approve(early), f"resolution {early} (held on 2026-03-02) was taken before the case reached committee")
    about_other = committee_resolution(call, other)
    refused(approve(about_other), f"resolution {about_other} does not name this case")
    rejecting = committee_resolution(call, case_id, "reject")
    refused(approve(rejecting), f"resolution {rejecting} decides reject, not approve")
    invalid = committee_resolution(call, case_id, against=1)
    refused(approve(invalid), f"resolution {invalid} is not valid", "3 must agree: 2 did")
    impartiality = json.loads(
        call(
            "resolution",
            "record",
            "--body",
            "impartiality_committee",
            "--motion",
            f"approve case {case_id}",
            *(arg for n in (1, 2, 3) for arg in ("--vote", f"公正委员{n}=for")),
            "--case",
            str(case_id),
            "--actor",
            SECRETARIAT,
            "--json",
        ).stdout
    )["reference"]
    refused(approve(impartiality), f"resolution {impartiality} is of the impartiality_committee")
    silent = json.loads(
        call(
            "resolution",
            "record",
            "--body",
            "review_committee",
            "--motion",
            "第三次会议",
            *(arg for n in (1, 2, 3) for arg in ("--vote", f"审议委员{n}=for")),
            "--case",
            str(case_id),
            "--actor",
            SECRETARIAT,
            "--json",
        ).stdout
    )["reference"]
    refused(approve(silent), "does not say whether it approves, refers back or rejects")
    valid = committee_resolution(call, case_id)
    refused(approve(valid, WORKGROUP), "only a member of the review committee may")
    refused(approve(valid, APPLICANT), "only")
    assert show(call, case_id) == before

    approved = approve(valid)
    assert approved.exit_code == 0, approved.output
    assert f"committee_review -> approved (resolution {valid})" in approved.stdout
    assert show(call, case_id)["history"][-1]["basis"] == f"resolution {valid}"
    registered = call("case", "act", str(case_id), "register", "--actor", WORKGROUP)
    assert registered.exit_code == 0 and "certificate CE-CES-ELEC-2026-" in registered.stdout


def test_the_committee_refers_back_and_rejects_by_the_resolution_that_says_so(world: dict[str, Any]) -> None:
    call, clock = world["call"], world["clock"]
    case_id = submitted(world)
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    review_round(call, case_id, world["folder"])
    approving = committee_resolution(call, case_id)
    refer = committee_resolution(call, case_id, "refer_back")
    wrong = call(
        "review",
        "committee",
        str(case_id),
        "refer_back",
        "--resolution",
        approving,
        "--reason",
        "核实",
        "--actor",
        COMMITTEE_MEMBER,
    )
    refused(wrong, f"resolution {approving} decides approve, not refer_back")
    back = call(
        "review",
        "committee",
        str(case_id),
        "refer_back",
        "--resolution",
        refer,
        "--reason",
        "请核实获奖证明",
        "--actor",
        COMMITTEE_MEMBER,
    )
    assert "committee_review -> material_review" in back.stdout, back.output
    again = [task for task in tasks(call, case_id) if task["round"] == 2]
    assert len(again) == 2
    clock["now"] = "2026-03-04"
    record = write_record(world["folder"])
    for task in again:
        call("review", "accept", str(task["task_id"]), "--actor", task["examiner_name"])
        call("review", "submit", str(task["task_id"]), str(record), "--actor", task["examiner_name"])
    assert show(call, case_id)["stage"] == "committee_review"
    refused(
        call("review", "committee", str(case_id), "approve", "--resolution", approving, "--actor", COMMITTEE_MEMBER),
        f"resolution {approving} (held on 2026-03-02) was taken before the case reached committee review on 2026-03-04",
    )
    reject = committee_resolution(call, case_id, "reject")
    rejected = call(
        "review",
        "committee",
        str(case_id),
        "reject",
        "--resolution",
        reject,
        "--reason",
        "获奖证明不实",
        "--actor",
        COMMITTEE_MEMBER,
    )
    assert "committee_review -> rejected" in rejected.stdout, rejected.output


# --- finding: pass_assessment with no interview (Q16-Q17 bypassed) --------------------------------------


def test_the_further_assessment_passes_only_from_the_decided_interview_of_the_case(world: dict[str, Any]) -> None:
    call, clock = world["call"], world["clock"]
    case_id = submitted(world)
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    review_round(call, case_id, world["folder"], "further_assessment")
    assert show(call, case_id)["stage"] == "further_assessment"
    reviewer = tasks(call, case_id)[0]["examiner_name"]
    refused(call("case", "act", str(case_id), "pass_assessment", "--actor", "路人甲"), "路人甲")
    refused(call("case", "act", str(case_id), "pass_assessment", "--actor", reviewer), "this case's interview panel")
    refused(
        call(
            "interview", "schedule", str(case_id), "--at", "2026-03-10T09:00", "--place", "会议室", "--actor", reviewer
        ),
        "only the workgroup of the case's society may",
    )
    scheduled = call(
        "interview",
        "schedule",
        str(case_id),
        "--at",
        "2026-03-10T09:00",
        "--place",
        "会议室",
        "--actor",
        WORKGROUP,
        "--json",
    )
    assert scheduled.exit_code == 0, scheduled.output
    view = json.loads(scheduled.stdout)
    examiners = {
        row["examiner_id"]: row["name"]
        for row in json.loads(call("review", "examiners", "--society", "CES", "--json").stdout)
    }
    panel = [examiners[examiner] for examiner in view["panel"]]
    outsider = next(name for name in examiners.values() if name not in panel)
    refused(
        call("case", "act", str(case_id), "pass_assessment", "--actor", panel[0]),
        "only with the decided interview or written exam of this case",
        "capeval interview decide INTERVIEW",
    )
    before = show(call, case_id)

    clock["now"] = "2026-03-10T11:00"
    scores = "knowledge=25,ethics=15,teamwork=10,learning=10,leadership=10"
    interview = str(view["interview_id"])
    refused(
        call("interview", "score", interview, "--actor", WORKGROUP, "--scores", scores), "does not sit on the panel"
    )
    refused(call("interview", "score", interview, "--actor", outsider, "--scores", scores), outsider)
    refused(
        call(
            "interview",
            "score",
            interview,
            "--actor",
            panel[0],
            "--examiner",
            str(view["panel"][1]),
            "--scores",
            scores,
        ),
        f"not as examiner {view['panel'][1]}",
    )
    for name in panel:
        sheet = call("interview", "score", interview, "--actor", name, "--scores", scores)
        assert sheet.exit_code == 0 and f"{name} scored, total 70" in sheet.stdout, sheet.output
    decide = ("interview", "decide", interview, "--scores", scores, "--presentation", "10", "--questions", "31")
    decide += ("--project", "变电站扩建工程", "--project", "配电网改造项目")
    refused(call(*decide, "--deliberation", "10", "--actor", outsider), "does not sit on the panel")
    assert {k: v for k, v in show(call, case_id).items() if k != "actions"} == {
        k: v for k, v in before.items() if k != "actions"
    }
    decided = call(*decide, "--deliberation", "10", "--actor", panel[1])
    assert decided.exit_code == 0 and "further_assessment -> committee_review" in decided.stdout, decided.output
    moved = show(call, case_id)["history"][-1]
    assert (moved["action"], moved["basis"], moved["actor"]) == ("pass_assessment", f"interview {interview}", panel[1])


# --- finding: examiners act on any task, submit without --examiner, see anyone's inbox ------------------


def test_examiners_act_on_their_own_tasks_and_see_their_own_inbox_only(world: dict[str, Any]) -> None:
    call = world["call"]
    case_id = submitted(world)
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    refused(call("review", "assign", str(case_id), "--actor", "考官1"), "only the workgroup of the case's society")
    refused(call("review", "assign", str(case_id), "--actor", APPLICANT), "only the workgroup")
    first, second = json.loads(call("review", "assign", str(case_id), "--actor", WORKGROUP, "--json").stdout)
    mine, theirs = first["examiner_name"], second["examiner_name"]
    outsider = next(f"考官{n}" for n in range(1, 6) if f"考官{n}" not in (mine, theirs))
    record = write_record(world["folder"])
    before = tasks(call, case_id)

    refused(
        call("review", "submit", str(second["task_id"]), str(record), "--actor", APPLICANT), "the examiner the task"
    )
    refused(call("review", "accept", str(second["task_id"]), "--actor", mine), f"{mine} may not accept")
    refused(call("review", "accept", str(second["task_id"]), "--actor", WORKGROUP), "the examiner the task belongs to")
    refused(
        call("review", "decline", str(second["task_id"]), "--actor", outsider, "--reason", "忙"),
        "the examiner the task belongs to",
    )
    refused(
        call("review", "accept", str(second["task_id"]), "--actor", theirs, "--examiner", str(first["examiner_id"])),
        f"belongs to examiner {second['examiner_id']}",
    )
    refused(
        call("review", "cancel", str(second["task_id"]), "--actor", theirs, "--reason", "不想评"),
        "only the workgroup of the case's society may",
    )
    assert call("review", "accept", str(first["task_id"]), "--actor", mine).exit_code == 0
    refused(call("review", "submit", str(first["task_id"]), str(record), "--actor", theirs), f"{theirs} may not submit")
    refused(
        call("review", "reassign", str(first["task_id"]), "--actor", mine, "--reason", "换人"),
        "only the workgroup of the case's society may",
    )
    refused(
        call("review", "decline", str(second["task_id"]), "--actor", theirs, "--reason", "出差", "--replacement", "3"),
        "only the workgroup of the case's society may",
    )

    inbox = json.loads(call("review", "inbox", "--actor", mine, "--json").stdout)
    assert [task["task_id"] for task in inbox] == [first["task_id"]]
    refused(call("review", "inbox", "--actor", mine, "--examiner", str(second["examiner_id"])), "may not see")
    refused(call("review", "inbox", "--actor", APPLICANT, "--examiner", str(second["examiner_id"])), "may not see")
    refused(call("review", "inbox", "--actor", APPLICANT), "is not an examiner")
    refused(call("review", "inbox", "--actor", "路人甲"), "路人甲")
    refused(call("review", "tasks", str(case_id), "--actor", APPLICANT), "may not see the review of case")
    refused(call("review", "tasks", str(case_id), "--actor", outsider), "may not see the review of case")
    refused(call("review", "tasks", str(case_id), "--actor", COMMITTEE_MEMBER), "may not see the review of case")
    own_view = json.loads(call("review", "tasks", str(case_id), "--actor", theirs, "--json").stdout)
    assert [task["task_id"] for task in own_view] == [task["task_id"] for task in before]
    assert [task["state"] for task in tasks(call, case_id)] == ["accepted", "invited"]

    submitted_record = call("review", "submit", str(first["task_id"]), str(record), "--actor", mine)
    assert submitted_record.exit_code == 0, submitted_record.output
    assert call("review", "accept", str(second["task_id"]), "--actor", theirs).exit_code == 0
    last = call("review", "submit", str(second["task_id"]), str(record), "--actor", theirs)
    assert "material_review -> committee_review" in last.stdout


# --- the secretariat alone confirms an international title (Q&A Q29) ----------------------------------


def test_only_the_secretariat_confirms_an_international_title(world: dict[str, Any]) -> None:
    call = world["call"]
    evidence = [
        {"kind": k, "reference": f"{k}.pdf"} for k in ("id_card_front", "id_card_back", "education", "title_proof")
    ]
    case_id = submitted(
        world,
        1,
        route="international",
        international_title="APEC Engineer",
        international_title_issuer="中国科协",
        evidence=evidence,
    )
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    review_round(call, case_id, world["folder"])
    resolution = committee_resolution(call, case_id)
    approved = call(
        "review", "committee", str(case_id), "approve", "--resolution", resolution, "--actor", COMMITTEE_MEMBER
    )
    assert "committee_review -> secretariat_confirmation" in approved.stdout, approved.output
    before = show(call, case_id)
    for actor in (COMMITTEE_MEMBER, WORKGROUP, APPLICANT, "考官1"):
        refused(call("case", "act", str(case_id), "confirm_title", "--actor", actor), "only the secretariat may")
    assert show(call, case_id) == before
    confirmed = call("case", "act", str(case_id), "confirm_title", "--actor", SECRETARIAT)
    assert confirmed.exit_code == 0 and "secretariat_confirmation -> approved" in confirmed.stdout, confirmed.output
