"""The deadline-sweep flow split into partitions on SQLite: every case lapses once, and the run is noted
for `capeval sweeps health`; each sweep's partition flow (what a deployed sweep starts per key range)
sweeps its range alone."""

from __future__ import annotations

from pathlib import Path

from capeval.flows.deadline_sweep import deadline_sweep, deadline_sweep_partition
from capeval.flows.governance_sweep import governance_sweep_partition
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.flows.reminder_sweep import reminder_sweep_partition
from capeval.flows.renewal_sweep import renewal_sweep_partition
from capeval.flows.review_sweep import review_sweep_partition
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


def test_every_partition_flow_sweeps_its_key_range_on_its_own_and_writes_no_sweep_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    clock = FixedClock(at("2026-01-05"))
    runtime = new_runtime(url, clock=clock)
    load_society(runtime, members=list(range(1, 6)))
    cases = [submitted_case(runtime, serial) for serial in range(1, 6)]
    clock.set(at("2026-02-06"))
    for case_id in cases:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "材料不全")
    flows = [deadline_sweep_partition, reminder_sweep_partition, review_sweep_partition, governance_sweep_partition]

    with fast_flow_runs():
        lapsed = deadline_sweep_partition(low=1, high=2, database_url=url, as_of="2026-03-02T00:30", batch_size=1)
        rest = [run(low=1, high=10**6, database_url=url, as_of="2026-03-02T00:30") for run in flows]
        renewals = renewal_sweep_partition(low=1, high=10**6, database_url=url, reminder_days=[30])

    assert lapsed["examined"] == 2 and lapsed["batches"] == 2 and len(lapsed["lapsed"]) == 2
    assert rest[0]["examined"] == 3 and sorted(lapsed["lapsed"] + rest[0]["lapsed"]) == cases
    reminders, reviews, governance = rest[1:]
    assert (reminders["warning_batches"], reminders["digest_batches"], reminders["societies"]) == (0, 0, 0)
    assert reviews["batches"] == governance["batches"] == renewals["examined"] == 0
    assert {stage_of(runtime, case_id) for case_id in cases} == {"lapsed"}
    assert not any(item.finished_at for item in sweep_health(runtime))
    runtime.engine.dispose()
