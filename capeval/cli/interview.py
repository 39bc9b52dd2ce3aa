"""`capeval interview`: schedule an interview, record score sheets, decide the result (Q&A Q16-Q17)."""

from __future__ import annotations

import dataclasses

import click

from capeval.light_settings import parse_moment
from capeval.services import interviews
from capeval.states.interview import Durations, parse_scores

from .main import AppContext, pass_app
from .output import emit_json, emit_table
from .references import case_ref
from .review_common import review_runtime

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
SCORES_HELP = "knowledge=N,ethics=N,teamwork=N,learning=N,leadership=N"


@click.group("interview")
def command() -> None:
    """Interviews of the further assessment (Q&A Q16-Q17)."""


def _panel(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        from capeval.states.errors import InputError

        raise InputError("cli_panel_malformed", text=text) from None


@command.command("schedule")
@click.argument("case_id", type=case_ref)
@click.option("--at", "starts_at", required=True, help="Start, e.g. 2026-04-08T09:00 (Asia/Shanghai).")
@click.option("--place", default="", help="Where.")
@click.option("--video-link", default="", help="Or the video link.")
@click.option("--panel", help="Examiner ids, comma-separated (default: chosen by load, no conflicts).")
@click.option("--actor", required=True, help="Workgroup member of the case's society who schedules.")
@JSON_OPTION
@pass_app
def schedule(
    app: AppContext,
    case_id: int,
    starts_at: str,
    place: str,
    video_link: str,
    panel: str | None,
    actor: str,
    as_json: bool,
) -> None:
    """Schedule an interview and send the applicant notice."""
    view = interviews.schedule(
        review_runtime(app),
        case_id,
        parse_moment(starts_at),
        actor,
        place=place,
        video_link=video_link,
        panel=_panel(panel),
    )
    if as_json:
        emit_json(view)
    else:
        click.echo(
            f"interview {view.interview_id} for case {view.case_id} at {view.starts_at.isoformat()}, "
            f"panel {', '.join(map(str, view.panel))}"
        )


@command.command("score")
@click.argument("interview_id", type=int)
@click.option("--actor", required=True, help="The panelist whose score sheet it is.")
@click.option("--examiner", "examiner_id", type=int, help="Refuse unless the actor sits on the panel as this examiner.")
@click.option("--scores", default="", help=SCORES_HELP)
@pass_app
def score(app: AppContext, interview_id: int, actor: str, examiner_id: int | None, scores: str) -> None:
    """Record your own score sheet as a member of the interview's panel."""
    checked = interviews.record_scores(
        review_runtime(app), interview_id, actor, parse_scores(scores), examiner_id=examiner_id
    )
    click.echo(f"interview {interview_id}: {actor} scored, total {sum(checked.values())}")


@command.command("decide")
@click.argument("interview_id", type=int)
@click.option("--scores", default="", help=f"The panel's agreed scores: {SCORES_HELP}")
@click.option("--presentation", type=int, required=True, help="Minutes of self-presentation.")
@click.option("--questions", type=int, required=True, help="Minutes of examiner questions.")
@click.option("--deliberation", type=int, required=True, help="Minutes of deliberation.")
@click.option("--short-reason", default="", help="Why questions lasted under the minimum.")
@click.option("--written-exam", type=int, help="Written exam score, where the field uses one.")
@click.option("--project", "projects", multiple=True, help="An engineering project presented (2-3, Q&A Q16; repeat).")
@click.option("--actor", required=True, help="A member of the interview's panel who records the result.")
@pass_app
def decide(
    app: AppContext,
    interview_id: int,
    scores: str,
    presentation: int,
    questions: int,
    deliberation: int,
    short_reason: str,
    written_exam: int | None,
    projects: tuple[str, ...],
    actor: str,
) -> None:
    """Record agreed scores and durations; the case passes or fails with every failed part named."""
    result, outcome = interviews.decide(
        review_runtime(app),
        interview_id,
        parse_scores(scores),
        Durations(presentation, questions, deliberation),
        actor,
        short_reason=short_reason,
        written_exam_score=written_exam,
        projects=projects,
    )
    verdict = "pass" if result.passed else "fail"
    click.echo(f"{verdict} (total {result.total}){': ' + result.reason if result.failures else ''}")
    click.echo(f"case {outcome.case_id}: {outcome.previous_stage} -> {outcome.stage}")


@command.command("list")
@click.argument("case_id", type=case_ref)
@JSON_OPTION
@pass_app
def list_interviews(app: AppContext, case_id: int, as_json: bool) -> None:
    """The interviews of a case."""
    rows = [dataclasses.asdict(v) for v in interviews.interviews_of_case(review_runtime(app), case_id)]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["interview_id", "state", "starts_at", "place", "panel", "total", "passed", "reasons"])
