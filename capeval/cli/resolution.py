"""`capeval resolution`: record a meeting's resolution and its votes (Charter art. 28, 31)."""

from __future__ import annotations

from typing import Any

import click

from capeval.light_settings import parse_day
from capeval.services.resolutions import SUBJECT_KINDS, record_resolution, resolutions_for_case, show_resolution
from capeval.states.errors import InputError
from capeval.states.governance import Body
from capeval.states.governance_commands import RecordResolution
from capeval.states.resolutions import parse_votes

from .governance_output import JSON_OPTION
from .main import AppContext, pass_app
from .output import emit_json
from .references import case_ref


@click.group("resolution")
def command() -> None:
    """Record resolutions with each member's vote; show them."""


def _subjects(subjects: tuple[str, ...], cases: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
    found = [("application", str(case_id)) for case_id in cases]
    for text in subjects:
        kind, separator, ref = text.partition(":")
        if not separator or kind not in SUBJECT_KINDS or not ref.strip():
            raise InputError("cli_resolution_subject_malformed", text=text, choices=list(SUBJECT_KINDS))
        found.append((kind, ref.strip()))
    return tuple(found)


def _print(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(record)
        return
    verdict = "valid" if record["valid"] else "invalid"
    click.echo(f"{record['reference']} ({record['body']}, {record['held_on']}): {verdict}")
    click.echo(f"  motion: {record['motion']}")
    for line in record["arithmetic"].split("; "):
        click.echo(f"  {line}")
    if record["subjects"]:
        click.echo(f"  decides: {', '.join(record['subjects'])}")


@command.command("record")
@click.option("--body", type=click.Choice([b.value for b in Body]), required=True)
@click.option("--motion", required=True, help="What was put to the vote.")
@click.option(
    "--vote",
    "votes",
    multiple=True,
    help="MEMBER=for|against|abstain|absent, MEMBER a username or name on the roster; members not listed are absent.",
)
@click.option("--held-on", help="Meeting date (default today).")
@click.option(
    "--subject", "subjects", multiple=True, help="appeal:REF, feedback:REF, authorization:REF or application:ID."
)
@click.option("--case", "cases", type=case_ref, multiple=True, help="An evaluation case the meeting approved (batch).")
@click.option("--actor", required=True, help="Who records the minutes: the secretariat or a member of the body.")
@JSON_OPTION
@pass_app
def record(
    app: AppContext,
    body: str,
    motion: str,
    votes: tuple[str, ...],
    held_on: str | None,
    subjects: tuple[str, ...],
    cases: tuple[int, ...],
    actor: str,
    as_json: bool,
) -> None:
    """Record a resolution; prints whether it is valid and the arithmetic."""
    order = RecordResolution(
        Body(body),
        motion,
        parse_votes(votes),
        actor,
        parse_day(held_on) if held_on else None,
        _subjects(subjects, cases),
    )
    _print(record_resolution(app.runtime, order), as_json)


@command.command("show")
@click.argument("reference")
@JSON_OPTION
@pass_app
def show(app: AppContext, reference: str, as_json: bool) -> None:
    """One resolution with its votes and arithmetic."""
    found = show_resolution(app.runtime, reference)
    if as_json:
        emit_json(found)
        return
    _print(found, False)
    for voter in found["voters"]:
        click.echo(f"    {voter['name']} ({voter['username']}): {voter['vote']}")


@command.command("for-case")
@click.argument("case_id", type=case_ref)
@JSON_OPTION
@pass_app
def for_case(app: AppContext, case_id: int, as_json: bool) -> None:
    """The resolutions that decided an evaluation case (e.g. its batch's registration approval)."""
    rows = resolutions_for_case(app.runtime, case_id)
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("(no resolution recorded for this case)")
    for row in rows if not as_json else []:
        _print(row, False)
