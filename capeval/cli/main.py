"""The `capeval` command: one group, global options, and errors printed on one line."""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from capeval.light_settings import LightSettings
from capeval.states.errors import CapevalError
from capeval.states.messages import LANGUAGES

from . import collector
from .errors import error_line

if TYPE_CHECKING:
    from capeval.services.runtime import Runtime
    from capeval.settings import Settings
    from capeval.states.policies import Policies

EXIT_REFUSED = 2


COMMANDS: dict[str, tuple[str, str]] = {
    "account": ("capeval.cli.account:command", "Console passwords and API tokens."),
    "appeal": ("capeval.cli.appeal:command", "Lodge an appeal, appoint its panel, decide it by resolution."),
    "authorization": ("capeval.cli.authorization:command", "Apply for, review, approve or withdraw a society's authorization for a field."),
    "calendar": ("capeval.cli.calendar:command", "Working days by the State Council holiday schedules (weekends, holidays, 调休)."),
    "case": ("capeval.cli.case:command", "Create, advance and inspect application cases."),
    "certificate": ("capeval.cli.certificate:command", "Certificates: status changes, renewal, CPD exemptions, the federation report, the renewal sweep."),
    "cpd": ("capeval.cli.cpd:command", "Continuing professional development: hours, ledger, reports and the society's policy."),
    "db": ("capeval.cli.db:command", "The database: every other command needs one at the current schema."),
    "documents": ("capeval.cli.documents:command", "The document store: collect the files no row names any more."),
    "demo": ("capeval.cli.demo:command", "Seed a society and twenty applicants and drive them through months of the pipeline."),
    "diagram": ("capeval.cli.diagram:command", "Print WORKFLOW (application by default) as a Mermaid state diagram."),
    "feedback": ("capeval.cli.feedback:command", "File feedback, take it through registration, investigation and answer, look up where it stands."),
    "interview": ("capeval.cli.interview:command", "Interviews of the further assessment (Q&A Q16-Q17)."),
    "notify": ("capeval.cli.notify:command", "Message templates and reminders."),
    "outbox": ("capeval.cli.outbox:command", "Messages queued for people: list, retry, dispatch."),
    "register": ("capeval.cli.register:command", "The public register: what anyone may look up about a certificate."),
    "resolution": ("capeval.cli.resolution:command", "Record resolutions with each member's vote; show them."),
    "review": ("capeval.cli.review:command", "Examiner material review (Q&A Q15, Q19) and committee review (Charter art."),
    "rules": ("capeval.cli.rules:command", "The rules taken from the sources, and checks against them."),
    "society": ("capeval.cli.society:command", "Societies, their authorized fields, staff, examiners and members; the federation's bodies."),
    "sweeps": ("capeval.cli.sweeps:command", "The scheduled sweeps: when each last ran, and which are overdue."),
    "verification": ("capeval.cli.verification:command", "Verification of application facts with the applicant's employer; an open one holds the review round."),
    "web": ("capeval.cli.web:command", "Serve the console (zh-CN first, English on request) and the API under /api/v1."),
}  # fmt: skip
"""Every command group: name -> ("module:attribute", the short help `capeval --help` lists), one line each.

A group's module is imported only when the group runs (or its own help is asked for), so a command pays
for its own imports only; a test holds each short help to the group's docstring.
"""


class CapevalGroup(click.Group):
    """A click group that loads its commands on first use and turns capeval's errors into one line on stderr
    and exit code 2.

    A mistyped option or argument is one line naming the command's help; a database failure becomes its
    coded line (no SQL, no parameters, no password); a reader that stops reading (`capeval case board |
    head -3`) ends the command quietly; anything else is an internal error named by its type alone.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name][0].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            if loaded is not None and loaded.hidden:
                continue
            short = loaded.get_short_help_str(limit) if loaded is not None else _shortened(COMMANDS[name][1], limit)
            rows.append((name, short))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CapevalError as error:
            _refuse(ctx, error)
        except BrokenPipeError:
            _reader_gone()
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "capeval"
            click.echo(f"error: {error.format_message().rstrip('.')}; see '{where} --help'", err=True)
            ctx.exit(EXIT_REFUSED)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            app = ctx.find_object(AppContext)
            if app is not None and app.light.debug:
                raise
            if app is not None:
                from capeval.services.bootstrap import database_error

                coded = database_error(error, app.settings)
                if coded is not None:
                    _refuse(ctx, coded)
            first = (str(error).strip().splitlines() or [""])[0][:200]
            named = f"{type(error).__name__}: {first}" if first else type(error).__name__
            click.echo(f"internal error: {named} (set CAPEVAL_DEBUG=1 to see where)", err=True)
            ctx.exit(1)


def _refuse(ctx: click.Context, error: CapevalError) -> None:
    click.echo(error_line(error, _language(ctx)), err=True)
    ctx.exit(EXIT_REFUSED)


def _reader_gone() -> None:
    """The reader of stdout went away: stop quietly, with nothing more written to the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(0)


def _shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at a word, the way click shortens a docstring's first sentence."""
    return click.Command("", help=text).get_short_help_str(limit)


def _language(ctx: click.Context) -> str:
    app = ctx.find_object(AppContext)
    return app.language if app is not None else "en"


class AppContext:
    """The settings of the command, the full ones and their policies read on first use, and a runtime opened on
    first use.

    `light` holds what every command reads (language, debug switch, policy file, clock, database URL);
    `settings`, the full `Settings` (pydantic), is loaded only by the commands that need more.
    """

    def __init__(self, light: LightSettings, options: dict[str, str | None], settings: Settings | None = None) -> None:
        self.light = light
        self._options = options
        self._settings = settings
        self._policies: Policies | None = None
        self._runtime: Runtime | None = None

    @property
    def language(self) -> str:
        return self.light.lang

    @property
    def settings(self) -> Settings:
        """Every setting, loaded from the same options and environment as `light` on first use."""
        if self._settings is None:
            from capeval.settings import Settings

            self._settings = Settings.load(**self._options)
        return self._settings

    @property
    def policies(self) -> Policies:
        """The rules in force, without opening the database (the `rules` commands need none)."""
        if self._policies is None:
            from capeval.services.policy_file import load_policies

            self._policies = load_policies(self.light.policy_file)
        return self._policies

    @property
    def runtime(self) -> Runtime:
        """The runtime of these settings, on a database at the current schema (see `capeval db`)."""
        if self._runtime is None:
            from capeval.services.bootstrap import bootstrap

            collector.resume()  # before the engine: what is frozen is never finalized, its connections never closed
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
    options = {"database_url": database, "now": now, "policy_file": policy, "lang": language}
    light = LightSettings.read(os.environ, **options)
    if light is not None:
        ctx.obj = AppContext(light, options)
        return
    from capeval.settings import Settings

    try:
        settings = Settings.load(**options)
    except CapevalError as error:
        click.echo(error_line(error, language or "en"), err=True)
        ctx.exit(EXIT_REFUSED)
    light = LightSettings(settings.database_url, settings.now, settings.policy_file, settings.lang, settings.debug)
    ctx.obj = AppContext(light, options, settings)


def main() -> None:
    """Console-script entry point."""
    collector.pause()
    try:
        try:
            cli.main(prog_name="capeval", standalone_mode=True)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except KeyboardInterrupt:
        click.echo("interrupted; nothing half-written (every change is one transaction)", err=True)
        sys.exit(130)
