"""`capeval case`: what the people who advance cases do."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from capeval.states.application import Action, Stage
from capeval.states.bounds import BOARD_PAGE
from capeval.states.errors import InputError

from .main import AppContext, pass_app
from .output import emit_json, emit_table
from .references import case_ref

if TYPE_CHECKING:
    from capeval.services.handlers import Outcome
    from capeval.services.queries import BoardPage
    from capeval.states.commands import EvidenceRef

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


def _evidence(pairs: tuple[str, ...], flag: str = "evidence") -> tuple[EvidenceRef, ...]:
    from capeval.states.commands import EvidenceRef

    refs = []
    for pair in pairs:
        kind, separator, reference = pair.partition("=")
        if not separator or not kind or not reference:
            if flag == "file":
                raise InputError("cli_file_malformed", pair=pair)
            raise InputError("cli_evidence_malformed", pair=pair)
        refs.append(EvidenceRef(kind=kind.strip(), reference=reference.strip()))
    return tuple(refs)


def _action(name: str, case_id: int, app: AppContext) -> Action:
    try:
        return Action(name)
    except ValueError:
        from capeval.services import queries
        from capeval.states.application import allowed_actions
        from capeval.states.errors import IllegalTransition

        detail = queries.show(app.runtime, case_id)
        allowed = [a.value for a in allowed_actions(Stage(detail["stage"]))]
        raise IllegalTransition(detail["stage"], name, allowed) from None


@command.command("create")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--submit", is_flag=True, help="Submit the new case right away.")
@click.option(
    "--experience",
    "experience_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A JSON or TOML file of [[experience]] periods, added to the application file's (repeatable).",
)
@JSON_OPTION
@pass_app
def create(app: AppContext, path: Path, submit: bool, experience_files: tuple[Path, ...], as_json: bool) -> None:
    """Open a case from a JSON or TOML application file (see README); the evidence files it names are kept."""
    import dataclasses

    from capeval.services.case_documents import application_with_files
    from capeval.services.documents import Fields, read_document
    from capeval.services.handlers import handle
    from capeval.services.work_experience import experience_periods

    periods = tuple(
        period for file in experience_files for period in experience_periods(Fields(read_document(file), str(file)))
    )
    order = application_with_files(app.runtime, read_document(path), origin=str(path))
    order = dataclasses.replace(order, submit=submit, work_experience=order.work_experience + periods)
    _report(handle(app.runtime, order), as_json)


@command.command("revise")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who makes the change.")
@click.option(
    "--statement-file", type=click.Path(path_type=Path), help="Replace the self-statement with this text file."
)
@click.option(
    "--evidence", multiple=True, metavar="KIND=REF", help="Name a document capeval does not hold (repeatable)."
)
@click.option(
    "--file", "files", multiple=True, metavar="KIND=PATH", help="Attach a file, kept by capeval (repeatable)."
)
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
    files: tuple[str, ...],
    sign_commitment: bool,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change the material of a draft or returned case."""
    from capeval.services.case_documents import evidence_files
    from capeval.services.handlers import handle
    from capeval.services.input_files import read_text
    from capeval.states.commands import ReviseMaterial

    statement = None
    if statement_file is not None:
        statement = read_text(statement_file)
    pairs = [(ref.kind, Path(ref.reference)) for ref in _evidence(files, "file")]
    kept = evidence_files(app.runtime, pairs, "--file", case_id=case_id, actor=actor, action="revise")
    refs = _evidence(evidence) + kept
    order = ReviseMaterial(case_id, actor, statement, refs, sign_commitment, expected_version)
    _report(handle(app.runtime, order), as_json)


