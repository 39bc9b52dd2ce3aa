"""`capeval register`: the public register of certificates (Q&A Q31)."""

from __future__ import annotations

import click

from capeval.services.public_register import (
    MAX_PAGE,
    PAGE_SIZE,
    RegisterRow,
    change_label,
    register_labels,
    search_register,
    status_label,
)
from capeval.states.messages import render_message

from .main import AppContext, pass_app
from .output import emit_json


def _entry(row: RegisterRow, language: str) -> dict[str, object]:
    changes = [
        {
            "effective_on": c.effective_on,
            "change": change_label(c.change, language),
            "status": status_label(c.status, language),
        }
        for c in row.changes
    ]
    return {
        "registration_number": row.registration_number,
        "name": row.name,
        **register_labels(row, language),
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
        "changes": changes,
    }


@click.group("register")
def command() -> None:
    """The public register: what anyone may look up about a certificate."""


@command.command("lookup")
@click.option("--number", help="Registration number.")
@click.option("--name", help="The holder's name, or any part of it (one character is enough).")
@click.option("--society", help="Only this society (its code).")
@click.option("--field", help="Only this engineering field (its code).")
@click.option(
    "--limit", type=click.IntRange(1, MAX_PAGE), default=PAGE_SIZE, show_default=True, help="Entries per page."
)
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
    page = search_register(
        app.runtime, name=name, number=number, society=society, field=field, limit=limit, after=after
    )
    language = app.language
    if as_json:
        emit_json({"items": [_entry(row, language) for row in page.rows], "next_after": page.next_after})
        return
    if not page.rows:
        click.echo(render_message("register_nothing_found", {}, language))
    for row in page.rows:
        labels = register_labels(row, language)
        click.echo(
            f"{row.registration_number}  {row.name}  {labels['level']}  {labels['field']}  {labels['society']}  "
            f"{row.valid_from.isoformat()} ~ {row.valid_until.isoformat()}  {labels['status']}"
        )
        for change in row.changes:
            click.echo(
                f"    {change.effective_on.isoformat()}  {change_label(change.change, language)}"
                f"  -> {status_label(change.status, language)}"
            )
    if page.next_after:
        click.echo(render_message("register_more", {"after": page.next_after}, language))
