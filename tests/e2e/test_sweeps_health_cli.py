"""`capeval sweeps health`: each sweep's last successful run, and exit 2 when one is overdue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.services.sweep_runs import SWEEP_INTERVALS, record_sweep_run
from capeval.states.clock import FixedClock

from ..factories import at
from ..runtimes import new_runtime
from .prefect_servers import free_port


def capeval(url: str, now: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--now", now, "sweeps", "health", *args])


def _database(tmp_path: Path, ran_at: str, sweeps: list[str]) -> str:
    url = f"sqlite:///{tmp_path / 'capeval.db'}"
    runtime = new_runtime(url, clock=FixedClock(at(ran_at)))
    for sweep in sweeps:
        record_sweep_run(runtime, sweep, 3)
    record_sweep_run(runtime, sweeps[0], 5)
    runtime.engine.dispose()
    return url


def test_sweeps_that_ran_within_their_schedule_are_healthy(tmp_path: Path) -> None:
    url = _database(tmp_path, "2026-03-02T00:30", list(SWEEP_INTERVALS))

    result = capeval(url, "2026-03-02T00:34", "--json")

    assert result.exit_code == 0, result.output
    rows = {row["sweep"]: row for row in json.loads(result.output)}
    assert set(rows) == set(SWEEP_INTERVALS)
    assert {row["status"] for row in rows.values()} == {"ok"}
    assert rows["deadline-sweep"]["examined"] == 5 and rows["renewal-sweep"]["examined"] == 3


def test_a_sweep_missed_past_its_schedule_and_the_grace_is_overdue_and_exits_2(tmp_path: Path) -> None:
    url = _database(tmp_path, "2026-03-02T00:30", list(SWEEP_INTERVALS))

    late = capeval(url, "2026-03-03T02:00")
    within_grace = capeval(url, "2026-03-02T01:30", "--grace-minutes", "90")

    assert late.exit_code == 2
    assert "deadline-sweep" in late.output and "renewal-sweep" in late.output and "overdue sweeps" in late.output
    assert within_grace.exit_code == 0, within_grace.output
    assert "24h" in within_grace.output and "5min" in within_grace.output


def test_a_sweep_that_never_ran_is_overdue(tmp_path: Path) -> None:
    url = _database(tmp_path, "2026-03-02T00:30", ["deadline-sweep", "outbox-dispatch"])

    result = capeval(url, "2026-03-02T00:31", "--json")

    assert result.exit_code == 2
    statuses = {row["sweep"]: row["status"] for row in json.loads(_json_part(result.output))}
    assert statuses["deadline-sweep"] == "ok" and statuses["review-sweep"] == "overdue"
    assert statuses["outbox-dispatch"] == "ok"


def _json_part(output: str) -> str:
    return output[: output.rindex("]") + 1]


def test_without_a_prefect_api_url_the_health_check_reads_only_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    url = _database(tmp_path, "2026-03-02T00:30", list(SWEEP_INTERVALS))

    result = capeval(url, "2026-03-02T00:34")

    assert result.exit_code == 0, result.output
    assert "late_runs" not in result.output and "Prefect" not in result.output


def test_a_prefect_server_that_does_not_answer_is_one_line_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_url = f"http://127.0.0.1:{free_port()}/api"
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    url = _database(tmp_path, "2026-03-02T00:30", list(SWEEP_INTERVALS))

    result = capeval(url, "2026-03-02T00:34", "--json")

    assert result.exit_code == 2
    rows = json.loads(result.stdout)
    assert {row["status"] for row in rows} == {"ok"} and {row["late_runs"] for row in rows} == {None}
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and f"the Prefect API at {api_url} did not answer" in errors[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("api_url", ["notaurl", "file:///capeval/api", "ftp://127.0.0.1/api"])
def test_a_prefect_api_url_that_is_no_http_url_is_one_line_and_exits_2(
    api_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    url = _database(tmp_path, "2026-03-02T00:30", list(SWEEP_INTERVALS))

    result = capeval(url, "2026-03-02T00:34")

    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors == [
        f"error: the Prefect API at {api_url} did not answer (it is not an http:// or https:// URL): no scheduled "
        "sweep runs while it is down; start the server ('prefect server start') or correct PREFECT_API_URL"
    ]
