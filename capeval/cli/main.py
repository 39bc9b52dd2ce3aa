"""The `capeval` command: one group, global options, and errors printed on one line."""

from __future__ import annotations

import sys
from typing import Any

import click

from capeval.services.bootstrap import bootstrap, load_policies
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.errors import CapevalError
from capeval.states.messages import LANGUAGES
from capeval.states.policies import Policies

from .errors import error_line

EXIT_REFUSED = 2


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
            app = ctx.find_object(AppContext)
            if app is not None and app.settings.debug:
                raise
            click.echo(f"internal error: {type(error).__name__}: {error} (set CAPEVAL_DEBUG=1 to see where)", err=True)
            ctx.exit(1)


def _language(ctx: click.Context) -> str:
    app = ctx.find_object(AppContext)
    return app.language if app is not None else "en"


class AppContext:
    """The resolved settings, their policies read on first use, and a runtime opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._policies: Policies | None = None
        self._runtime: Runtime | None = None

    @property
    def language(self) -> str:
        return self.settings.lang

    @property
    def policies(self) -> Policies:
        """The rules in force, without opening the database (the `rules` commands need none)."""
        if self._policies is None:
            self._policies = load_policies(self.settings.policy_file)
        return self._policies

    @property
    def runtime(self) -> Runtime:
        """The runtime of these settings, on a database at the current schema (see `capeval db`)."""
        if self._runtime is None:
            self._runtime = bootstrap(self.settings, policies=self.policies)
        return self._runtime


pass_app = click.make_pass_decorator(AppContext)


@click.group(cls=CapevalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "database", metavar="URL", help="Database URL (default: $CAPEVAL_DATABASE_URL or sqlite:///capeval.db)."
)
@click.option(
    "--now",
    metavar="WHEN",
    help="Act as of this date/time, Asia/Shanghai, on a database made with 'db init --simulation' only "
    "(default: $CAPEVAL_NOW or the real clock).",
)
@click.option("--policy", metavar="FILE", help="TOML policy file overriding the rules (default: $CAPEVAL_POLICY_FILE).")
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    help="Language of messages and errors (default: $CAPEVAL_LANG or en).",
)
@click.version_option(package_name="capeval")
@click.pass_context
def cli(ctx: click.Context, database: str | None, now: str | None, policy: str | None, language: str | None) -> None:
    """capeval: engineering capability evaluation, registration and CPD."""
    try:
        settings = Settings.load(database_url=database, now=now, policy_file=policy, lang=language)
    except CapevalError as error:
        click.echo(error_line(error, language or "en"), err=True)
        ctx.exit(EXIT_REFUSED)
    ctx.obj = AppContext(settings)


def _register_commands() -> None:
    from . import (
        appeal,
        authorization,
        calendar,
        case,
        certificate,
        cpd,
        db,
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
        verification,
    )

    commands = (calendar, case, review, interview, certificate, register, cpd, notify, outbox)
    for module in (
        *commands,
        feedback,
        appeal,
        authorization,
        resolution,
        db,
        demo,
        diagram,
        rules,
        society,
        verification,
    ):
        cli.add_command(module.command)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="capeval", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing half-written (every change is one transaction)", err=True)
        sys.exit(130)
