"""The `capeval` command: one group, global options, and errors printed on one line."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from capeval.services.runtime import Runtime, open_runtime
from capeval.settings import Settings
from capeval.states.errors import CapevalError
from capeval.states.messages import LANGUAGES

from .errors import error_line

EXIT_REFUSED = 2
LANGUAGE_ENV = "CAPEVAL_LANG"


class CapevalGroup(click.Group):
    """A click group that turns capeval's errors into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CapevalError as error:
            click.echo(error_line(error, _language(ctx)), err=True)
            ctx.exit(EXIT_REFUSED)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("CAPEVAL_DEBUG"):
                raise
            click.echo(f"internal error: {type(error).__name__}: {error} (set CAPEVAL_DEBUG=1 to see where)", err=True)
            ctx.exit(1)


def _language(ctx: click.Context) -> str:
    app = ctx.find_object(AppContext)
    return app.language if app is not None else os.environ.get(LANGUAGE_ENV, "en")


class AppContext:
    """The resolved settings and a runtime opened on first use."""

    def __init__(self, settings: Settings, language: str = "en") -> None:
        self.settings = settings
        self.language = language
        self._runtime: Runtime | None = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = open_runtime(
                self.settings.database_url,
                clock=self.settings.clock(),
                policy=self.settings.policy(),
                governance=self.settings.governance_policy(),
            )
        return self._runtime


pass_app = click.make_pass_decorator(AppContext)


@click.group(cls=CapevalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "database", metavar="URL", help="Database URL (default: $CAPEVAL_DATABASE_URL or sqlite:///capeval.db)."
)
@click.option(
    "--now", metavar="WHEN", help="Act as of this date/time, Asia/Shanghai (default: $CAPEVAL_NOW or the real clock)."
)
@click.option("--policy", metavar="FILE", help="TOML file overriding pipeline rules (default: $CAPEVAL_POLICY_FILE).")
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    envvar=LANGUAGE_ENV,
    default="en",
    show_default=True,
    help="Language of messages and errors ($CAPEVAL_LANG).",
)
@click.version_option(package_name="capeval")
@click.pass_context
def cli(ctx: click.Context, database: str | None, now: str | None, policy: str | None, language: str) -> None:
    """capeval: engineering capability evaluation, registration and CPD."""
    try:
        ctx.obj = AppContext(Settings.resolve(database, now, policy), language)
    except CapevalError as error:
        click.echo(error_line(error, language), err=True)
        ctx.exit(EXIT_REFUSED)


def _register_commands() -> None:
    from . import (
        appeal,
        authorization,
        calendar,
        case,
        certificate,
        cpd,
        demo,
        diagram,
        feedback,
        interview,
        notify,
        outbox,
        register,
        resolution,
        review,
        rules,
        society,
    )

    commands = (calendar, case, review, interview, certificate, register, cpd, notify, outbox)
    for module in (*commands, feedback, appeal, authorization, resolution, demo, diagram, rules, society):
        cli.add_command(module.command)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="capeval", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing half-written (every change is one transaction)", err=True)
        sys.exit(130)
