"""`capeval db`: make a new database, see where one stands, bring one to the current schema."""

from __future__ import annotations

import dataclasses

import click

from capeval.services.bootstrap import DatabaseState, database_status, init_database, upgrade_database

from .main import AppContext, pass_app
from .output import emit_json


@click.group("db")
def command() -> None:
    """The database: every other command needs one at the current schema."""


@command.command("init")
@click.option(
    "--simulation",
    is_flag=True,
    help="Mark the database as a simulation: only then may --now or CAPEVAL_NOW set its clock.",
)
@pass_app
def init(app: AppContext, simulation: bool) -> None:
    """Create a new database at the current schema (with the bundled holiday schedules and fields)."""
    state = init_database(app.settings, simulation=simulation)
    click.echo(f"created {state.url} at schema {state.current}" + (" as a simulation" if state.simulation else ""))


@command.command("upgrade")
@pass_app
def upgrade(app: AppContext) -> None:
    """Migrate an existing database to the current schema; does nothing when it is there already."""
    before, state = upgrade_database(app.settings)
    if before == state.current:
        click.echo(f"{state.url} is already at the current schema {state.current}")
    else:
        click.echo(f"upgraded {state.url} from schema {before or 'none'} to {state.current}")


@command.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Whether the database exists and is at the current schema (exit code 1 when it is not)."""
    state = database_status(app.settings)
    if as_json:
        emit_json({**dataclasses.asdict(state), "up_to_date": state.up_to_date})
    else:
        click.echo(_describe(state))
    if not state.up_to_date:
        raise click.exceptions.Exit(1)


def _describe(state: DatabaseState) -> str:
    if not state.exists:
        return f"{state.url}: does not exist; create it with 'capeval db init'"
    if not state.up_to_date:
        return (
            f"{state.url}: at schema {state.current or 'none'}, not the current {state.head}; run 'capeval db upgrade'"
        )
    kind = "a simulation (its clock may be set)" if state.simulation else "its clock is the real one"
    return f"{state.url}: at the current schema {state.current}; {kind}"
