"""`capeval rules`: the rules in force, each with its source."""

from __future__ import annotations

from typing import Any

import click

from capeval.states.errors import InputError
from capeval.states.resolutions import judge
from capeval.states.work_experience import describe_rules

from .main import AppContext, pass_app
from .output import emit_json, emit_table


@click.group("rules")
def command() -> None:
    """The rules taken from the sources, and checks against them."""


@command.command("list")
@click.option("--society", "society_code", help="Also each field's work-experience rule of this society.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_rules(app: AppContext, society_code: str | None, as_json: bool) -> None:
    """Every configurable rule with its value and the article it comes from."""
    rows = app.policies.pipeline.describe() + describe_rules()
    if society_code is not None:
        from capeval.services.work_experience import society_rules

        rows += society_rules(app.runtime, society_code)
    _show(rows, as_json)


@command.command("resolution")
@click.option("--members", required=True, help="Members of the body.")
@click.option("--voted", required=True, help="Members who voted (or attended).")
@click.option("--in-favour", "in_favour", required=True, help="Members who agreed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def resolution(app: AppContext, members: str, voted: str, in_favour: str, as_json: bool) -> None:
    """Is a resolution valid? At least 2/3 of the members vote and 3/4 of them agree (Charter art. 28, 31).

    Prints 'valid' or 'invalid' first, then the arithmetic. Needs no database (a policy file's
    [governance] table may change the two thresholds).
    """
    policy = app.policies.governance
    counts = [
        _count(name, text) for name, text in (("--members", members), ("--voted", voted), ("--in-favour", in_favour))
    ]
    verdict = judge(*counts, quorum=policy.quorum, majority=policy.majority)
    if as_json:
        emit_json(
            {
                "valid": verdict.valid,
                "members": verdict.members,
                "voted": verdict.voted,
                "in_favour": verdict.in_favour,
                "voters_needed": verdict.voters_needed,
                "favour_needed": verdict.favour_needed,
                "arithmetic": verdict.arithmetic(),
            }
        )
        return
    click.echo("valid" if verdict.valid else "invalid")
    for line in verdict.arithmetic():
        click.echo(f"  {line}")


def _count(name: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InputError("cli_count_not_whole", name=name, text=text) from None


@command.command("governance")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_governance_rules(app: AppContext, as_json: bool) -> None:
    """The rules of feedback, appeals, authorization and resolutions, with their sources."""
    rows = app.policies.governance.describe()
    _show(rows, as_json)


@command.command("interview")
@click.option("--level", default="", help="apprentice, professional or senior.")
@click.option("--scores", default="", help="knowledge=N,ethics=N,teamwork=N,learning=N,leadership=N")
@click.option("--field", "field_code", default="", help="Use this field's score sheet, if one is configured.")
@pass_app
def interview_rule(app: AppContext, level: str, scores: str, field_code: str) -> None:
    """Apply the interview pass rule (Q&A Q17): prints 'pass' or 'fail', then the reasons."""
    from capeval.states.errors import InputError
    from capeval.states.interview import check_scores, judge, parse_scores
    from capeval.states.levels import Level

    from .review_common import review_policy

    try:
        chosen = Level(level.strip().lower())
    except ValueError:
        raise InputError("cli_level_unknown", level=level, choices=[v.value for v in Level]) from None
    policy = review_policy(app)
    checked = check_scores(parse_scores(scores), policy.maxima_for(field_code, chosen))
    result = judge(chosen, checked, policy)
    click.echo("pass" if result.passed else "fail")
    click.echo(f"  total {result.total} of {sum(policy.maxima_for(field_code, chosen).values())}")
    for failure in result.failures:
        click.echo(f"  {failure}")


@command.command("review")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def review_rules(app: AppContext, as_json: bool) -> None:
    """Every rule of examiner review and interview with its value and source."""
    from .review_common import review_policy

    rows = review_policy(app).describe()
    _show(rows, as_json)


@command.command("renewal")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def renewal_rules(app: AppContext, as_json: bool) -> None:
    """The rules of renewal: its window, the CPD years it reviews, the sweep's reminders, with their sources."""
    rows = app.policies.renewal.describe()
    _show(rows, as_json)


def _show(rows: list[dict[str, Any]], as_json: bool) -> None:
    """A table of rules (or JSON): each with its value, the article it comes from and what it means."""
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["rule", "value", "source", "meaning"])
