"""The deadline-sweep flow split into partitions on SQLite: every case lapses once, and the run is noted
for `capeval sweeps health`."""

from __future__ import annotations

from pathlib import Path

from capeval.flows.deadline_sweep import deadline_sweep
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.services.sweep_runs import sweep_health
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..integration.test_handlers import stage_of
from ..runtimes import new_runtime


def test_a_partitioned_deadline_sweep_flow_lapses_every_case_once_and_notes_its_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    clock = FixedClock(at("2026-01-05"))
    runtime = new_runtime(url, clock=clock)
    load_society(runtime, members=list(range(1, 8)))
    cases = [submitted_case(runtime, serial) for serial in range(1, 8)]
    clock.set(at("2026-02-06"))
    for case_id in cases:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "材料不全")

    with fast_flow_runs():
        first = deadline_sweep(url, as_of="2026-03-02T00:30", batch_size=2, partitions=3)
        again = deadline_sweep(url, as_of="2026-03-02T00:40", batch_size=2, partitions=3)

    assert first["partitions"] == 3 and sorted(first["lapsed"]) == cases and first["batches"] == 4
    assert again["partitions"] == 0 and again["examined"] == 0
    assert {stage_of(runtime, case_id) for case_id in cases} == {"lapsed"}
    clock.set(at("2026-03-02T01:00"))
    health = {item.sweep: item for item in sweep_health(runtime)}
    assert not health["deadline-sweep"].overdue and health["review-sweep"].overdue
    assert health["deadline-sweep"].finished_at == at("2026-03-02T00:40")
    runtime.engine.dispose()
