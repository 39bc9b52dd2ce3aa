"""`capeval authorization`: a society's authorization for a field (Charter art. 16, 20)."""

from __future__ import annotations

import click

from capeval.services.authorizations import (
    act_on_authorization,
    apply_for_authorization,
    open_cases,
    show_authorization,
)
from capeval.states.authorization import AuthorizationAction
from capeval.states.governance_commands import ActOnAuthorization, ApplyForAuthorization

from .governance_output import JSON_OPTION, report_outcome, report_record
from .main import AppContext, pass_app
from .output import emit_json, emit_table


@click.group("authorization")
def command() -> None:
    """Apply for, review, approve or withdraw a society's authorization for a field."""


@command.command("apply")
@click.argument("society")
@click.argument("field")
@click.option("--statement", default="", help="What the society offers: examiners, specification, workgroup.")
@click.option("--actor", required=True, help="The society's workgroup member or administrator who applies.")
@JSON_OPTION
@pass_app
def apply(app: AppContext, society: str, field: str, statement: str, actor: str, as_json: bool) -> None:
    """A member society applies to run evaluations in FIELD."""
    report_outcome(
        apply_for_authorization(app.runtime, ApplyForAuthorization(society, field, statement, actor)), as_json
    )


@command.command("act")
@click.argument("reference")
@click.argument("action", type=click.Choice([a.value for a in AuthorizationAction]))
@click.option("--actor", required=True, help="The secretariat, or a member of the review committee or presidium.")
@click.option("--reason", default="")
@click.option("--resolution", help="The review committee's or presidium's resolution.")
@JSON_OPTION
@pass_app
def act(
    app: AppContext, reference: str, action: str, actor: str, reason: str, resolution: str | None, as_json: bool
) -> None:
    """pass_first_review | pass_committee_review | approve | refuse | withdraw."""
    report_outcome(
        act_on_authorization(app.runtime, ActOnAuthorization(reference, action, actor, reason, resolution)), as_json
    )


@command.command("show")
@click.argument("reference")
@JSON_OPTION
@pass_app
def show(app: AppContext, reference: str, as_json: bool) -> None:
    """An authorization application and its history."""
    report_record(show_authorization(app.runtime, reference), as_json)


@command.command("open-cases")
@click.argument("society")
@click.argument("field")
@JSON_OPTION
@pass_app
def open_cases_command(app: AppContext, society: str, field: str, as_json: bool) -> None:
    """The open cases of SOCIETY in FIELD, for the secretariat to transfer after a withdrawal."""
    rows = open_cases(app.runtime, society, field)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["case_id", "applicant", "stage", "batch"])
