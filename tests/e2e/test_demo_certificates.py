"""The certificates scene of the main job, run after the main job's registrations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import select

from capeval.demo.scenes.certificates import run_scene
from capeval.demo.scenes.main_job import Demo
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.models import Certificate, OutboxMessage
from capeval.states.clock import SHANGHAI, FixedClock

from ..runtimes import new_runtime


def test_the_certificates_scene_reminds_renews_suspends_and_expires(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'capeval.db'}"
    clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI))
    runtime = new_runtime(url, clock=clock)
    lines: list[str] = []
    demo = Demo(runtime, clock, url, lines.append)
    with fast_flow_runs():
        demo.seed()
        demo.applications()
        demo.initial_review()
        demo.sweep("2026-02-27T23:00")
        demo.sweep("2026-03-02T00:30")
        demo.material_review()
        demo.assessment_and_committee()
        run_scene(demo)
    text = "\n".join(lines)
    assert "active -> suspended" in text and "suspended -> active" in text
    assert "CPD of" in text and "total: 40 of 50 h, short by 10 h" in text
    assert "excused under the society's contingency plan" in text
    assert "renewal reminder(s)" in text and "CPD shortfall warning(s)" in text
    assert (tmp_path / "certificate-changes.csv").is_file()
    with runtime.unit_of_work() as uow:
        statuses = sorted(c.status for c in uow.session.exec(select(Certificate)).all())
        reminders = [
            m for m in uow.session.exec(select(OutboxMessage)).all() if m.template == "certificate.renewal_reminder"
        ]
    assert statuses.count("expired") == 1 and statuses.count("active") == len(statuses) - 1
    assert len(reminders) == 2 * len(statuses) + 1  # those who applied get no 30-day reminder
    runtime.engine.dispose()
