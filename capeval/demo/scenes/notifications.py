"""The main job's notification scenes: the reminder sweep and the outbox dispatch, both as Prefect flows.

Every message the demo queued is written as an `.eml` file (open it with any mail program) to the `mail`
folder next to the demo's database.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from capeval.services import queries
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock


class Host(Protocol):
    """What the scene needs of the demo."""

    @property
    def runtime(self) -> Runtime: ...

    @property
    def clock(self) -> FixedClock: ...

    @property
    def database_url(self) -> str: ...

    def say(self, text: str) -> None: ...


def mail_folder(demo: Host) -> Path:
    """`<out>/mail`, next to the demo's SQLite database."""
    database = make_url(demo.database_url).database
    return Path(database or ".").parent / "mail"


def run_reminders(demo: Host) -> dict[str, Any]:
    """Run the reminder-sweep flow as of the demo's clock and say what it queued."""
    from capeval.flows.reminder_sweep import reminder_sweep

    report = reminder_sweep(demo.database_url, as_of=demo.clock.now().isoformat())
    demo.say(
        f"reminder sweep (Prefect flow): {report['warnings_due']} deadlines within "
        f"{demo.runtime.policy.lapse_warning_working_days} working days, {report['warnings_queued']} lapse warnings "
        f"and {report['digests_queued']} workgroup digests queued"
    )
    return report


def run_dispatch(demo: Host) -> dict[str, Any]:
    """Run the outbox-dispatch flow as of the demo's clock, writing `.eml` files, and say what it sent."""
    from capeval.flows.outbox_dispatch import outbox_dispatch

    folder = mail_folder(demo)
    report = outbox_dispatch(demo.database_url, as_of=demo.clock.now().isoformat(), mail_dir=str(folder))
    kinds = Counter(message.template.split(".")[0] for message in queries.sent_messages(demo.runtime))
    demo.say(
        f"outbox dispatch (Prefect flow): {report['sent']} emails written to {folder} in {report['batches']} batch(es) "
        f"({report['retrying']} to retry, {report['dead']} dead-lettered); all sent so far: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    )
    return report


def run_scene(demo: Host) -> None:
    """The reminder sweep, then every queued message sent as an `.eml` file into `<out>/mail`."""
    run_reminders(demo)
    run_dispatch(demo)
    example = example_email(demo, "application.register") or example_email(demo, "application.submit")
    if example is not None:
        demo.say(f"open any of them in a mail program, e.g. {example}")


def example_email(demo: Host, template: str) -> Path | None:
    """The `.eml` file of the first sent message of `template`, if there is one."""
    from capeval.states.delivery import message_id

    sent = queries.sent_messages(demo.runtime, template)
    if not sent:
        return None
    stem = message_id(sent[0].dedupe_key, demo.runtime.mail_identity.domain)[1:].split("@")[0]
    path = mail_folder(demo) / f"{stem}.eml"
    return path if path.is_file() else None
