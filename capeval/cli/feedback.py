"""`capeval feedback`: written feedback and complaints to the supervision committee (Q&A Q40)."""

from __future__ import annotations

import click

from capeval.services.feedback import act_on_feedback, feedback_status, file_feedback
from capeval.states.feedback import FeedbackAction, SenderKind
from capeval.states.governance_commands import ActOnFeedback, FileFeedback

from .governance_output import JSON_OPTION, report_outcome, report_record
from .main import AppContext, pass_app
from .references import case_ref


@click.group("feedback")
def command() -> None:
    """File feedback, take it through registration, investigation and answer, look up where it stands."""


@command.command("file")
@click.option("--sender", required=True, help="Who writes (a member, a society, an organization, a person).")
@click.option("--email", required=True, help="Where the answer goes.")
@click.option("--sender-kind", type=click.Choice([k.value for k in SenderKind]), default="person", show_default=True)
@click.option("--subject", required=True)
@click.option("--body", required=True, help="The written feedback.")
@click.option("--case", "case_id", type=case_ref, help="The evaluation case it is about, if any.")
@JSON_OPTION
@pass_app
def file(
    app: AppContext,
    sender: str,
    email: str,
    sender_kind: str,
    subject: str,
    body: str,
    case_id: int | None,
    as_json: bool,
) -> None:
    """Receive written feedback; prints its reference number."""
    report_outcome(
        file_feedback(app.runtime, FileFeedback(sender, email, sender_kind, subject, body, case_id)), as_json
    )


@command.command("act")
@click.argument("reference")
@click.argument("action", type=click.Choice([a.value for a in FeedbackAction]))
@click.option(
    "--actor", required=True, help="A member of the supervision committee, or an appointed investigator for findings."
)
@click.option("--text", default="", help="Findings and decision (record_findings) or the answer (answer).")
@click.option(
    "--investigator",
    "investigators",
    multiple=True,
    help="An investigator, by username or name (assign_investigators).",
)
@JSON_OPTION
@pass_app
def act(
    app: AppContext, reference: str, action: str, actor: str, text: str, investigators: tuple[str, ...], as_json: bool
) -> None:
    """register | assign_investigators | record_findings | answer."""
    report_outcome(act_on_feedback(app.runtime, ActOnFeedback(reference, action, actor, text, investigators)), as_json)


@command.command("status")
@click.argument("reference")
@JSON_OPTION
@pass_app
def status(app: AppContext, reference: str, as_json: bool) -> None:
    """Where a piece of feedback stands (for its sender)."""
    report_record(feedback_status(app.runtime, reference), as_json)
