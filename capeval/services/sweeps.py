"""Deadline sweeps: find due items through an index, a batch at a time, and send each through its handler.

A sweep's cost follows the number of due items. It is idempotent: a case already moved on is skipped, so a
sweep run twice, or killed and run again, leaves every case as one run would. A sweep may be split into
key ranges of the deadline id (`due_ranges`), each swept on its own (`lapse_overdue_cases(key_range=...)`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from capeval.states.application import Action
from capeval.states.authority import Sweep
from capeval.states.commands import TakeAction
from capeval.states.errors import ConcurrencyConflict, DomainError
from capeval.states.stored_reasons import coded_reason

from .facts import RESUBMISSION, SUPPLEMENT
from .handlers import take_action
from .partitions import KeyRange, key_ranges
from .runtime import Runtime

SWEEP_ACTOR = Sweep("deadline sweep")
LAPSE_REASONS = {RESUBMISSION: "lapse_resubmission_missed", SUPPLEMENT: "lapse_supplement_missed"}
"""The catalog code of the reason a lapse records, by the kind of window that closed (stored coded, shown in
the reader's language; `states.stored_reasons`)."""


@dataclass
class SweepReport:
    """Counts of what one sweep did."""

    examined: int = 0
    lapsed: list[int] = field(default_factory=list)
    skipped: int = 0
    batches: int = 0

    def merged(self, other: SweepReport) -> SweepReport:
        """This report and another partition's, added up."""
        return SweepReport(
            self.examined + other.examined,
            self.lapsed + other.lapsed,
            self.skipped + other.skipped,
            self.batches + other.batches,
        )


class OverdueItem(NamedTuple):
    """A window that closed before today."""

    deadline_id: int
    case_id: int
    kind: str
    due_on: str


BatchProcessor = Callable[[Runtime, list[OverdueItem]], list[int]]
KINDS = (RESUBMISSION, SUPPLEMENT)


def overdue_batch(
    runtime: Runtime, after_id: int, batch_size: int, key_range: KeyRange | None = None
) -> list[OverdueItem]:
    """One batch of overdue windows after deadline id `after_id` (within `key_range`), oldest id first."""
    ids = key_range.bounds() if key_range is not None else None
    with runtime.unit_of_work() as uow:
        rows = uow.deadlines.overdue(KINDS, runtime.today(), batch_size, after_id, ids)
        return [OverdueItem(d.id or 0, d.application_id, d.kind, d.due_on.isoformat()) for d in rows]


def due_ranges(runtime: Runtime, partitions: int) -> list[KeyRange]:
    """The overdue deadline ids of today split into at most `partitions` key ranges (none if nothing is due)."""
    with runtime.unit_of_work() as uow:
        return key_ranges(uow.deadlines.overdue_bounds(KINDS, runtime.today()), partitions)


def due_ids(runtime: Runtime, *, partition: tuple[int, int] = (0, 1), batch_size: int = 500) -> list[int]:
    """The overdue deadline ids of partition k of n, as `due_ranges(runtime, n)[k]` has them."""
    index, count = partition
    ranges = due_ranges(runtime, count)
    if index >= len(ranges):
        return []
    found: list[int] = []
    while batch := overdue_batch(runtime, found[-1] if found else 0, batch_size, ranges[index]):
        found += [item.deadline_id for item in batch]
    return found


def lapse_case(runtime: Runtime, case_id: int, kind: str, due: str) -> bool:
    """Lapse one case whose window closed; False when it has moved on meanwhile."""
    try:
        params: dict[str, str | int] = {"due": due}
        if kind == RESUBMISSION:
            params["days"] = runtime.policy.resubmission_working_days
        reason = coded_reason(LAPSE_REASONS[kind], **params)
        take_action(runtime, TakeAction(case_id, Action.LAPSE, SWEEP_ACTOR, reason))
    except (DomainError, ConcurrencyConflict):
        return False
    return True


def lapse_cases(runtime: Runtime, batch: list[OverdueItem]) -> list[int]:
    """Lapse the cases of one batch; returns the ids that lapsed."""
    return [item.case_id for item in batch if lapse_case(runtime, item.case_id, item.kind, item.due_on)]


def lapse_overdue_cases(
    runtime: Runtime,
    *,
    batch_size: int = 500,
    process_batch: BatchProcessor = lapse_cases,
    key_range: KeyRange | None = None,
) -> SweepReport:
    """Lapse every case whose resubmission or supplement window closed before today (the deadlines of
    `key_range` only, when given).

    `process_batch` runs one batch; the Prefect flow passes a task here so that each batch is one task run.
    """
    report = SweepReport()
    after_id = 0
    while batch := overdue_batch(runtime, after_id, batch_size, key_range):
        report.batches += 1
        report.examined += len(batch)
        report.lapsed += process_batch(runtime, batch)
        after_id = batch[-1].deadline_id
    report.skipped = report.examined - len(report.lapsed)
    return report
