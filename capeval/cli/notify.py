"""`capeval notify`: the message templates, their variables, previews as a society sends them, the check of a
society's own templates, and the reminder sweep."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from capeval.notifications.compose import Stationery, write
from capeval.notifications.overrides import check_society, overrides_of, template_variables
from capeval.notifications.rendering import LANGUAGES, override_file, template_names
from capeval.notifications.samples import SAMPLE_SOCIETY, sample_context
from capeval.notifications.variables import ENVELOPE_VARIABLES, RULE_NAMES, SENDER_KEYS, message_rules
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


def _known(template: str) -> None:
    if template not in template_names():
        raise InputError("template_unknown", template=template)


@command.command("variables")
@click.argument("template")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def variables(template: str, as_json: bool) -> None:
    """The variables TEMPLATE offers to a society's own version of it (its context and the envelope)."""
    _known(template)
    own = [name for name in template_variables(template) if name not in ENVELOPE_VARIABLES and name != "layout"]
    if as_json:
        emit_json({"context": own, "envelope": ENVELOPE_VARIABLES, "sender": SENDER_KEYS, "rules": RULE_NAMES})
        return
    for name in own:
        click.echo(name)
    for name, what in ENVELOPE_VARIABLES.items():
        click.echo(f"{name}  ({what})")
    click.echo("sender." + ", sender.".join(SENDER_KEYS))
    click.echo("rules." + ", rules.".join(RULE_NAMES))


def _stationery(app: AppContext) -> Stationery:
    identity = dataclasses.replace(app.settings.mail_identity(), rules=message_rules(app.policies))
    return Stationery(identity)


@command.command("preview")
@click.argument("template")
@click.option("--language", default="zh-CN", show_default=True, help="zh-CN or en.")
@click.option(
    "--society",
    metavar="CODE",
    help=f"Write it as this society does (letterhead, own templates); default {SAMPLE_SOCIETY}.",
)
@click.option("--html", "as_html", is_flag=True, help="Print the HTML body instead of the plain text.")
@click.option(
    "--context",
    "context_file",
    type=click.Path(path_type=Path),
    help="JSON or TOML file with the context (default: the template's sample data).",
)
@pass_app
def preview(
    app: AppContext, template: str, language: str, society: str | None, as_html: bool, context_file: Path | None
) -> None:
    """Render TEMPLATE with its sample data (or --context) and print the sender, subject and body."""
    if language not in LANGUAGES:
        raise InputError("cli_language_unknown", choices=list(LANGUAGES), language=language)
    _known(template)
    context = read_document(context_file) if context_file else sample_context(template)
    code = society.upper() if society else SAMPLE_SOCIETY
    message, sender, _ = write(template, language, context, _stationery(app), society=code)
    click.echo(f"From: {sender.name(language)} <{sender.from_address}>")
    if sender.reply_to and sender.reply_to != sender.from_address:
        click.echo(f"Reply-To: {sender.reply_to}")
    click.echo(f"Subject: {message.subject}")
    click.echo("")
    click.echo(message.html if as_html else message.text, nl=False)


@command.command("check")
@click.option("--society", metavar="CODE", required=True, help="The society (or `federation`) to check.")
@pass_app
def check(app: AppContext, society: str) -> None:
    """Check every template of a society's own (CAPEVAL_TEMPLATES_DIR): the first broken one is refused."""
    folder = app.settings.templates_dir
    code = society.upper() if society.lower() != "federation" else "federation"
    if folder is None:
        raise InputError("notify_society_unknown", society=code)
    found = overrides_of(folder, code)
    for template, _, _ in found:
        _known(template)
    for template in template_names():
        for language in LANGUAGES:
            check_society(folder, code, template, language, override_file(folder, code, language, template))
    click.echo(f"{code}: {len(found)} templates of its own, all usable")


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
