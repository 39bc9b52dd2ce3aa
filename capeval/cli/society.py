"""`capeval society`: load a directory file, and change who holds which role."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import click

from capeval.services import roles
from capeval.services.directory import load_directory
from capeval.services.documents import read_document
from capeval.services.operators import operator_checked
from capeval.services.society_people import MAX_PAGE, society_people
from capeval.states.governance import Body
from capeval.states.messages import render_message

from .batches import command as batch_command
from .main import AppContext, pass_app
from .output import emit_json, emit_table

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
ACTOR_OPTION = click.option("--actor", required=True, help="The administrator making the change (username).")
BODIES = click.Choice([body.value for body in Body])
COLUMNS = ["username", "name", "role", "society", "starts_on", "ends_on", "position"]


@click.group("society")
def command() -> None:
    """Societies, their authorized fields, staff, examiners and members; the federation's bodies."""


command.add_command(batch_command)


@command.command("load")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--actor",
    help="The federation administrator who loads it (username); needed once the database has an administrator.",
)
@pass_app
def load(app: AppContext, path: Path, actor: str | None) -> None:
    """Store or update a society (or the federation's staff and committees) from a directory file (see README).

    Only a federation administrator (--actor) loads directory files; while the database has no administrator
    yet (a fresh installation), the first file is loaded without one."""
    operator_checked(app.runtime, actor)
    document = read_document(path)
    report = load_directory(app.runtime, document, origin=str(path))
    click.echo(
        f"{report.society}: {report.authorizations} authorized fields, {report.workgroup} workgroup, "
        f"{report.examiners} examiners, {report.members} members, {report.staff} staff, "
        f"{report.seats} committee seats, {report.batches} evaluation batches"
    )


def _show(lines: list[roles.RoleLine], as_json: bool) -> None:
    if as_json:
        emit_json(lines)
    else:
        emit_table([dataclasses.asdict(line) for line in lines], COLUMNS)


@command.command("grant")
@click.argument("username")
@click.argument("role")
@click.option("--society", "society_code", metavar="CODE", help="The society, for a society role.")
@ACTOR_OPTION
@pass_app
def grant(app: AppContext, username: str, role: str, society_code: str | None, actor: str) -> None:
    """Give a person a staff role (workgroup, society_administrator, secretariat, administrator)."""
    line = roles.grant_role(app.runtime, username, roles.staff_role(role), society_code, actor)
    click.echo(f"{line.username} ({line.name}) now holds {line.role}{' of ' + line.society if line.society else ''}")


@command.command("withdraw")
@click.argument("username")
@click.argument("role")
@click.option("--society", "society_code", metavar="CODE", help="The society, for a society role.")
@ACTOR_OPTION
@pass_app
def withdraw(app: AppContext, username: str, role: str, society_code: str | None, actor: str) -> None:
    """Take a staff role from a person."""
    line = roles.withdraw_role(app.runtime, username, roles.staff_role(role), society_code, actor)
    click.echo(f"{line.username} ({line.name}) no longer holds {line.role}")


@command.command("seat")
@click.argument("body", type=BODIES)
@click.argument("username")
@click.option("--from", "starts_on", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day of the term.")
@click.option("--until", "ends_on", type=click.DateTime(["%Y-%m-%d"]), help="Last day of the term.")
@click.option("--position", default="member", show_default=True, help="chair, vice_chair or member.")
@ACTOR_OPTION
@pass_app
def seat(
    app: AppContext, body: str, username: str, starts_on: datetime, ends_on: datetime | None, position: str, actor: str
) -> None:
    """Seat a person on a federation body for a term."""
    line = roles.seat(app.runtime, body, username, _day(starts_on), _optional_day(ends_on), position, actor)
    until = line.ends_on.isoformat() if line.ends_on else "open"
    click.echo(f"{line.username} ({line.name}) sits on {line.role} from {line.starts_on} until {until}")


@command.command("end-term")
@click.argument("body", type=BODIES)
@click.argument("username")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), required=True, help="The last day they sit.")
@ACTOR_OPTION
@pass_app
def end_term(app: AppContext, body: str, username: str, on: datetime, actor: str) -> None:
    """End a person's current term on a body."""
    line = roles.end_term(app.runtime, body, username, _day(on), actor)
    click.echo(f"{line.username} ({line.name}) sits on {line.role} until {line.ends_on}")


@command.command("roster")
@click.argument("body", type=BODIES)
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="The day (default: today).")
@JSON_OPTION
@pass_app
def roster(app: AppContext, body: str, on: datetime | None, as_json: bool) -> None:
    """The members of a body on a day: the roster a quorum is counted against."""
    _show(roles.roster(app.runtime, body, _optional_day(on)), as_json)


@command.command("whois")
@click.argument("who")
@JSON_OPTION
@pass_app
def whois(app: AppContext, who: str, as_json: bool) -> None:
    """The staff roles and committee seats of a person (by username or name)."""
    _show(roles.roles_of(app.runtime, who), as_json)


@command.command("people")
@click.argument("society_code", metavar="SOCIETY")
@click.option("--limit", type=click.IntRange(1, MAX_PAGE), default=50, show_default=True, help="People per page.")
@click.option("--after", type=int, default=0, metavar="ID", help="The next page: people after this person id.")
@JSON_OPTION
@pass_app
def people(app: AppContext, society_code: str, limit: int, after: int, as_json: bool) -> None:
    """The people of a society by their roles: workgroup and administrator, examiners with fields, members."""
    page = society_people(app.runtime, society_code, limit, after)
    if as_json:
        emit_json(page)
        return
    lines = [
        {
            "id": row.person_id,
            "username": row.username,
            "name": row.name,
            "staff": ", ".join(row.staff_roles),
            "examiner": ", ".join(
                f"{f.field} ({f.level}{'' if f.active else ', inactive'})" for f in row.examiner_fields
            ),
            "member": row.membership,
        }
        for row in page.rows
    ]
    emit_table(lines, ["id", "username", "name", "staff", "examiner", "member"])
    if page.next_after is not None:
        click.echo(render_message("society_people_more", {"after": page.next_after}, app.language))


def _day(value: datetime) -> date:
    return value.date()


def _optional_day(value: datetime | None) -> date | None:
    return None if value is None else value.date()
