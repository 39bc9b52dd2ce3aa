"""`capeval case extend`, 暂定 on the board and the case page, and `calendar years` warning of a missing year."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..runtimes import new_runtime


def capeval(url: str, *args: str, now: str = "2026-12-18") -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--now", now, *args])


def returned_in_december(url: str) -> int:
    runtime = new_runtime(url, clock=FixedClock(at("2026-12-18")))
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明不清晰")
    runtime.engine.dispose()
    return case_id


def test_the_board_and_the_case_page_mark_a_deadline_in_an_unpublished_year_as_provisional(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    case_id = returned_in_december(url)
    board = capeval(url, "case", "board")
    assert board.exit_code == 0 and "2027-01-04 (暂定)" in board.stdout
    page = capeval(url, "case", "show", str(case_id))
    assert "due 2027-01-04 (暂定) [estimated: weekends + statutory holidays" in page.stdout


def test_the_workgroup_extends_a_window_from_the_cli_and_the_page_shows_the_first_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    case_id = returned_in_december(url)
    extend = ("case", "extend", str(case_id), "--days", "2", "--reason", "疾病（住院）", "--actor")
    refused = capeval(url, *extend, "申请人1")
    assert refused.exit_code == 2 and "workgroup" in refused.stderr
    done = capeval(url, *extend, "王秘书")
    assert done.exit_code == 0, done.output
    assert "resubmission due 2027-01-06 暂定 provisional (was 2027-01-04, first notified 2027-01-04)" in done.stdout
    assert "extended from 2027-01-04" in capeval(url, "case", "show", str(case_id)).stdout
    zero = capeval(url, "case", "extend", str(case_id), "--days", "0", "--reason", "疾病", "--actor", "王秘书")
    assert zero.exit_code == 2 and "--days" in zero.stderr and len(zero.stderr.strip().splitlines()) == 1


def test_calendar_years_warns_from_the_first_of_november_until_next_year_is_imported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert capeval(url, "db", "init", "--simulation").exit_code == 0
    quiet = capeval(url, "calendar", "years", now="2026-10-31")
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr
    warned = capeval(url, "calendar", "years", now="2026-11-01")
    assert warned.exit_code == 0 and "no schedule is loaded for 2027" in warned.stderr and "2027年" in warned.stderr
    counted = capeval(url, "calendar", "add-working-days", "2026-12-18", "10")
    assert counted.stdout == "2027-01-04\n" and "暂定 provisional: estimated" in counted.stderr
    schedule = tmp_path / "2027.toml"
    schedule.write_text(
        'year = 2027\nsource = "通知"\n[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\nto = 2027-01-01\n'
    )
    assert capeval(url, "calendar", "import", str(schedule)).exit_code == 0
    assert "warning" not in capeval(url, "calendar", "years", now="2026-11-01").stderr
    confirmed = capeval(url, "calendar", "add-working-days", "2026-12-18", "10")
    assert confirmed.stdout == "2027-01-04\n" and confirmed.stderr == ""
