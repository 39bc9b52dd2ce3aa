"""`capeval rules`: the rules in force, each with its source."""

from __future__ import annotations

import click

from .main import AppContext, pass_app
from .output import emit_json, emit_table


@click.group("rules")
def command() -> None:
    """The rules taken from the sources, and checks against them."""


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_rules(app: AppContext, as_json: bool) -> None:
    """Every configurable rule with its value and the article it comes from."""
    rows = app.settings.policy().describe()
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["rule", "value", "source", "meaning"])
