"""Run one Prefect task per key range of a sweep, all at once on the flow's thread pool."""

from __future__ import annotations

from typing import Any, TypeVar

from prefect import Task

from capeval.services.partitions import KeyRange

R = TypeVar("R")


def each_partition(partition_task: Task[..., R], ranges: list[KeyRange], **arguments: Any) -> list[R]:
    """Submit `partition_task(key_range=..., **arguments)` for every range and wait for all; results in range
    order. A partition that fails fails the flow run once the others have finished."""
    futures = [partition_task.submit(key_range=key_range, **arguments) for key_range in ranges]
    return [future.result() for future in futures]
