"""`capeval society batch`: a society's evaluation batches (Q&A Q19), open, close and list."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import click

from .main import AppContext, pass_app
from .output import emit_json, emit_table

if TYPE_CHECKING:
    from capeval.services.batches import BatchLine

DAY = click.DateTime(["%Y-%m-%d"])
SOCIETY_OPTION = click.option("--society", "society_code", required=True, help="The society's code.")
ACTOR_OPTION = click.option("--actor", required=True, help="Who declares (the society's workgroup or administrator).")
COLUMNS = ["name", "opens_on", "closes_on", "open_today", "declared_by"]


@click.group("batch")
def command() -> None:
    """The society's evaluation batches: a new application is taken only into a batch open that day (Q&A Q19)."""


@command.command("open")
@click.argument("name")
@SOCIETY_OPTION
@click.option("--from", "opens_on", type=DAY, required=True, help="First day the batch takes applications.")
@click.option("--until", "closes_on", type=DAY, required=True, help="Last day the batch takes applications.")
@ACTOR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def open_(
    app: AppContext, name: str, society_code: str, opens_on: datetime, closes_on: datetime, actor: str, as_json: bool
) -> None:
    """Declare the batch NAME with the days it takes applications."""
    from capeval.services import batches

    line = batches.open_batch(app.runtime, society_code, name, opens_on.date(), closes_on.date(), actor)
    _show([line], as_json)


@command.command("close")
@click.argument("name")
@SOCIETY_OPTION
@click.option("--on", "on", type=DAY, required=True, help="The batch's new last day of taking applications.")
@ACTOR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def close(app: AppContext, name: str, society_code: str, on: datetime, actor: str, as_json: bool) -> None:
    """Close the batch NAME on a day (early, or later than declared)."""
    from capeval.services import batches

    _show([batches.close_batch(app.runtime, society_code, name, on.date(), actor)], as_json)


@command.command("list")
@SOCIETY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: AppContext, society_code: str, as_json: bool) -> None:
    """The society's batches by opening day; none declared means the society does not use batches."""
    from capeval.services import batches

    _show(batches.list_batches(app.runtime, society_code), as_json)


def _show(lines: Sequence[BatchLine], as_json: bool) -> None:
    rows = [dataclasses.asdict(line) for line in lines]
    if as_json:
        emit_json(rows)
        return
    emit_table(rows, COLUMNS)
