"""`capeval notify`: the message templates, previewed with sample data, and the reminder sweep."""

from __future__ import annotations

from pathlib import Path

import click

from capeval.notifications.rendering import LANGUAGES, render, template_names
from capeval.notifications.samples import sample_context
from capeval.services.documents import read_document
from capeval.states.errors import InputError

from .main import AppContext, pass_app
from .output import emit_json


@click.group("notify")
def command() -> None:
    """Message templates and reminders."""


@command.command("templates")
def list_templates() -> None:
    """Every message template, one per line."""
    for name in template_names():
        click.echo(name)


@command.command("preview")
@click.argument("template")
@click.option("--language", default="zh-CN", show_default=True, help="zh-CN or en.")
@click.option("--html", "as_html", is_flag=True, help="Print the HTML body instead of the plain text.")
@click.option(
    "--context",
    "context_file",
    type=click.Path(path_type=Path),
    help="JSON or TOML file with the context (default: the template's sample data).",
)
def preview(template: str, language: str, as_html: bool, context_file: Path | None) -> None:
    """Render TEMPLATE with its sample data (or --context) and print the subject and body."""
    if language not in LANGUAGES:
        raise InputError("cli_language_unknown", choices=list(LANGUAGES), language=language)
    if template not in template_names():
        raise InputError("template_unknown", template=template)
    context = read_document(context_file) if context_file else sample_context(template)
    message = render(template, language, context)
    click.echo(f"Subject: {message.subject}")
    click.echo("")
    click.echo(message.html if as_html else message.text, nl=False)


@command.command("sweep")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def sweep(app: AppContext, batch_size: int, as_json: bool) -> None:
    """Queue today's lapse warnings and workgroup digests (what the reminder-sweep flow runs)."""
    from capeval.services.reminders import sweep_reminders

    report = sweep_reminders(app.runtime, batch_size=batch_size)
    if as_json:
        emit_json(report)
        return
    click.echo(
        f"as of {report.as_of}: {report.warnings_queued} lapse warnings queued ({report.warnings_due} deadlines near), "
        f"{report.digests_queued} digests queued"
    )
