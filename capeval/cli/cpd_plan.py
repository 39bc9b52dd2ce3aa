"""`capeval cpd plan`: a society's yearly CPD plan (CPD-2024 art. 7; Q&A Q21), loaded from a file and listed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from .main import AppContext, pass_app
from .output import emit_json, emit_table

SOCIETY_OPTION = click.option("--society", "society_code", required=True, help="The society's code.")
COLUMNS = ["year", "item_id", "kind", "hours", "title"]


@click.group("plan")
def command() -> None:
    """The society's CPD plan per year: items an activity may cite with `plan_item` (CPD-2024 art. 7)."""


@command.command("load")
@click.argument("path", type=click.Path(path_type=Path))
@SOCIETY_OPTION
@click.option("--actor", required=True, help="Who loads it (the society's workgroup or administrator).")
@pass_app
def load(app: AppContext, path: Path, society_code: str, actor: str) -> None:
    """Load a plan file (.toml or .json: `year`, then `item` entries with id, title, kind, hours)."""
    from capeval.services import cpd_plans

    done = cpd_plans.load_plan(app.runtime, society_code, path, actor)
    click.echo(f"{done.society} CPD plan {done.year}: {done.added} items added, {done.changed} changed")


@command.command("list")
@SOCIETY_OPTION
@click.option("--year", type=int, help="One year's plan (default: every year's).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: AppContext, society_code: str, year: int | None, as_json: bool) -> None:
    """The items of the society's plans, by year and id."""
    from capeval.services import cpd_plans

    rows = [dataclasses.asdict(item) for item in cpd_plans.plan_items(app.runtime, society_code, year)]
    if as_json:
        emit_json(rows)
        return
    emit_table(rows, COLUMNS)
