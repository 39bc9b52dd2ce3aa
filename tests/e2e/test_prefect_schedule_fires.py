"""A deployment's schedule creates flow runs by itself on a real `prefect server` (the scheduler service works)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.test_prefect_server import prefect_server  # noqa: F401  (fixture)

PROBE = """
import asyncio
from datetime import timedelta

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import DeploymentScheduleCreate
from prefect.client.schemas.schedules import IntervalSchedule


async def main() -> None:
    async with get_client() as client:
        flow_id = await client.create_flow_from_name("schedule-probe")
        deployment_id = await client.create_deployment(
            flow_id=flow_id,
            name="every-five-seconds",
            schedules=[DeploymentScheduleCreate(schedule=IntervalSchedule(interval=timedelta(seconds=5)), active=True)],
        )
        for _ in range(90):
            runs = [run for run in await client.read_flow_runs() if run.deployment_id == deployment_id]
            if runs:
                print("scheduled", len(runs), runs[0].state_name, runs[0].auto_scheduled)
                return
            await asyncio.sleep(1)
        print("scheduled 0")


asyncio.run(main())
"""


def test_an_interval_schedule_creates_flow_runs_without_anyone_starting_them(
    prefect_server: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {**prefect_server}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    words = probe.stdout.split()
    assert words[:1] == ["scheduled"] and int(words[1]) >= 1, probe.stdout + probe.stderr[-2000:]
    assert words[2:] == ["Scheduled", "True"], probe.stdout
