"""The deadline-sweep flow and the main job, end to end."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from capeval.flows.deadline_sweep import deadline_sweep
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..integration.test_handlers import stage_of


def test_deadline_sweep_flow_lapses_each_overdue_case_once(tmp_path: Path) -> None:
    from ..runtimes import new_runtime

    url = f"sqlite:///{tmp_path / 'flow.db'}"
    clock = FixedClock(at("2026-01-05"))
    runtime: Runtime = new_runtime(url, clock=clock)
    load_society(runtime, members=[1, 2, 3])
    cases = [submitted_case(runtime, serial) for serial in (1, 2, 3)]
    clock.set(at("2026-09-25"))  # due 2026-10-15: National Day off, Saturday 10-10 worked
    for case_id in cases[:2]:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "材料不全")
    clock.set(at("2026-10-09"))
    act(runtime, cases[2], Action.RETURN_FOR_REVISION, "材料不全")

    with fast_flow_runs():
        on_due_day = deadline_sweep(url, as_of="2026-10-15T23:00", batch_size=1)
        after = deadline_sweep(url, as_of="2026-10-16", batch_size=1)
        again = deadline_sweep(url, as_of="2026-10-16", batch_size=1)

    assert on_due_day["lapsed"] == [] and on_due_day["examined"] == 0
    assert sorted(after["lapsed"]) == cases[:2] and after["batches"] == 2
    assert again["examined"] == 0 and again["lapsed"] == []
    assert [stage_of(runtime, case_id) for case_id in cases] == ["lapsed", "lapsed", "returned"]
    runtime.engine.dispose()


def test_the_demo_drives_twenty_applicants_through_the_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "capeval.cli", "demo", "--out", str(out)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("returned -> submitted" in line and line.startswith("2026-02-25") for line in lines)
    assert any("lapsed case" in line and line.startswith("2026-03-02") for line in lines)
    assert any("refused: the self-statement has" in line for line in lines)
    assert any("banned for life" in line for line in lines)
    assert "Case board of DES" in result.stdout
    assert any(line.startswith("histories replayed (21 case,") and line.endswith(": 0 finding(s)") for line in lines)
    with sqlite3.connect(out / "capeval.db") as connection:
        stages = dict(connection.execute("SELECT stage, count(*) FROM application GROUP BY stage").fetchall())
        certificates = dict(connection.execute("SELECT status, count(*) FROM certificate GROUP BY status").fetchall())
        lapse_due = connection.execute("SELECT due_on FROM deadline WHERE status = 'expired'").fetchall()
        emails = len(list((out / "mail").glob("*.eml")))
        unsent = connection.execute("SELECT count(*) FROM outbox_message WHERE status != 'sent'").fetchone()[0]
        marks = dict(connection.execute("SELECT name, value FROM database_mark").fetchall())
        masked = {row[0][6:] for row in connection.execute("SELECT id_number_masked FROM person")}
        people, accounts = connection.execute(
            "SELECT (SELECT count(*) FROM person), count(*) FROM web_account"
        ).fetchone()
    assert "simulation" in marks and "id_key_check" in marks  # its clock is set, its digests keyed with its own key
    assert masked == {"*" * 12}
    assert accounts == people > 0  # everyone may sign in to the console with the demo password
    assert stages["registered"] == sum(certificates.values()) == 14
    assert certificates == {"active": 13, "expired": 1}  # renewed in 2031, one member did not apply
    assert emails > 150 and unsent == 0
    assert stages["lapsed"] == 1 and stages["rejected"] == 1 and stages["disqualified"] == 1
    assert stages["further_assessment"] == 1  # the upheld appeal reopened the ethics-interview case
    assert lapse_due == [("2026-02-27",)]


def test_renewal_sweep_flow_reminds_and_expires_once_however_often_it_runs(tmp_path: Path) -> None:
    from capeval.flows.renewal_sweep import renewal_sweep

    from ..runtimes import new_runtime

    url = f"sqlite:///{tmp_path / 'renewal.db'}"
    clock = FixedClock(at("2026-01-05"))
    runtime: Runtime = new_runtime(url, clock=clock)
    load_society(runtime, members=[1, 2])
    for serial in (1, 2):
        case_id = submitted_case(runtime, serial)
        for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
            act(runtime, case_id, action)
    runtime.engine.dispose()

    with fast_flow_runs():
        reminded = renewal_sweep(url, as_of="2030-12-05", batch_size=1, reminder_days=[30])
        again = renewal_sweep(url, as_of="2030-12-06", batch_size=1, reminder_days=[30])
        expired = renewal_sweep(url, as_of="2031-01-05", batch_size=1)
        after = renewal_sweep(url, as_of="2031-01-05", batch_size=1)

    assert reminded["reminders"] == 2 and again["reminders"] == 0
    assert len(expired["expired_numbers"]) == 2 and after["expired"] == 0
    with sqlite3.connect(tmp_path / "renewal.db") as connection:
        templates = dict(
            connection.execute("SELECT template, count(*) FROM outbox_message GROUP BY template").fetchall()
        )
    assert templates["certificate.renewal_reminder"] == 2
    assert templates["certificate.status_changed"] == 2
