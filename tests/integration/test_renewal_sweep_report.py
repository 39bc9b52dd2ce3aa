"""The renewal sweep's report counts the messages it queued, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from capeval.services.renewals import run_renewal_sweep
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock

from ..factories import at, load_society
from .test_certificates import registered


def _queued(runtime: Runtime, template: str) -> int:
    with runtime.unit_of_work() as uow:
        return sum(1 for m in uow.outbox.listing("pending", 1000) if m.template == template)


def test_the_sweep_reports_each_reminder_and_warning_it_queued_and_none_twice(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    registered(runtime, 1)

    clock.set(at("2026-11-01"))
    warned, warned_again = run_renewal_sweep(runtime), run_renewal_sweep(runtime)
    clock.set(at("2030-07-08"))
    reminded, reminded_again = run_renewal_sweep(runtime), run_renewal_sweep(runtime)

    assert warned.cpd_warnings == _queued(runtime, "certificate.cpd_shortfall") == 1
    assert reminded.reminders == _queued(runtime, "certificate.renewal_reminder") == 1
    assert warned_again.cpd_warnings == 0 and reminded_again.reminders == 0