@command.command("supplement")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who sends the material.")
@click.option("--document", "documents", multiple=True, metavar="REF", help="Name a document not held (repeatable).")
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path), help="A file, kept (repeatable).")
@click.option("--expected-version", type=int, help="Refuse if the case changed since this version.")
@JSON_OPTION
@pass_app
def supplement(
    app: AppContext,
    case_id: int,
    actor: str,
    documents: tuple[str, ...],
    files: tuple[Path, ...],
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Attach requested supplementary material (files, or names of documents not held)."""
    from capeval.services.case_documents import evidence_files
    from capeval.services.handlers import handle
    from capeval.states.commands import AddSupplement, EvidenceRef

    refs = tuple(EvidenceRef(kind="supplement", reference=document) for document in documents)
    pairs = [("supplement", path) for path in files]
    refs += evidence_files(app.runtime, pairs, "--file", case_id=case_id, actor=actor, action="add_supplement")
    _report(handle(app.runtime, AddSupplement(case_id, actor, refs, expected_version)), as_json)


@command.command("act")
@click.argument("case_id", type=case_ref)
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
    from capeval.services.handlers import handle
    from capeval.states.commands import TakeAction

    order = TakeAction(case_id, _action(action_name, case_id, app), actor, reason, expected_version)
    _report(handle(app.runtime, order), as_json)


@command.command("board")
@click.option("--society", "society_code", help="Only this society's cases.")
@click.option(
    "--stage", "stages", multiple=True, type=click.Choice([s.value for s in Stage]), help="Only these stages."
)
@click.option("--field", "field_code", help="Only cases of this engineering field.")
@click.option(
    "--due-within",
    type=click.IntRange(0, 250),
    metavar="DAYS",
    help="Only cases due within this many working days (overdue ones included).",
)
@click.option("--overdue", is_flag=True, help="Only cases past their due date.")
@click.option("--limit", type=int, default=BOARD_PAGE, show_default=True, help="Cases per page.")
@click.option("--after", type=int, metavar="CASE_ID", help="Start after this case (the last one of the page before).")
@JSON_OPTION
@pass_app
def board(
    app: AppContext,
    society_code: str | None,
    stages: tuple[str, ...],
    field_code: str | None,
    due_within: int | None,
    overdue: bool,
    limit: int,
    after: int | None,
    as_json: bool,
) -> None:
    """Cases in id order, a page at a time, with whom they wait on, their due dates and the count per stage
    (under --due-within or --overdue counted up to CAPEVAL_BOARD_COUNT_CAP cases, then "more than")."""
    from capeval.services import queries
    from capeval.states.messages import render_message

    runtime = app.runtime
    page = queries.board(
        runtime,
        society_code,
        list(stages) or None,
        field_code,
        after,
        limit,
        counts=True,
        due_by=queries.due_within(runtime, due_within) if due_within is not None else None,
        overdue_before=runtime.today() if overdue else None,
    )
    if as_json:
        emit_json(page)
        return
    columns = [
        "case_id",
        "reference",
        "applicant",
        "society",
        "field",
        "level",
        "route",
        "stage",
        "waiting_on",
        "due_on",
    ]
    emit_table([{**row.__dict__, "due_on": _due(row.due_on, row.provisional)} for row in page.rows], columns)
    counts = page.counts_by_stage or {}
    if counts:
        click.echo(
            "stages: " + ", ".join(f"{stage} {_count(count, page, app)}" for stage, count in sorted(counts.items()))
        )
    if page.counts_capped:
        click.echo("total: " + render_message("board_total_more_than", {"cap": f"{page.count_cap:,}"}, app.language))
    if page.next_after is not None:
        click.echo(f"more: --after {page.next_after}")


def _count(count: int, page: BoardPage, app: AppContext) -> str:
    """A stage's count as shown: a lower bound ("at least") when the counting stopped at the cap."""
    from capeval.states.messages import render_message

    if page.counts_capped:
        return render_message("board_count_at_least", {"count": f"{count:,}"}, app.language)
    return str(count)


def _due(day: date | None, provisional: bool) -> str:
    if day is None:
        return "-"
    return f"{day.isoformat()} (暂定)" if provisional else day.isoformat()


@command.command("show")
@click.argument("case_id", type=case_ref)
@JSON_OPTION
@pass_app
def show(app: AppContext, case_id: int, as_json: bool) -> None:
    """One case with its evidence, deadlines, history and allowed actions."""
    from capeval.services import queries

    detail = queries.show(app.runtime, case_id, app.language)
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
    evidence = [{**row, "file": row["file"] or "no file"} for row in detail["evidence"]]
    emit_table(evidence, ["kind", "reference", "round", "file"])
    click.echo("history:")
    emit_table(detail["history"], ["at", "version", "from", "to", "action", "actor", "reason"])
    click.echo("actions now:")
    _print_actions(detail["actions"])


@command.command("actions")
@click.argument("case_id", type=case_ref)
@JSON_OPTION
@pass_app
def list_actions(app: AppContext, case_id: int, as_json: bool) -> None:
    """The actions allowed now; each is ready or blocked with the reasons."""
    from capeval.services import queries

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


@command.command("statement")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who reads (the applicant, the society's staff, the case's examiners...).")
@JSON_OPTION
@pass_app
def statement(app: AppContext, case_id: int, actor: str, as_json: bool) -> None:
    """Print the self-statement of a case, for those who may read it."""
    from capeval.services.case_documents import case_statement

    found = case_statement(app.runtime, case_id, actor)
    if as_json:
        emit_json(found)
        return
    click.echo(f"case {found.case_id}  {found.applicant}  {found.chars} characters, {found.chinese_percent}% Chinese")
    click.echo(found.text)


@command.command("documents")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who reads (the applicant, the society's staff, the case's examiners...).")
@JSON_OPTION
@pass_app
def documents(app: AppContext, case_id: int, actor: str, as_json: bool) -> None:
    """List the evidence of a case: kind, file name, type, size and digest (the first characters)."""
    from capeval.services.case_documents import SHORT_DIGEST, case_documents

    rows = case_documents(app.runtime, case_id, actor)
    if as_json:
        emit_json(rows)
        return
    lines = [
        {
            "kind": row.kind,
            "file": row.filename if row.has_file else f"{row.reference} (no file)",
            "type": row.media_type,
            "size": row.size,
            "digest": row.digest[:SHORT_DIGEST] if row.digest else None,
            "round": row.supplement_round or None,
        }
        for row in rows
    ]
    emit_table(lines, ["kind", "file", "type", "size", "digest", "round"])


@command.command("document")
@click.argument("case_id", type=case_ref)
@click.argument("digest")
@click.option("--actor", required=True, help="Who reads (the applicant, the society's staff, the case's examiners...).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Write the file here.")
@pass_app
def document(app: AppContext, case_id: int, digest: str, actor: str, out: Path) -> None:
    """Write one document of a case (by its digest or its first characters) to a file."""
    from capeval.services.case_documents import SHORT_DIGEST, document_for

    found = document_for(app.runtime, case_id, digest, actor)
    try:
        out.write_bytes(found.data)
    except OSError as error:
        raise InputError("cli_document_unwritable", path=out, reason=error.strerror or type(error).__name__) from None
    click.echo(f"{out}: {found.filename} ({found.media_type}, {found.size} bytes, {found.digest[:SHORT_DIGEST]})")


@command.command("progress")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who asks (the applicant, the society's staff, the case's examiners...).")
@JSON_OPTION
@pass_app
def progress(app: AppContext, case_id: int, actor: str, as_json: bool) -> None:
    """Where a case stands: whom it waits on, by when, the last reason, the applicant's next steps."""
    from capeval.services.case_progress import case_progress
    from capeval.states.authority import party_term
    from capeval.states.messages import render_message, render_text

    found = case_progress(app.runtime, case_id, actor)
    if as_json:
        emit_json(found)
        return
    language = app.language
    waiting = render_message(party_term(found.waiting_on).code, {}, language) if found.waiting_on else "-"
    click.echo(f"case {found.case_id}: {found.stage}; waiting on {waiting}")
    if found.due_on:
        click.echo(f"due: {found.due_kind} by {found.due_on.isoformat()}")
    if found.last_reason:
        click.echo(f"last reason: {found.last_reason}")
    click.echo(f"evidence: {found.files_held} file(s) held, {found.references_without_file} without a file")
    for step in found.applicant_steps:
        blocked = "; ".join(render_text(p.code, p.params, language) for p in step.blocked_by)
        click.echo(f"  applicant may {step.action} -> {step.to_stage}: {'ready' if step.ready else blocked}")


@command.command("extend")
@click.argument("case_id", type=case_ref)
@click.option("--days", required=True, type=int, help="Working days to add to the open window.")
@click.option("--reason", required=True, help="Why (illness, force majeure …); told to the applicant.")
@click.option("--actor", required=True, help="Who extends (the workgroup of the case's society).")
@JSON_OPTION
@pass_app
def extend(app: AppContext, case_id: int, days: int, reason: str, actor: str, as_json: bool) -> None:
    """Extend the open resubmission or supplement window by N working days (CPD-2024 art. 9, Q&A Q25 by analogy)."""
    from capeval.services import deadlines

    result = deadlines.extend(app.runtime, case_id, days, reason, actor)
    if as_json:
        emit_json(result)
        return
    mark = " 暂定 provisional" if result.provisional else ""
    click.echo(
        f"case {result.case_id}: {result.kind} due {result.new_due_on.isoformat()}{mark} "
        f"(was {result.old_due_on.isoformat()}, first notified {result.original_due_on.isoformat()})"
    )
