"""`capeval appeal`: appeals to the impartiality committee (Charter art. 11)."""

from __future__ import annotations

import click

from capeval.services.appeals import act_on_appeal, lodge_appeal, show_appeal
from capeval.states.appeals import REOPEN_STAGES, AppealAction, Subject
from capeval.states.governance_commands import ActOnAppeal, LodgeAppeal

from .governance_output import JSON_OPTION, report_outcome, report_record
from .main import AppContext, pass_app
from .references import case_ref


@click.group("appeal")
def command() -> None:
    """Lodge an appeal, appoint its panel, decide it by resolution."""


@command.command("lodge")
@click.option("--actor", required=True, help="The appellant: the person the decision concerns (username or name).")
@click.option("--subject", type=click.Choice([s.value for s in Subject]), required=True)
@click.option("--ground", "grounds", multiple=True, help="A ground of appeal (see 'capeval appeal grounds').")
@click.option("--statement", required=True, help="The appeal explained.")
@click.option("--case", "case_id", type=case_ref, help="The failed evaluation case.")
@click.option("--certificate", "registration_number", help="The certificate (refused renewal, suspension, revocation).")
@JSON_OPTION
@pass_app
def lodge(
    app: AppContext,
    actor: str,
    subject: str,
    grounds: tuple[str, ...],
    statement: str,
    case_id: int | None,
    registration_number: str | None,
    as_json: bool,
) -> None:
    """Lodge an appeal against a recorded decision, within the window from its date, on stated grounds."""
    order = LodgeAppeal(actor, subject, grounds, statement, case_id, registration_number)
    report_outcome(lodge_appeal(app.runtime, order), as_json)


@command.command("grounds")
@pass_app
def grounds(app: AppContext) -> None:
    """The grounds an appeal may state and the decisions that can be appealed (policy)."""
    click.echo("grounds: " + ", ".join(app.runtime.governance.appeal_grounds))
    click.echo("appealable: " + ", ".join(app.runtime.governance.appealable_subjects))


@command.command("act")
@click.argument("reference")
@click.argument("action", type=click.Choice([a.value for a in AppealAction]))
@click.option("--actor", required=True, help="A member of the impartiality committee (username or name).")
@click.option("--reason", default="", help="The reasons of the decision.")
@click.option("--panel", "panel", multiple=True, help="A panel member, by username or name (appoint_panel).")
@click.option("--resolution", help="The impartiality committee's resolution carrying the decision.")
@click.option("--reopen-at", type=click.Choice(REOPEN_STAGES), help="Where an upheld appeal reopens the case.")
@JSON_OPTION
@pass_app
def act(
    app: AppContext,
    reference: str,
    action: str,
    actor: str,
    reason: str,
    panel: tuple[str, ...],
    resolution: str | None,
    reopen_at: str | None,
    as_json: bool,
) -> None:
    """appoint_panel | uphold | dismiss."""
    order = ActOnAppeal(reference, action, actor, reason, panel, resolution, reopen_at)
    report_outcome(act_on_appeal(app.runtime, order), as_json)


@command.command("show")
@click.argument("reference")
@JSON_OPTION
@pass_app
def show(app: AppContext, reference: str, as_json: bool) -> None:
    """An appeal, who may not sit on it, its decision and history."""
    report_record(show_appeal(app.runtime, reference), as_json)
