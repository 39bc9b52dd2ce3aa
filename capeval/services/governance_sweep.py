"""The governance sweep: every feedback, appeal or authorization step past its time limit gets a reminder to
the responsible body, then, `escalation_working_days` later, an escalation to the secretariat.

Due steps are found through the (status, due_on) index a batch at a time; each step is handled in its own
transaction, the deadline row remembers what was sent, and the outbox dedupe keys make a second run (or a
run killed halfway and started again) send nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from capeval.notifications.notices import publish
from capeval.states.events import GovernanceStepEscalated, GovernanceStepOverdue, Recipient
from capeval.states.governance_policy import GovernancePolicy

from .partitions import KeyRange, key_ranges
from .runtime import Runtime


class DueStep(NamedTuple):
    """A governance step whose time limit passed before today."""

    deadline_id: int
    case_kind: str
    case_id: int
    step: str
    due_on: str


@dataclass
class GovernanceSweepReport:
    """Counts of what one sweep did."""

    examined: int = 0
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    batches: int = 0

    def merged(self, other: GovernanceSweepReport) -> GovernanceSweepReport:
        """This report and another partition's, added up."""
        return GovernanceSweepReport(
            self.examined + other.examined,
            self.reminded + other.reminded,
            self.escalated + other.escalated,
            self.batches + other.batches,
        )


BatchProcessor = Callable[[Runtime, list[DueStep]], tuple[list[int], list[int]]]


def due_batch(runtime: Runtime, after_id: int, batch_size: int, key_range: KeyRange | None = None) -> list[DueStep]:
    ids = key_range.bounds() if key_range is not None else None
    with runtime.unit_of_work() as uow:
        rows = uow.governance.overdue(runtime.today(), batch_size, after_id, ids)
        return [DueStep(d.id or 0, d.case_kind, d.case_id, d.step, d.due_on.isoformat()) for d in rows]


def due_ranges(runtime: Runtime, partitions: int) -> list[KeyRange]:
    """The overdue step deadline ids of today split into at most `partitions` key ranges."""
    with runtime.unit_of_work() as uow:
        return key_ranges(uow.governance.overdue_bounds(runtime.today()), partitions)


def responsible(policy: GovernancePolicy, kind: str) -> Recipient:
    """Who is reminded of an overdue step of this kind of case."""
    if kind == "feedback":
        return Recipient("标准与质量监督委员会", policy.supervision_committee_email)
    if kind == "appeal":
        return Recipient("公正性委员会", policy.impartiality_committee_email)
    return Recipient("秘书处", policy.secretariat_email)


def remind_step(runtime: Runtime, item: DueStep) -> str | None:
    """Remind, or escalate, one overdue step; returns 'reminded', 'escalated' or None (nothing new to send)."""
    now, today = runtime.clock.now(), runtime.today()
    policy = runtime.governance
    with runtime.unit_of_work() as uow:
        deadline = uow.governance.deadline(item.deadline_id)
        if deadline is None or deadline.status != "open":
            return None
        case = uow.governance.case(item.case_kind, item.case_id)
        reference = case.reference if case is not None else f"{item.case_kind}-{item.case_id}"
        due_on = date.fromisoformat(item.due_on)
        done = None
        if deadline.reminded_on is None:
            overdue = GovernanceStepOverdue(
                item.deadline_id, reference, item.case_kind, item.step, due_on, responsible(policy, item.case_kind)
            )
            publish(uow, [overdue], now)
            deadline.reminded_on, done = today, "reminded"
        elif deadline.escalated_on is None:
            calendar = runtime.calendar(uow)
            if today > calendar.add_working_days(deadline.due_on, policy.escalation_working_days):
                secretariat = Recipient("秘书处", policy.secretariat_email)
                escalated = GovernanceStepEscalated(
                    item.deadline_id, reference, item.case_kind, item.step, due_on, secretariat, deadline.reminded_on
                )
                publish(uow, [escalated], now)
                deadline.escalated_on, done = today, "escalated"
        if done:
            uow.commit()
        return done


def remind_steps(runtime: Runtime, batch: list[DueStep]) -> tuple[list[int], list[int]]:
    """Handle one batch; returns the deadline ids reminded and escalated."""
    reminded, escalated = [], []
    for item in batch:
        done = remind_step(runtime, item)
        if done == "reminded":
            reminded.append(item.deadline_id)
        elif done == "escalated":
            escalated.append(item.deadline_id)
    return reminded, escalated


def sweep_governance_deadlines(
    runtime: Runtime,
    *,
    batch_size: int = 500,
    process_batch: BatchProcessor = remind_steps,
    key_range: KeyRange | None = None,
) -> GovernanceSweepReport:
    """Remind or escalate every overdue governance step (of `key_range` only, when given); `process_batch`
    is one Prefect task in the flow."""
    report = GovernanceSweepReport()
    after_id = 0
    while batch := due_batch(runtime, after_id, batch_size, key_range):
        report.batches += 1
        report.examined += len(batch)
        reminded, escalated = process_batch(runtime, batch)
        report.reminded += reminded
        report.escalated += escalated
        after_id = batch[-1].deadline_id
    return report
