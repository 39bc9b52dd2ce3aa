"""A case taken through the CLI by the people whose roles the steps are, as the society would do it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from capeval.states.review_policy import AREAS

Call = Callable[..., Any]
WORKGROUP, COMMITTEE_MEMBER, SECRETARIAT = "王秘书", "审议委员1", "秘书处员"
COMMITTEE = ("审议委员1", "审议委员2", "审议委员3")
"""The review committee every test directory seats."""
MOTIONS = {
    "approve": "approve the registration of case {case_id}",
    "refer_back": "refer back case {case_id} for another review",
    "reject": "reject the registration of case {case_id}",
}


def write_record(folder: Path, recommendation: str = "pass") -> Path:
    """A complete review record file recommending `recommendation`."""
    areas = {area: {"achieved": True, "justification": f"{area}: 材料中有项目证明"} for area in AREAS}
    extra = {
        "further_assessment": {"focus_areas": ["工程伦理与职业道德"]},
        "supplement": {"supplement_items": ["项目竣工验收报告"]},
    }.get(recommendation, {})
    path = folder / f"record-{recommendation}.json"
    path.write_text(json.dumps({"areas": areas, "recommendation": recommendation, **extra}), encoding="utf-8")
    return path


def review_round(call: Call, case_id: int, folder: Path, recommendation: str = "pass") -> None:
    """The workgroup assigns examiners; each accepts and submits a record; the last one moves the case."""
    tasks = json.loads(call("review", "assign", str(case_id), "--actor", WORKGROUP, "--json").stdout)
    record = write_record(folder, recommendation)
    for task in tasks:
        assert call("review", "accept", str(task["task_id"]), "--actor", task["examiner_name"]).exit_code == 0
        submitted = call("review", "submit", str(task["task_id"]), str(record), "--actor", task["examiner_name"])
        assert submitted.exit_code == 0, submitted.output


def committee_resolution(call: Call, case_id: int, decision: str = "approve", against: int = 0) -> str:
    """The review committee meets on the case (every member for, but `against` of them); the reference."""
    votes = [f"{member}={'against' if n < against else 'for'}" for n, member in enumerate(COMMITTEE)]
    recorded = call(
        "resolution",
        "record",
        "--body",
        "review_committee",
        "--motion",
        MOTIONS[decision].format(case_id=case_id),
        *(arg for vote in votes for arg in ("--vote", vote)),
        "--case",
        str(case_id),
        "--actor",
        SECRETARIAT,
        "--json",
    )
    assert recorded.exit_code == 0, recorded.output
    return str(json.loads(recorded.stdout)["reference"])


def registered(call: Call, case_id: int, folder: Path) -> str:
    """Accept, review, approve (citing the committee's resolution) and register a submitted case; the number."""
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    return registered_after_acceptance(call, case_id, folder)


def approved(call: Call, case_id: int, folder: Path) -> None:
    """Accept a submitted case, review it and have the review committee approve it."""
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    approve_after_acceptance(call, case_id, folder)


def approve_after_acceptance(call: Call, case_id: int, folder: Path) -> None:
    """Review a case in material review and have the review committee approve it."""
    review_round(call, case_id, folder)
    resolution = committee_resolution(call, case_id)
    decided = call(
        "review", "committee", str(case_id), "approve", "--resolution", resolution, "--actor", COMMITTEE_MEMBER
    )
    assert decided.exit_code == 0, decided.output


def registered_after_acceptance(call: Call, case_id: int, folder: Path) -> str:
    """Review, approve (citing the committee's resolution) and register a case in material review; the number."""
    approve_after_acceptance(call, case_id, folder)
    result = call("case", "act", str(case_id), "register", "--actor", WORKGROUP)
    assert result.exit_code == 0, result.output
    return str(result.stdout.split("certificate ")[1].rstrip(")\n"))
