"""`capeval case`: what the people who advance cases do."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from capeval.services import deadlines, queries
from capeval.services.documents import application_command, read_document
from capeval.services.handlers import Outcome, handle
from capeval.states.application import Action, Stage, allowed_actions
from capeval.states.commands import AddSupplement, EvidenceRef, ReviseMaterial, TakeAction
from capeval.states.errors import IllegalTransition, InputError

from .main import AppContext, pass_app
from .output import emit_json, emit_table

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.group("case")
def command() -> None:
    """Create, advance and inspect application cases."""


def _report(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        emit_json(outcome)
        return
    moved = f"{outcome.previous_stage} -> {outcome.stage}" if outcome.previous_stage else outcome.stage
    extra = ""
    if outcome.due_on:
        extra += f", due {outcome.due_on.isoformat()}" + (" 暂定 provisional" if outcome.due_provisional else "")
    if outcome.registration_number:
        extra += f", certificate {outcome.registration_number}"
    click.echo(f"case {outcome.case_id}: {moved} (version {outcome.version}{extra})")


def _evidence(pairs: tuple[str, ...]) -> tuple[EvidenceRef, ...]:
    refs = []
    for pair in pairs:
        kind, separator, reference = pair.partition("=")
        if not separator or not kind or not reference:
            raise InputError("cli_evidence_malformed", pair=pair)
        refs.append(EvidenceRef(kind=kind.strip(), reference=reference.strip()))
    return tuple(refs)


def _action(name: str, case_id: int, app: AppContext) -> Action:
    try:
        return Action(name)
    except ValueError:
        detail = queries.show(app.runtime, case_id)
        allowed = [a.value for a in allowed_actions(Stage(detail["stage"]))]
        raise IllegalTransition(detail["stage"], name, allowed) from None


@command.command("create")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--submit", is_flag=True, help="Submit the new case right away.")
@JSON_OPTION
@pass_app
def create(app: AppContext, path: Path, submit: bool, as_json: bool) -> None:
    """Open a case from a JSON or TOML application file (see README)."""
    order = application_command(read_document(path), origin=str(path))
    outcome = handle(app.runtime, order)
    if submit:
        assert outcome.applicant is not None
        outcome = handle(app.runtime, TakeAction(outcome.case_id, Action.SUBMIT, outcome.applicant))
    _report(outcome, as_json)


@command.command("revise")
@click.argument("case_id", type=int)
@click.option("--actor", required=True, help="Who makes the change.")
@click.option(
    "--statement-file", type=click.Path(path_type=Path), help="Replace the self-statement with this text file."
)
@click.option("--evidence", multiple=True, metavar="KIND=REF", help="Attach a document (repeatable).")
@click.option("--sign-commitment", is_flag=True, help="Record the signed commitment letter.")
@click.option("--expected-version", type=int, help="Refuse if the case changed since this version.")
@JSON_OPTION
@pass_app
def revise(
    app: AppContext,
    case_id: int,
    actor: str,
    statement_file: Path | None,
    evidence: tuple[str, ...],
    sign_commitment: bool,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change the material of a draft or returned case."""
    statement = None
    if statement_file is not None:
        if not statement_file.is_file():
            raise InputError("document_missing", path=statement_file)
        statement = statement_file.read_text(encoding="utf-8")
    order = ReviseMaterial(case_id, actor, statement, _evidence(evidence), sign_commitment, expected_version)
    _report(handle(app.runtime, order), as_json)


@command.command("supplement")
@click.argument("case_id", type=int)
@click.option("--actor", required=True, help="Who sends the material.")
@click.option("--document", "documents", multiple=True, required=True, metavar="REF", help="A document (repeatable).")
@click.option("--expected-version", type=int, help="Refuse if the case changed since this version.")
@JSON_OPTION
@pass_app
def supplement(
    app: AppContext, case_id: int, actor: str, documents: tuple[str, ...], expected_version: int | None, as_json: bool
) -> None:
    """Attach requested supplementary material."""
    refs = tuple(EvidenceRef(kind="supplement", reference=document) for document in documents)
    _report(handle(app.runtime, AddSupplement(case_id, actor, refs, expected_version)), as_json)


