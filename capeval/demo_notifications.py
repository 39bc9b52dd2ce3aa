"""The main job's notification scenes: the reminder sweep and the outbox dispatch, both as Prefect flows.

Every message the demo queued is written as an `.eml` file (open it with any mail program) to the `mail`
folder next to the demo's database.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url


def mail_folder(demo: Any) -> Path:
    """`<out>/mail`, next to the demo's SQLite database."""
    database = make_url(demo.database_url).database
    return Path(database or ".").parent / "mail"


def run_reminders(demo: Any) -> dict[str, Any]:
    """Run the reminder-sweep flow as of the demo's clock and say what it queued."""
    from capeval.flows.reminder_sweep import reminder_sweep

    report = reminder_sweep(demo.database_url, as_of=demo.clock.now().isoformat())
    demo.say(
        f"reminder sweep (Prefect flow): {report['warnings_due']} deadlines within "
        f"{demo.runtime.policy.lapse_warning_working_days} working days, {report['warnings_queued']} lapse warnings "
        f"and {report['digests_queued']} workgroup digests queued"
    )
    return report


def run_dispatch(demo: Any) -> dict[str, Any]:
    """Run the outbox-dispatch flow as of the demo's clock, writing `.eml` files, and say what it sent."""
    from capeval.flows.outbox_dispatch import outbox_dispatch

    folder = mail_folder(demo)
    report = outbox_dispatch(demo.database_url, as_of=demo.clock.now().isoformat(), mail_dir=str(folder))
    from capeval.models.outbox_queue import OutboxQueue

    with demo.runtime.unit_of_work() as uow:
        sent = list(OutboxQueue(uow.session).listing("sent", 100_000))
    kinds = Counter(row.template.split(".")[0] for row in sent)
    demo.say(
        f"outbox dispatch (Prefect flow): {report['sent']} emails written to {folder} in {report['batches']} batch(es) "
        f"({report['retrying']} to retry, {report['dead']} dead-lettered); all sent so far: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    )
    return report


def run_scene(demo: Any) -> None:
    """The reminder sweep, then every queued message sent as an `.eml` file into `<out>/mail`."""
    run_reminders(demo)
    run_dispatch(demo)
    example = example_email(demo, "application.register") or example_email(demo, "application.submit")
    if example is not None:
        demo.say(f"open any of them in a mail program, e.g. {example}")


def example_email(demo: Any, template: str) -> Path | None:
    """The `.eml` file of the first sent message of `template`, if there is one."""
    from capeval.models.outbox_queue import OutboxQueue
    from capeval.notifications.message import MailIdentity
    from capeval.states.delivery import message_id

    with demo.runtime.unit_of_work() as uow:
        rows = [row for row in OutboxQueue(uow.session).listing("sent", 100_000) if row.template == template]
    if not rows:
        return None
    stem = message_id(rows[0].dedupe_key, MailIdentity.from_env().domain)[1:].split("@")[0]
    path = mail_folder(demo) / f"{stem}.eml"
    return path if path.is_file() else None
