"""Each sweep notes its last successful run; `sweep_health` says which sweeps are overdue.

A sweep is overdue when its last successful run is older than its schedule's interval plus a grace period
(or it never ran). The intervals are those of the deployments in prefect.yaml; a society that schedules
its sweeps differently passes its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from capeval.states.errors import ConcurrencyConflict

from .runtime import Runtime

SWEEP_INTERVALS: dict[str, timedelta] = {
    "deadline-sweep": timedelta(days=1),
    "reminder-sweep": timedelta(days=1),
    "review-sweep": timedelta(days=1),
    "renewal-sweep": timedelta(days=1),
    "governance-sweep": timedelta(days=1),
    "outbox-dispatch": timedelta(minutes=5),
}
"""How often each sweep runs by prefect.yaml's schedules (daily crons, the outbox every five minutes)."""

DEFAULT_GRACE = timedelta(hours=1)
"""How late a run may be before the health check calls its sweep overdue."""


@dataclass(frozen=True)
class SweepHealth:
    """Where one sweep stands."""

    sweep: str
    every: timedelta
    finished_at: datetime | None
    examined: int
    overdue: bool


def record_sweep_run(runtime: Runtime, sweep: str, examined: int) -> None:
    """Note that `sweep` finished now, having examined `examined` due items (one retry if two runs collide)."""
    for attempt in (1, 2):
        try:
            with runtime.unit_of_work() as uow:
                uow.sweep_runs.record(sweep, runtime.clock.now(), examined)
                uow.commit()
            return
        except ConcurrencyConflict:
            if attempt == 2:
                raise


def sweep_health(
    runtime: Runtime, *, grace: timedelta = DEFAULT_GRACE, intervals: dict[str, timedelta] | None = None
) -> list[SweepHealth]:
    """Every scheduled sweep with its last successful run, and whether it is overdue as of now."""
    intervals = intervals or SWEEP_INTERVALS
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        runs = {row.sweep: row for row in uow.sweep_runs.all()}
    found = []
    for sweep, every in intervals.items():
        row = runs.get(sweep)
        finished = row.finished_at if row is not None else None
        late = finished is None or now - finished > every + grace
        found.append(SweepHealth(sweep, every, finished, row.examined if row is not None else 0, late))
    return found