@command.command("act")
@click.argument("case_id", type=int)
@click.argument("action_name", metavar="ACTION")
@click.option("--actor", required=True, help="Who takes the action (recorded in the history).")
@click.option("--reason", default="", help="Why; required for returns, failures, rejections and referrals.")
@click.option("--expected-version", type=int, help="Refuse if the case changed since this version.")
@JSON_OPTION
@pass_app
def act(
    app: AppContext,
    case_id: int,
    action_name: str,
    actor: str,
    reason: str,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Take ACTION on a case ('capeval case actions ID' lists what is allowed)."""
    order = TakeAction(case_id, _action(action_name, case_id, app), actor, reason, expected_version)
    _report(handle(app.runtime, order), as_json)


@command.command("board")
@click.option("--society", "society_code", help="Only this society's cases.")
@click.option(
    "--stage", "stages", multiple=True, type=click.Choice([s.value for s in Stage]), help="Only these stages."
)
@JSON_OPTION
@pass_app
def board(app: AppContext, society_code: str | None, stages: tuple[str, ...], as_json: bool) -> None:
    """Cases by stage, with whom they wait on and their due dates."""
    rows = queries.board(app.runtime, society_code, list(stages) or None)
    if as_json:
        emit_json(rows)
        return
    columns = ["case_id", "applicant", "society", "field", "level", "route", "stage", "waiting_on", "due_on"]
    emit_table([{**row.__dict__, "due_on": _due(row.due_on, row.provisional)} for row in rows], columns)


def _due(day: date | None, provisional: bool) -> str:
    if day is None:
        return "-"
    return f"{day.isoformat()} (暂定)" if provisional else day.isoformat()


@command.command("show")
@click.argument("case_id", type=int)
@JSON_OPTION
@pass_app
def show(app: AppContext, case_id: int, as_json: bool) -> None:
    """One case with its evidence, deadlines, history and allowed actions."""
    detail = queries.show(app.runtime, case_id)
    if as_json:
        emit_json(detail)
        return
    applicant = detail["applicant"]
    click.echo(f"case {detail['case_id']}  {applicant['name']} ({applicant['id_number']})  version {detail['version']}")
    click.echo(f"{detail['society']} / {detail['field']} / {detail['level']} / {detail['route']} route")
    click.echo(
        f"stage: {detail['stage']}" + (f"  certificate: {detail['certificate']}" if detail["certificate"] else "")
    )
    click.echo(
        f"self-statement: {detail['self_statement_chars']} characters, "
        f"{detail['self_statement_chinese_percent']}% Chinese; commitment signed: "
        f"{'yes' if detail['commitment_signed'] else 'no'}"
    )
    for deadline in detail["deadlines"]:
        line = f"deadline: {deadline['kind']} due {_due(deadline['due_on'], deadline['provisional'])}"
        if deadline["original_due_on"]:
            line += f", extended from {deadline['original_due_on'].isoformat()}"
        if deadline["provisional"]:
            line += f" [{deadline['basis']}]"
        click.echo(line)
    click.echo("evidence:")
    emit_table(detail["evidence"], ["kind", "reference", "round"])
    click.echo("history:")
    emit_table(detail["history"], ["at", "version", "from", "to", "action", "actor", "reason"])
    click.echo("actions now:")
    _print_actions(detail["actions"])


@command.command("actions")
@click.argument("case_id", type=int)
@JSON_OPTION
@pass_app
def list_actions(app: AppContext, case_id: int, as_json: bool) -> None:
    """The actions allowed now; each is ready or blocked with the reasons."""
    options = queries.actions(app.runtime, case_id)
    if as_json:
        emit_json(options)
    else:
        _print_actions([option.__dict__ for option in options])


def _print_actions(options: list[dict[str, Any]]) -> None:
    if not options:
        click.echo("  (none: the case is closed)")
    for option in options:
        state = "ready" if option["ready"] else "blocked: " + "; ".join(option["blocked_by"])
        click.echo(f"  {option['action']:<28} -> {option['to_stage']:<25} by {option['by']:<12} {state}")


@command.command("extend")
@click.argument("case_id", type=int)
@click.option("--days", required=True, type=int, help="Working days to add to the open window.")
@click.option("--reason", required=True, help="Why (illness, force majeure …); told to the applicant.")
@click.option("--actor", required=True, help="Who extends (the workgroup of the case's society).")
@JSON_OPTION
@pass_app
def extend(app: AppContext, case_id: int, days: int, reason: str, actor: str, as_json: bool) -> None:
    """Extend the open resubmission or supplement window by N working days (CPD-2024 art. 9, Q&A Q25 by analogy)."""
    result = deadlines.extend(app.runtime, case_id, days, reason, actor)
    if as_json:
        emit_json(result)
        return
    mark = " 暂定 provisional" if result.provisional else ""
    click.echo(
        f"case {result.case_id}: {result.kind} due {result.new_due_on.isoformat()}{mark} "
        f"(was {result.old_due_on.isoformat()}, first notified {result.original_due_on.isoformat()})"
    )
