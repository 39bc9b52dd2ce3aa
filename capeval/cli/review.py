"""`capeval review`: examiners' tasks and records, the workgroup's assignments, the committee's decisions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from capeval.services import review
from capeval.services.documents import read_document
from capeval.services.review import TaskView
from capeval.states.application import Action
from capeval.states.commands import EvidenceRef
from capeval.states.review import ReviewRecord, TaskAction

from .main import AppContext, pass_app
from .output import emit_json, emit_table
from .references import case_ref
from .review_common import review_runtime

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
TASK_COLUMNS = [
    "task_id",
    "case_id",
    "examiner_id",
    "examiner_name",
    "round",
    "state",
    "respond_by",
    "due_on",
    "reason",
]


@click.group("review")
def command() -> None:
    """Examiner material review (Q&A Q15, Q19) and committee review (Charter art. 9)."""


def _tasks(views: list[TaskView], as_json: bool) -> None:
    rows = [dataclasses.asdict(view) for view in views]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, TASK_COLUMNS)


@command.command("examiners")
@click.option("--society", "society_code", required=True, help="Society code.")
@click.option("--field", "field_code", help="Only this field.")
@JSON_OPTION
@pass_app
def list_examiners(app: AppContext, society_code: str, field_code: str | None, as_json: bool) -> None:
    """The examiner registry: level, employer, load."""
    rows = review.examiners(review_runtime(app), society_code, field_code)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["examiner_id", "name", "field", "level", "employer", "active", "open_tasks"])


@command.command("declare")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@pass_app
def declare(app: AppContext, path: Path) -> None:
    """Store employments and declared relations (JSON/TOML: [[employment]] and [[relation]] tables)."""
    employments, relations = review.declare(review_runtime(app), read_document(path), origin=str(path))
    click.echo(f"{employments} employments and {relations} relations recorded")


@command.command("assign")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Workgroup member of the case's society who assigns.")
@click.option("--examiner", "examiner_id", type=int, help="Name this examiner instead of choosing by load.")
@JSON_OPTION
@pass_app
def assign(app: AppContext, case_id: int, actor: str, examiner_id: int | None, as_json: bool) -> None:
    """Invite examiners to a case in material review (by load, or the one named)."""
    _tasks(review.assign(review_runtime(app), case_id, actor, examiner_id), as_json)


@command.command("tasks")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who looks: the workgroup of the case's society or its examiner.")
@JSON_OPTION
@pass_app
def tasks(app: AppContext, case_id: int, actor: str, as_json: bool) -> None:
    """Every review task of a case (for its society's workgroup and its examiners)."""
    _tasks(review.tasks_of_case(review_runtime(app), case_id, actor), as_json)


@command.command("inbox")
@click.option("--actor", required=True, help="The examiner whose inbox it is (username or name).")
@click.option("--examiner", "examiner_id", type=int, help="Another examiner's inbox (the workgroup of their society).")
@click.option("--all", "show_all", is_flag=True, help="Also closed tasks.")
@JSON_OPTION
@pass_app
def inbox(app: AppContext, actor: str, examiner_id: int | None, show_all: bool, as_json: bool) -> None:
    """Your own review tasks, soonest due first."""
    _tasks(review.inbox(review_runtime(app), actor, examiner_id, open_only=not show_all), as_json)


def _task_command(name: str, action: TaskAction, help_text: str, reason_required: bool) -> None:
    @command.command(name, help=help_text)
    @click.argument("task_id", type=int)
    @click.option("--actor", required=True, help="Who acts: the task's examiner, or the workgroup (recorded).")
    @click.option("--examiner", "examiner_id", type=int, help="Refuse unless the task is this examiner's.")
    @click.option("--reason", default="", required=reason_required, help="Why.")
    @click.option("--replacement", type=int, help="The workgroup invites this examiner instead of one by load.")
    @JSON_OPTION
    @pass_app
    def run(
        app: AppContext,
        task_id: int,
        examiner_id: int | None,
        actor: str,
        reason: str,
        replacement: int | None,
        as_json: bool,
    ) -> None:
        views = review.act_on_task(
            review_runtime(app), task_id, action, actor, reason, examiner_id=examiner_id, replacement_id=replacement
        )
        _tasks(views, as_json)


_task_command("accept", TaskAction.ACCEPT, "Accept an invitation to review.", False)
_task_command("decline", TaskAction.DECLINE, "Decline an invitation (a replacement is invited).", True)
_task_command("reassign", TaskAction.REASSIGN, "Take an overdue task from its examiner and invite another.", True)
_task_command("cancel", TaskAction.CANCEL, "Cancel a task (the examiner is told).", True)


@command.command("submit")
@click.argument("task_id", type=int)
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--actor", required=True, help="The examiner the task belongs to.")
@click.option("--examiner", "examiner_id", type=int, help="Refuse unless the task is this examiner's.")
@JSON_OPTION
@pass_app
def submit(app: AppContext, task_id: int, path: Path, examiner_id: int | None, actor: str, as_json: bool) -> None:
    """Submit a review record from a JSON/TOML file: [areas.<area>] achieved + justification, recommendation."""
    record = ReviewRecord.from_mapping(read_document(path), origin=str(path))
    view, outcome = review.submit_record(review_runtime(app), task_id, record, actor, examiner_id=examiner_id)
    if as_json:
        emit_json({"task": view, "case": outcome})
        return
    click.echo(f"task {view.task_id}: {view.state}")
    if outcome is not None:
        click.echo(f"case {outcome.case_id}: {outcome.previous_stage} -> {outcome.stage} (round complete)")


@command.command("conclude")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who asks: the workgroup of the case's society or its examiner.")
@pass_app
def conclude(app: AppContext, case_id: int, actor: str) -> None:
    """Decide a case whose review round is complete but has not moved it (safe to repeat)."""
    outcome = review.conclude(review_runtime(app), case_id, actor)
    if outcome is None:
        click.echo(f"case {case_id}: nothing to conclude (round incomplete, or the case has moved on)")
    else:
        click.echo(f"case {outcome.case_id}: {outcome.previous_stage} -> {outcome.stage}")


@command.command("supplement")
@click.argument("case_id", type=case_ref)
@click.option("--actor", required=True, help="Who sends the material (the applicant).")
@click.option("--document", "documents", multiple=True, required=True, metavar="REF", help="A document (repeatable).")
@JSON_OPTION
@pass_app
def supplement(app: AppContext, case_id: int, actor: str, documents: tuple[str, ...], as_json: bool) -> None:
    """Receive requested supplementary material; the same examiners review again."""
    evidence = tuple(EvidenceRef("supplement", ref) for ref in documents)
    outcome, views = review.provide_supplement(review_runtime(app), case_id, actor, evidence)
    if as_json:
        emit_json({"case": outcome, "tasks": [dataclasses.asdict(v) for v in views]})
        return
    click.echo(f"case {outcome.case_id}: {outcome.previous_stage} -> {outcome.stage}")
    _tasks(views, False)


@command.command("committee")
@click.argument("case_id", type=case_ref)
@click.argument("decision", type=click.Choice(["approve", "refer_back", "reject"]))
@click.option("--resolution", required=True, metavar="REF", help="The committee's resolution that decided it.")
@click.option("--actor", required=True, help="Review committee member recording the decision.")
@click.option("--reason", default="", help="Why (required to refer back or reject).")
@pass_app
def committee(app: AppContext, case_id: int, decision: str, resolution: str, actor: str, reason: str) -> None:
    """Record the review committee's decision on a case, citing its resolution (Charter art. 9, 31).

    The resolution ('capeval resolution record --body review_committee --case CASE') must be valid, name the
    case, and open its motion with the decision: approve (批准), refer back (退回) or reject (不予批准).
    """
    outcome = review.committee_decision(review_runtime(app), case_id, Action(decision), actor, resolution, reason)
    click.echo(f"case {outcome.case_id}: {outcome.previous_stage} -> {outcome.stage} (resolution {resolution})")


@command.command("sweep")
@click.option("--batch-size", type=click.IntRange(1), default=500, show_default=True)
@JSON_OPTION
@pass_app
def sweep(app: AppContext, batch_size: int, as_json: bool) -> None:
    """Expire unanswered invitations, mark overdue reviews and queue reminders (also a Prefect flow)."""
    from capeval.services.review_sweep import sweep_reviews

    report = sweep_reviews(review_runtime(app), batch_size=batch_size)
    if as_json:
        emit_json(report)
    else:
        click.echo(
            f"{len(report.expired)} expired, {len(report.overdue)} overdue, {len(report.reminded)} reminders, "
            f"{report.skipped} skipped"
        )
