"""`capeval case board`: a page at a time with --limit and --after, the count per stage, bad pages refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..runtimes import TEST_ID_KEY, new_runtime


def capeval(url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env={"CAPEVAL_ID_KEY": TEST_ID_KEY, **(env or {})})


@pytest.fixture
def three_cases(tmp_path: Path) -> tuple[str, list[int]]:
    url = f"sqlite:///{tmp_path / 'board.db'}"
    runtime = new_runtime(url)
    load_society(runtime, members=[1, 2, 3])
    cases = [submitted_case(runtime, serial) for serial in (1, 2, 3)]
    runtime.engine.dispose()
    return url, cases


def test_the_board_pages_with_limit_and_after(three_cases: tuple[str, list[int]]) -> None:
    url, cases = three_cases
    first = capeval(url, "case", "board", "--limit", "2")
    assert first.exit_code == 0
    assert f"more: --after {cases[1]}" in first.stdout and "stages: submitted 3" in first.stdout
    rest = json.loads(capeval(url, "case", "board", "--limit", "2", "--after", str(cases[1]), "--json").stdout)
    assert [row["case_id"] for row in rest["rows"]] == [cases[2]]
    assert rest["next_after"] is None and rest["counts_by_stage"] == {"submitted": 3}


def test_a_page_size_out_of_range_is_refused_in_one_line(three_cases: tuple[str, list[int]]) -> None:
    url, _ = three_cases
    refused = capeval(url, "case", "board", "--limit", "0")
    assert refused.exit_code == 2 and refused.stdout == ""
    [line] = refused.stderr.strip().splitlines()
    assert "--limit" in line and "not 0" in line


def test_the_board_shows_each_case_by_its_reference_next_to_its_id(three_cases: tuple[str, list[int]]) -> None:
    url, cases = three_cases
    shown = capeval(url, "case", "board")
    assert shown.exit_code == 0
    header, *lines = shown.stdout.splitlines()
    assert header.split()[:2] == ["case_id", "reference"]
    references = {int(line.split()[0]): line.split()[1] for line in lines if line.split()[0].isdigit()}
    assert sorted(references) == cases
    assert all(re.fullmatch(r"CES-\d{4}-\d{4}", reference) for reference in references.values())
    assert len(set(references.values())) == 3
    rows = json.loads(capeval(url, "case", "board", "--json").stdout)["rows"]
    assert [row["reference"] for row in rows] == [references[case_id] for case_id in cases]


@pytest.fixture
def returned_cases(tmp_path: Path) -> tuple[str, list[int]]:
    url = f"sqlite:///{tmp_path / 'returned.db'}"
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    load_society(runtime, members=[1, 2, 3])
    cases = [submitted_case(runtime, serial) for serial in (1, 2, 3)]
    for case_id in cases:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明模糊")
    runtime.engine.dispose()
    return url, cases


def test_a_due_count_past_its_cap_reads_more_than_in_either_language(returned_cases: tuple[str, list[int]]) -> None:
    url, cases = returned_cases
    board = ["--now", "2026-01-05", "case", "board", "--due-within", "30"]
    exact = capeval(url, *board, env={"CAPEVAL_BOARD_COUNT_CAP": "3"})
    assert exact.exit_code == 0, exact.output
    assert "stages: returned 3" in exact.stdout and "total:" not in exact.stdout
    capped = capeval(url, *board, env={"CAPEVAL_BOARD_COUNT_CAP": "2"})
    assert "stages: returned at least 3" in capped.stdout and "total: more than 2 cases" in capped.stdout
    assert capped.stdout.splitlines()[:4] == exact.stdout.splitlines()[:4]  # the same rows
    chinese = capeval(url, "--lang", "zh-CN", *board, env={"CAPEVAL_BOARD_COUNT_CAP": "2"})
    assert "stages: returned 至少3" in chinese.stdout and "total: 超过2件" in chinese.stdout
    listed = json.loads(capeval(url, *board, "--json", env={"CAPEVAL_BOARD_COUNT_CAP": "2"}).stdout)
    assert listed["counts_capped"] is True and listed["count_cap"] == 2
    assert [row["case_id"] for row in listed["rows"]] == cases
    overdue = capeval(url, "--now", "2026-01-05", "case", "board", "--overdue", env={"CAPEVAL_BOARD_COUNT_CAP": "1"})
    assert overdue.exit_code == 0 and "stages:" not in overdue.stdout and "total:" not in overdue.stdout
