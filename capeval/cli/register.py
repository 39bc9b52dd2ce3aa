"""`capeval register`: the public register of certificates (Q&A Q31)."""

from __future__ import annotations

import click

from capeval.services.register_search import (
    MAX_PAGE,
    change_label,
    register_labels,
    search_register,
    status_label,
)
from capeval.states.messages import render_message

from .main import AppContext, pass_app
from .output import emit_json


@click.group("register")
def command() -> None:
    """The public register: what anyone may look up about a certificate."""


@command.command("lookup")
@click.option("--number", help="Registration number.")
@click.option("--name", help="The holder's name, or any part of it.")
@click.option("--society", help="Only this society (its code).")
@click.option("--field", help="Only this engineering field (its code).")
@click.option("--limit", type=click.IntRange(1, MAX_PAGE), default=20, show_default=True, help="Entries per page.")
@click.option("--after", metavar="NUMBER", help="The next page: entries after this registration number.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def lookup(
    app: AppContext,
    number: str | None,
    name: str | None,
    society: str | None,
    field: str | None,
    limit: int,
    after: str | None,
    as_json: bool,
) -> None:
    """Name, level, field, society, validity and status; never ID numbers, contacts, evidence or reasons."""
    page = search_register(app.runtime, name, number, society, field, limit, after)
    if as_json:
        emit_json(page.rows)
        return
    language = app.language
    if not page.rows:
        click.echo(render_message("register_nothing_found", {}, language))
    for row in page.rows:
        labels = register_labels(row, language)
        superseded = f"  -> {row.superseded_by}" if row.superseded_by else ""
        click.echo(
            f"{row.registration_number}  {row.name}  {labels['level']}  {labels['field']} ({row.field})  "
            f"{labels['society']} ({row.society})  {row.valid_from.isoformat()} ~ {row.expires_on.isoformat()}  "
            f"{labels['status']}{superseded}"
        )
        for change in row.changes:
            click.echo(
                f"    {change.effective_on.isoformat()}  {change_label(change.change, language)}"
                f"  -> {status_label(change.status, language)}"
            )
    if page.next_after:
        click.echo(render_message("register_more", {"after": page.next_after}, language))
