"""`capeval verification`: examiners ask the workgroup to verify facts with the employer (Q&A Q15)."""

from __future__ import annotations

import dataclasses

import click

from capeval.services import verification

from .main import AppContext, pass_app
from .output import emit_json, emit_table


@click.group("verification")
def command() -> None:
    """Verification of application facts with the applicant's employer; an open one holds the review round."""


@command.command("request")
@click.argument("case_id", type=int)
@click.option("--employer", required=True, help="The employer (or other body) to ask.")
@click.option("--question", required=True, help="What is to be verified.")
@click.option("--actor", required=True, help="An examiner of the case's current review round.")
@pass_app
def request(app: AppContext, case_id: int, employer: str, question: str, actor: str) -> None:
    """Ask the workgroup to verify QUESTION with EMPLOYER; the round decides nothing until it is answered."""
    view = verification.request_verification(app.runtime, case_id, actor, employer, question)
    click.echo(f"verification {view.request_id} of case {view.case_id} (round {view.round}) open: {view.employer}")


@command.command("answer")
@click.argument("request_id", type=int)
@click.option("--outcome", required=True, help="What the employer confirmed.")
@click.option("--actor", required=True, help="Who records it (the workgroup of the case's society).")
@pass_app
def answer(app: AppContext, request_id: int, outcome: str, actor: str) -> None:
    """Record the outcome; a round that waited only on it then decides the case."""
    view, moved = verification.record_outcome(app.runtime, request_id, actor, outcome)
    line = f"verification {view.request_id} of case {view.case_id} answered"
    if moved is not None:
        line += f"; case {moved.case_id}: {moved.previous_stage} -> {moved.stage}"
    click.echo(line)


@command.command("list")
@click.argument("case_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_requests(app: AppContext, case_id: int, as_json: bool) -> None:
    """The verification requests of a case."""
    rows = [dataclasses.asdict(view) for view in verification.of_case(app.runtime, case_id)]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["request_id", "round", "employer", "question", "state", "outcome", "requested_by"])
