"""`capeval account`: console passwords and API tokens."""

from __future__ import annotations

import sys

import click

from capeval.services import accounts
from capeval.states.errors import InputError

from .main import AppContext, pass_app


@click.group("account")
def command() -> None:
    """Console passwords and API tokens."""


@command.command("set-password")
@click.argument("username")
@click.option(
    "--actor",
    help="The federation administrator who sets it (username); needed once the database has an administrator.",
)
@pass_app
def set_password(app: AppContext, username: str, actor: str | None) -> None:
    """Set USERNAME's console password, read from the first line of standard input.

    Only a federation administrator (--actor) sets passwords; while the database has no administrator yet
    (a fresh installation), the first passwords are set without one."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("account_password_empty")
    who = accounts.set_password_as(app.runtime, username, line, actor)
    click.echo(f"password set for {who}; their open sessions have ended")


@command.command("issue-token")
@click.argument("username")
@click.option("--actor", required=True, help="The federation administrator who issues it.")
@click.option("--label", default="", help="What the token is for (shown to administrators).")
@pass_app
def issue_token(app: AppContext, username: str, actor: str, label: str) -> None:
    """Issue a long-lived API token for USERNAME and print it once (only its digest is stored)."""
    click.echo(accounts.issue_api_token(app.runtime, username, actor, label))
