"""`capeval cpd plan`: a society's yearly CPD plan (CPD-2024 art. 7; Q&A Q21) or the federation's (Q&A A21),
loaded from a file and listed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from .main import AppContext, pass_app
from .output import emit_json, emit_table

SOCIETY_OPTION = click.option("--society", "society_code", help="The society's code (or --federation).")
FEDERATION_OPTION = click.option(
    "--federation", is_flag=True, help="The federation's plan (Q&A A21); its items are cited as federation:<id>."
)
COLUMNS = ["year", "item_id", "kind", "hours", "title"]


@click.group("plan")
def command() -> None:
    """The CPD plans per year, a society's or the federation's: items an activity may cite with `plan_item`
    (CPD-2024 art. 7; Q&A A21)."""


@command.command("load")
@click.argument("path", type=click.Path(path_type=Path))
@SOCIETY_OPTION
@FEDERATION_OPTION
@click.option(
    "--actor", required=True, help="Who loads it (the society's workgroup or administrator; the secretariat)."
)
@pass_app
def load(app: AppContext, path: Path, society_code: str | None, federation: bool, actor: str) -> None:
    """Load a plan file (.toml or .json: `year`, then `item` entries with id, title, kind, hours)."""
    from capeval.services import cpd_plans

    if _federation_plan(society_code, federation):
        done = cpd_plans.load_federation_plan(app.runtime, path, actor)
    else:
        assert society_code is not None
        done = cpd_plans.load_plan(app.runtime, society_code, path, actor)
    click.echo(f"{done.society} CPD plan {done.year}: {done.added} items added, {done.changed} changed")


@command.command("list")
@SOCIETY_OPTION
@FEDERATION_OPTION
@click.option("--year", type=int, help="One year's plan (default: every year's).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: AppContext, society_code: str | None, federation: bool, year: int | None, as_json: bool) -> None:
    """The items of the society's or the federation's plans, by year and id."""
    from capeval.services import cpd_plans

    if _federation_plan(society_code, federation):
        items = cpd_plans.federation_plan_items(app.runtime, year)
    else:
        assert society_code is not None
        items = cpd_plans.plan_items(app.runtime, society_code, year)
    rows = [dataclasses.asdict(item) for item in items]
    if as_json:
        emit_json(rows)
        return
    emit_table(rows, COLUMNS)


def _federation_plan(society_code: str | None, federation: bool) -> bool:
    """Whether the command is about the federation's plan; exactly one of --society and --federation."""
    if federation == (society_code is not None):
        raise click.UsageError("give either --society CODE (a society's plan) or --federation (the federation's)")
    return federation
