"""`capeval sweeps`: whether the scheduled sweeps ran when they should have."""

from __future__ import annotations

from datetime import timedelta

import click

from capeval.states.errors import DomainError

from .main import AppContext, pass_app
from .output import emit_json, emit_table


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
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def health(app: AppContext, grace_minutes: int, as_json: bool) -> None:
    """Each sweep's last successful run; exit 2 when one has not run within its schedule plus the grace."""
    from capeval.services.sweep_runs import sweep_health

    found = sweep_health(app.runtime, grace=timedelta(minutes=grace_minutes))
    rows = [
        {
            "sweep": item.sweep,
            "every": _every(item.every),
            "last_success": item.finished_at.isoformat(timespec="seconds") if item.finished_at else None,
            "examined": item.examined,
            "status": "overdue" if item.overdue else "ok",
        }
        for item in found
    ]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["sweep", "every", "last_success", "examined", "status"])
    late = [item.sweep for item in found if item.overdue]
    if late:
        raise DomainError("sweeps_overdue", sweeps=", ".join(late))


def _every(interval: timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}min"
