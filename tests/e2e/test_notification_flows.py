"""The reminder-sweep and outbox-dispatch flows under Prefect: counts, re-runs, and runs killed part-way."""

from __future__ import annotations

from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest
from prefect import task
from prefect.cache_policies import NO_CACHE

from capeval.flows import outbox_dispatch as dispatch_module
from capeval.flows import reminder_sweep as reminder_module
from capeval.flows.outbox_dispatch import outbox_dispatch
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.flows.reminder_sweep import reminder_sweep
from capeval.models import OutboxMessage
from capeval.notifications.files import FileSender
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..integration.test_handlers import rows
from ..runtimes import new_runtime


@pytest.fixture
def world(tmp_path: Path) -> tuple[str, Runtime, list[int]]:
    """Six submitted cases on SQLite; four returned on 2026-09-25 (due 2026-10-15)."""
    url = f"sqlite:///{tmp_path / 'flows.db'}"
    clock = FixedClock(at("2026-01-05"))
    runtime = new_runtime(url, clock=clock)
    load_society(runtime, members=[1, 2, 3, 4, 5, 6])
    cases = [submitted_case(runtime, serial) for serial in range(1, 7)]
    clock.set(at("2026-09-25"))
    for case_id in cases[:4]:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "材料不全")
    yield url, runtime, cases
    runtime.engine.dispose()


def statuses(runtime: Runtime) -> Counter[str]:
    return Counter(row.status for row in rows(runtime, OutboxMessage))


def test_the_sweep_and_dispatch_flows_queue_and_send_each_email_once_across_reruns(
    world: tuple[str, Runtime, list[int]], tmp_path: Path
) -> None:
    url, runtime, _ = world
    mail = tmp_path / "mail"
    with fast_flow_runs():
        sweep = reminder_sweep(url, as_of="2026-10-13T08:00", batch_size=2)
        sweep_again = reminder_sweep(url, as_of="2026-10-13T08:30", batch_size=2)
        sent = outbox_dispatch(url, as_of="2026-10-13T09:00", mail_dir=str(mail), batch_size=5)
        sent_again = outbox_dispatch(url, as_of="2026-10-13T09:05", mail_dir=str(mail), batch_size=5)

    assert (sweep["warnings_queued"], sweep["warning_batches"], sweep["digests_queued"]) == (4, 2, 1)
    assert (sweep_again["warnings_queued"], sweep_again["digests_queued"]) == (0, 0)
    total = 6 + 4 + 4 + 1  # submit notices, return notices, lapse warnings, the digest
    assert (sent["sent"], sent["batches"], sent_again["claimed"]) == (total, 3, 0)
    assert statuses(runtime) == {"sent": total}
    assert len(list(mail.glob("*.eml"))) == total


def test_a_reminder_sweep_killed_at_its_second_batch_and_run_again_queues_each_warning_once(
    world: tuple[str, Runtime, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, runtime, cases = world
    calls = []

    @task(name="lapse-warning-batch", retries=0, cache_policy=NO_CACHE)
    def dies_at_second_batch(runtime_: Runtime, batch: list) -> int:  # type: ignore[type-arg]
        calls.append(batch)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return reminder_module.queue_lapse_warnings(runtime_, batch)

    with fast_flow_runs():
        monkeypatch.setattr(reminder_module, "lapse_warning_batch", dies_at_second_batch)
        with pytest.raises(RuntimeError, match="worker killed"):
            reminder_sweep(url, as_of="2026-10-13T08:00", batch_size=1)
        monkeypatch.undo()
        rerun = reminder_sweep(url, as_of="2026-10-13T08:30", batch_size=1)

    warnings = [row for row in rows(runtime, OutboxMessage) if row.template == "application.lapse_warning"]
    assert rerun["warnings_queued"] == 3 and rerun["warnings_due"] == 4
    assert sorted(row.application_id for row in warnings) == cases[:4]


class DiesAfterAccepting(FileSender):
    """Writes the email, then the process 'dies' before it can be marked sent, at the n-th send overall."""

    sends: Counter[str] = Counter()
    die_at: int | None = None

    def send(self, email: EmailMessage) -> None:
        super().send(email)
        DiesAfterAccepting.sends[str(email["Message-ID"])] += 1
        if sum(DiesAfterAccepting.sends.values()) == DiesAfterAccepting.die_at:
            raise RuntimeError("dispatcher killed between the accept and the commit")


def test_a_dispatch_killed_between_accept_and_commit_resends_only_that_email_after_the_lease(
    world: tuple[str, Runtime, list[int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, runtime, _ = world
    mail = tmp_path / "mail"
    DiesAfterAccepting.sends, DiesAfterAccepting.die_at = Counter(), 3
    monkeypatch.setattr(dispatch_module, "sender_factory", lambda _dir, _route: lambda: DiesAfterAccepting(mail))
    monkeypatch.setattr(
        dispatch_module, "dispatch_batch_task", dispatch_module.dispatch_batch_task.with_options(retries=0)
    )
    with fast_flow_runs():
        with pytest.raises(RuntimeError, match="killed"):
            outbox_dispatch(url, as_of="2026-10-13T09:00", batch_size=4)
        during_lease = outbox_dispatch(url, as_of="2026-10-13T09:02", batch_size=4)
        after_lease = outbox_dispatch(url, as_of="2026-10-13T09:06", batch_size=4)

    total = 6 + 4
    assert during_lease["claimed"] == total - 4  # the killed batch's claims are still leased
    assert after_lease["sent"] == 2  # the leased two: the one written before the kill and the one never tried
    assert statuses(runtime) == {"sent": total}
    assert len(list(mail.glob("*.eml"))) == total
    resent = [key for key, count in DiesAfterAccepting.sends.items() if count > 1]
    assert len(DiesAfterAccepting.sends) == total and len(resent) == 1
