"""How a deployed sweep watches the runs of its partitions: a completed run's report is read back from its
artifact, a failed or crashed run is started again up to PARTITION_ATTEMPTS runs, a cancelled one ends the
sweep. The server is replaced by a small fake of the few client calls; the real thing runs in
tests/e2e/test_sweeps_on_two_workers.py."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import prefect
import pytest
from prefect.client.schemas.objects import State
from prefect.states import Cancelled, Completed, Crashed, Failed, Running

from capeval.flows import partitioned
from capeval.services.partitions import KeyRange
from capeval.services.sweeps import SweepReport

RANGES = [KeyRange(1, 5), KeyRange(6, 10)]


@dataclass
class FakeServer:
    """Each started run goes through the states `script(range, attempt)` gives, one per poll."""

    script: Callable[[KeyRange, int], list[State]]
    started: list[tuple[KeyRange, int]]
    states: dict[UUID, list[State]]
    ranges: dict[UUID, KeyRange]

    def start(self, deployment: partitioned.PartitionDeployment, key_range: KeyRange, attempt: int) -> UUID:
        run_id = uuid4()
        self.started.append((key_range, attempt))
        self.states[run_id] = self.script(key_range, attempt)
        self.ranges[run_id] = key_range
        return run_id

    def read_flow_run(self, run_id: UUID) -> Any:
        states = self.states[run_id]
        return SimpleNamespace(state=states.pop(0) if len(states) > 1 else states[0])

    def read_artifacts(self, **filters: Any) -> list[Any]:
        run_id = filters["flow_run_filter"].id.any_[0]
        key_range = self.ranges[run_id]
        report = {"examined": key_range.high - key_range.low + 1, "lapsed": [key_range.low], "batches": 1}
        description = f"{partitioned.REPORT_DESCRIPTION} {key_range.low}..{key_range.high}"
        return [SimpleNamespace(description=description, data=json.dumps([report]))]

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _server(monkeypatch: pytest.MonkeyPatch, script: Callable[[KeyRange, int], list[State]]) -> FakeServer:
    server = FakeServer(script, [], {}, {})
    monkeypatch.setattr(partitioned, "POLL_SECONDS", 0)
    monkeypatch.setattr(partitioned, "_start", server.start)
    monkeypatch.setattr(partitioned, "get_run_logger", lambda: logging.getLogger("test"))
    monkeypatch.setattr(prefect, "get_client", lambda sync_client: server)
    return server


DEPLOYMENT = partitioned.PartitionDeployment("deadline-sweep-partition/deadline-sweep-partition", {}, SweepReport)


def test_a_crashed_partition_is_run_again_and_the_reports_come_back_in_range_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def script(key_range: KeyRange, attempt: int) -> list[State]:
        if key_range.low == 1 and attempt == 1:
            return [Running(), Crashed()]
        return [Running(), Running(), Completed()]

    server = _server(monkeypatch, script)

    reports = partitioned._on_workers(DEPLOYMENT, RANGES)

    assert server.started == [(RANGES[0], 1), (RANGES[1], 1), (RANGES[0], 2)]
    assert reports == [SweepReport(examined=5, lapsed=[1], batches=1), SweepReport(examined=5, lapsed=[6], batches=1)]


def test_a_partition_that_fails_every_run_fails_the_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    server = _server(monkeypatch, lambda key_range, attempt: [Failed()] if key_range.low == 6 else [Completed()])

    with pytest.raises(partitioned.PartitionFailed, match=r"partition 6..10 ended Failed after 3 runs"):
        partitioned._on_workers(DEPLOYMENT, RANGES)

    assert [attempt for key_range, attempt in server.started if key_range.low == 6] == [1, 2, 3]


def test_a_cancelled_partition_ends_the_sweep_without_another_run(monkeypatch: pytest.MonkeyPatch) -> None:
    server = _server(monkeypatch, lambda key_range, attempt: [Cancelled()])

    with pytest.raises(partitioned.PartitionFailed, match="ended Cancelled after 1 runs"):
        partitioned._on_workers(DEPLOYMENT, RANGES)

    assert all(attempt == 1 for _, attempt in server.started)
