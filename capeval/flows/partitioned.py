"""Run the key ranges of a sweep: one Prefect task per range on the flow's thread pool, or, when the sweep
runs as a deployment, one run of its partition deployment per range, which any worker of the pool may take.

A deployed sweep starts a run of `<sweep>-partition/<sweep>-partition` for every range (without waiting),
then watches them: a partition that completed hands back its report through a table artifact of its run; a
partition that failed or crashed (its worker killed, then the run marked crashed by an automation or an
operator) is started again, up to `PARTITION_ATTEMPTS` runs in all. A rerun is safe because every item goes
through its handler in its own transaction and what was handled is no longer due (a lapsed case, a queued
dedupe key). Called directly (the demo, the tests, the CLI: no deployment), the ranges run in process.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from prefect import Task, get_run_logger
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext

from capeval.services.bootstrap import opened
from capeval.services.partitions import KeyRange
from capeval.services.runtime import Runtime
from capeval.settings import Settings

R = TypeVar("R")

PARTITION_ATTEMPTS = 3
"""How many runs a partition gets before the sweep fails: the first and two after a failure or a crash."""

POLL_SECONDS = 2.0
"""How often a deployed sweep looks at the state of its partition runs."""

REPORT_DESCRIPTION = "capeval partition report"


@dataclass(frozen=True)
class PartitionDeployment:
    """Where the partitions of a deployed sweep run: the deployment's name, the flow parameters every
    partition run shares (the range's `low` and `high` are added per run), and how a report read back
    from a run's artifact becomes the partition's result."""

    name: str
    parameters: dict[str, Any]
    report: Callable[..., Any]


class PartitionFailed(RuntimeError):
    """A partition of a deployed sweep did not complete in `PARTITION_ATTEMPTS` runs."""


def each_partition(
    partition_task: Task[..., R],
    ranges: list[KeyRange],
    *,
    deployment: PartitionDeployment | None = None,
    **arguments: Any,
) -> list[R]:
    """The result of every range, in range order.

    When this flow run belongs to a deployment and there is more than one range, each range runs as its own
    run of `deployment` (see the module's docstring); otherwise `partition_task(key_range=..., **arguments)`
    is submitted for every range on this flow's thread pool. A partition that fails fails the sweep once the
    others have finished."""
    if deployment is not None and len(ranges) > 1 and _deployed():
        if _exists(deployment.name):
            return _on_workers(deployment, ranges)
        get_run_logger().warning("%s is not deployed: its %d partitions run here", deployment.name, len(ranges))
    futures = [partition_task.submit(key_range=key_range, **arguments) for key_range in ranges]
    return [future.result() for future in futures]


def sweep_one_range(
    settings: Settings, low: int, high: int, sweep: Callable[[Runtime, KeyRange], Any]
) -> dict[str, Any]:
    """The body of every `<sweep>-partition` flow: open the runtime of `settings`, sweep the range
    `low`..`high` with `sweep` (which returns its report as a dataclass), hand the report to the sweep that
    started this run (a table artifact of this flow run) and return it."""
    from prefect.artifacts import create_table_artifact

    key_range = KeyRange(low, high)
    with opened(settings) as runtime:
        report = dataclasses.asdict(sweep(runtime, key_range))
    create_table_artifact([report], description=f"{REPORT_DESCRIPTION} {low}..{high}")
    return report


def _deployed() -> bool:
    context = FlowRunContext.get()
    return context is not None and context.flow_run is not None and context.flow_run.deployment_id is not None


def _exists(name: str) -> bool:
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_deployment_by_name(name)
        except ObjectNotFound:
            return False
    return True


def _on_workers(deployment: PartitionDeployment, ranges: list[KeyRange]) -> list[Any]:
    from prefect import get_client

    logger = get_run_logger()
    attempts = dict.fromkeys(ranges, 1)
    running = {key_range: _start(deployment, key_range, 1) for key_range in ranges}
    reports: dict[KeyRange, Any] = {}
    logger.info("%d partitions started as runs of %s", len(ranges), deployment.name)
    with get_client(sync_client=True) as client:
        while running:
            time.sleep(POLL_SECONDS)
            for key_range, run_id in list(running.items()):
                state = client.read_flow_run(run_id).state
                if state is None or not state.is_final():
                    continue
                del running[key_range]
                if state.is_completed():
                    reports[key_range] = deployment.report(**_report_of(client, run_id))
                    continue
                if state.is_cancelled() or attempts[key_range] >= PARTITION_ATTEMPTS:
                    raise PartitionFailed(
                        f"partition {key_range.low}..{key_range.high} ended {state.name} "
                        f"after {attempts[key_range]} runs of {deployment.name}"
                    )
                attempts[key_range] += 1
                logger.warning(
                    "partition %d..%d ended %s; starting run %d of it",
                    key_range.low,
                    key_range.high,
                    state.name,
                    attempts[key_range],
                )
                running[key_range] = _start(deployment, key_range, attempts[key_range])
    return [reports[key_range] for key_range in ranges]


def _start(deployment: PartitionDeployment, key_range: KeyRange, attempt: int) -> UUID:
    from prefect.deployments import run_deployment

    context = FlowRunContext.get()
    parent = context.flow_run.id if context is not None and context.flow_run is not None else None
    run = run_deployment(
        deployment.name,
        parameters={**deployment.parameters, "low": key_range.low, "high": key_range.high},
        flow_run_name=f"{key_range.low}..{key_range.high} run {attempt}",
        timeout=0,
        idempotency_key=f"{parent}:{key_range.low}..{key_range.high}:{attempt}",
    )
    assert isinstance(run, FlowRun)
    return run.id


def _report_of(client: Any, run_id: UUID) -> dict[str, Any]:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterType, FlowRunFilter, FlowRunFilterId

    found = client.read_artifacts(
        artifact_filter=ArtifactFilter(type=ArtifactFilterType(any_=["table"])),
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])),
    )
    for artifact in found:
        if (artifact.description or "").startswith(REPORT_DESCRIPTION):
            return dict(json.loads(artifact.data)[0])
    raise PartitionFailed(f"the completed partition run {run_id} left no report")
