"""`capeval sweeps`: whether the scheduled sweeps ran when they should have."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import click

from capeval.states.errors import DomainError

from .errors import error_line
from .main import AppContext, pass_app
from .output import emit_json, emit_table

PREFECT_COLUMNS = ["late_runs", "failed_runs"]


@click.group("sweeps")
def command() -> None:
    """The scheduled sweeps: when each last ran, and which are overdue."""


@command.command("health")
@click.option(
    "--grace-minutes",
    default=60,
    show_default=True,
    type=click.IntRange(min=0),
    help="How late a run may be before its sweep counts as overdue.",
)
@click.option(
    "--failed-within-hours",
    default=24,
    show_default=True,
    type=click.IntRange(min=1, max=24 * 366),
    help="With PREFECT_API_URL set: how far back a failed or crashed run of a sweep counts.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def health(app: AppContext, grace_minutes: int, failed_within_hours: int, as_json: bool) -> None:
    """Each sweep's last successful run; exit 2 when one has not run within its schedule plus the grace.

    With PREFECT_API_URL set, also the late runs of capeval's deployments and the failed or crashed runs
    of its sweeps on that Prefect server (exit 2 when there are any, or when the server does not answer).
    """
    from capeval.services.sweep_runs import sweep_health

    found = sweep_health(app.runtime, grace=timedelta(minutes=grace_minutes))
    rows: list[dict[str, Any]] = [
        {
            "sweep": item.sweep,
            "every": _every(item.every),
            "last_success": item.finished_at.isoformat(timespec="seconds") if item.finished_at else None,
            "examined": item.examined,
            "status": "overdue" if item.overdue else "ok",
        }
        for item in found
    ]
    problems: list[DomainError] = []
    late = [item.sweep for item in found if item.overdue]
    if late:
        problems.append(DomainError("sweeps_overdue", sweeps=", ".join(late)))
    api_url = os.environ.get("PREFECT_API_URL", "").strip()
    if api_url:
        problems += _with_prefect_runs(rows, api_url, timedelta(hours=failed_within_hours))
    columns = ["sweep", "every", "last_success", "examined", "status"]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, [*columns, *PREFECT_COLUMNS] if api_url else columns)
    for problem in problems[:-1]:
        click.echo(error_line(problem, app.language), err=True)
    if problems:
        raise problems[-1]


def _with_prefect_runs(rows: list[dict[str, Any]], api_url: str, failed_within: timedelta) -> list[DomainError]:
    """Add each sweep's late and failed Prefect runs to its row; the errors they make."""
    from capeval.flows.deployment_runs import PrefectUnreachable, run_problems

    try:
        runs = run_problems(api_url, failed_within=failed_within)
    except PrefectUnreachable as error:
        for row in rows:
            row.update(dict.fromkeys(PREFECT_COLUMNS))
        return [DomainError("prefect_unreachable", url=api_url, reason=str(error))]
    for row in rows:
        row["late_runs"], row["failed_runs"] = runs.late[row["sweep"]], runs.failed[row["sweep"]]
        if row["status"] == "ok" and (row["late_runs"] or row["failed_runs"]):
            row["status"] = "failed" if row["failed_runs"] else "late"
    failing = runs.sweeps()
    return [DomainError("sweep_runs_failing", sweeps="; ".join(failing))] if failing else []


def _every(interval: timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}min"
