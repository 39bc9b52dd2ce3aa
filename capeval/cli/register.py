"""`capeval register`: the public register of certificates (Q&A Q31)."""

from __future__ import annotations

import click

from capeval.services.register import lookup as find

from .main import AppContext, pass_app
from .output import emit_json, emit_table


@click.group("register")
def command() -> None:
    """The public register: what anyone may look up about a certificate."""


@command.command("lookup")
@click.option("--number", help="Registration number.")
@click.option("--name", help="Holder's name (with --society).")
@click.option("--society", help="Society code (with --name).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def lookup(app: AppContext, number: str | None, name: str | None, society: str | None, as_json: bool) -> None:
    """Name, level, field, society, validity and status; never ID numbers, contacts or evidence."""
    entries = find(app.runtime, number=number, name=name, society=society)
    if as_json:
        emit_json([entry.as_dict() for entry in entries])
        return
    for entry in entries:
        click.echo(
            f"{entry.registration_number}  {entry.name}  {entry.level}  {entry.field}  "
            f"{entry.society} ({entry.society_name})  valid {entry.issued_on.isoformat()} to "
            f"{entry.expires_on.isoformat()}  status {entry.status}"
            + (f"  superseded by {entry.superseded_by}" if entry.superseded_by else "")
        )
        emit_table(
            [
                {"effective_on": c.effective_on, "change": c.change, "status": c.status, "reason": c.reason}
                for c in entry.changes
            ],
            ["effective_on", "change", "status", "reason"],
        )
