"""`capeval db`: make a new database, see where one stands, bring one to the current schema, check its
histories, and print the privileges of the role the application connects as."""

from __future__ import annotations

import dataclasses

import click

from capeval.services.bootstrap import DatabaseState, database_status, init_database, upgrade_database
from capeval.services.database_roles import role_grants
from capeval.services.history_audit import verify_histories

from .errors import CLI_WORDING
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


@command.command("verify")
@pass_app
def verify(app: AppContext) -> None:
    """Replay every history and name each record whose stage or version it cannot explain (exit code 2 if any).

    Also names a history table that lost its append-only triggers, a missing trigger of the kept counts by
    stage, and a kept count by stage that is not the number of its cases.
    """
    result = verify_histories(app.runtime)
    for problem in result.findings:
        click.echo(problem.text(app.language, CLI_WORDING))
    counted = ", ".join(f"{count} {kind}" for kind, count in result.replayed.items())
    click.echo(f"replayed the histories of {counted}: {len(result.findings)} finding(s)")
    if not result.clean:
        raise click.exceptions.Exit(2)


@command.command("grants")
@click.option("--role", required=True, metavar="NAME", help="The PostgreSQL role the application connects as.")
@click.option("--apply", "run", is_flag=True, help="Run them (as the tables' owner) instead of printing.")
@pass_app
def grants(app: AppContext, role: str, run: bool) -> None:
    """The privileges of a role that does not own the tables (PostgreSQL): read and append on every history
    table, read and write on the others, no TRUNCATE; prints them as SQL, or runs them with --apply."""
    statements = role_grants(app.runtime, role, apply=run)
    for statement in statements:
        click.echo(f"{statement};")
    if run:
        click.echo(f"-- granted to {role}: {len(statements)} statement(s) run")


def _describe(state: DatabaseState) -> str:
    if not state.exists:
        return f"{state.url}: does not exist; create it with 'capeval db init'"
    if not state.up_to_date:
        return (
            f"{state.url}: at schema {state.current or 'none'}, not the current {state.head}; run 'capeval db upgrade'"
        )
    kind = "a simulation (its clock may be set)" if state.simulation else "its clock is the real one"
    return f"{state.url}: at the current schema {state.current}; {kind}"
