"""`capeval outbox`: what operators do with messages: list them, retry dead ones, dispatch by hand."""

from __future__ import annotations

import click

from capeval.services.queries import OUTBOX_STATUSES as STATUSES
from capeval.states.delivery import message_id
from capeval.states.errors import InputError

from .main import AppContext, pass_app
from .output import emit_json, emit_table


@click.group("outbox")
def command() -> None:
    """Messages queued for people: list, retry, dispatch."""


@command.command("list")
@click.option("--status", help=f"Only messages in this status: {', '.join(STATUSES)}.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_messages(app: AppContext, status: str | None, limit: int, as_json: bool) -> None:
    """Messages oldest first; `--status dead` lists the dead-lettered ones waiting for an operator."""
    if status is not None and status not in STATUSES:
        raise InputError("cli_outbox_status_unknown", choices=list(STATUSES), status=status)
    from capeval.services.references import outbox_listing

    domain = app.runtime.mail_identity.domain
    rows = [
        {
            "id": item.row.id,
            "status": item.row.status,
            "template": item.row.template,
            "to": item.recipient,
            "subject": item.subject,
            "reference": item.reference,
            "language": item.row.language,
            "attempts": item.row.attempts,
            "next_attempt_at": item.row.next_attempt_at.isoformat(timespec="seconds"),
            "sent_at": item.row.sent_at.isoformat(timespec="seconds") if item.row.sent_at else None,
            "message_id": message_id(item.row.dedupe_key, domain),
            "last_error": item.row.last_error,
        }
        for item in outbox_listing(app.runtime, status, limit)
    ]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "status", "to", "subject", "reference", "attempts", "last_error"])


@command.command("retry")
@click.argument("message_id", type=int, metavar="ID")
@pass_app
def retry(app: AppContext, message_id: int) -> None:
    """Queue a dead message again, due now, with its attempts counted afresh."""
    from capeval.notifications.dispatch import retry_message

    row = retry_message(app.runtime, message_id)
    click.echo(f"message {row.id} ({row.template} to {row.recipient_email}) is pending again")


@command.command("dispatch")
@click.option("--mail-dir", metavar="DIR", help="Write .eml files here instead of sending by SMTP (CAPEVAL_SMTP_*).")
@click.option("--batch-size", type=click.IntRange(min=1), help="Messages per batch (default from the policy).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def dispatch(app: AppContext, mail_dir: str | None, batch_size: int | None, as_json: bool) -> None:
    """Send every due message now, without Prefect (the outbox-dispatch flow does the same on a schedule)."""
    import dataclasses

    from capeval.notifications.dispatch import dispatch_due
    from capeval.notifications.transport import sender_factory

    runtime = app.runtime
    policy = runtime.policies.delivery
    if batch_size is not None:
        policy = dataclasses.replace(policy, batch_size=batch_size)
    make_sender = sender_factory(mail_dir, runtime.mail_route)
    report = dispatch_due(runtime, make_sender, policy=policy, identity=runtime.mail_identity)
    if as_json:
        emit_json(report)
        return
    extra = "".join(
        f", {count} {what}"
        for count, what in ((report.lost, "taken over by another dispatcher"), (report.released, "given back"))
        if count
    )
    click.echo(
        f"{report.sent} sent, {report.retrying} to retry, {report.dead} dead-lettered "
        f"({report.claimed} claimed in {report.batches} batches{extra})"
    )
