"""Printing the outcome and the record of a governance case."""

from __future__ import annotations

from typing import Any

import click

from capeval.services.governance_steps import GovernanceOutcome

from .output import emit_json, emit_table

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def report_outcome(outcome: GovernanceOutcome, as_json: bool) -> None:
    """One line for people (reference, stage move, next due date, details), or JSON."""
    if as_json:
        emit_json(outcome)
        return
    moved = f"{outcome.previous_stage} -> {outcome.stage}" if outcome.previous_stage else outcome.stage
    due = f", next step due {outcome.due_on.isoformat()}" if outcome.due_on else ""
    if outcome.due_on and outcome.due_provisional:
        due += f" 暂定 provisional ({outcome.due_basis})"
    click.echo(f"{outcome.kind} {outcome.reference}: {moved}{due}")
    for key, value in outcome.detail.items():
        if value not in (None, "", []):
            click.echo(f"  {key}: {value}")


def report_record(record: dict[str, Any], as_json: bool) -> None:
    """A case record: its fields, then its history as a table."""
    if as_json:
        emit_json(record)
        return
    for key, value in record.items():
        if key != "history" and value not in (None, "", []):
            click.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    if record.get("history"):
        click.echo("")
        emit_table(record["history"], ["at", "from", "to", "action", "actor", "reason"])
