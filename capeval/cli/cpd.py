"""`capeval cpd`: evaluate CPD hours (no database needed), record and import activities, report, policy."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click

from capeval.light_settings import parse_day
from capeval.services.input_files import read_csv, read_json
from capeval.states.cpd import KINDS, POLICIES, cpd_policy, describe_policy, parse_activity, parse_record
from capeval.states.errors import InputError

from .cpd_plan import command as plan_command
from .ids import RECORD_ID
from .main import AppContext, pass_app
from .output import emit_json, emit_table

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.group("cpd")
def command() -> None:
    """Continuing professional development: hours, ledger, reports and the society's policy."""


command.add_command(plan_command)


@command.command("evaluate")
@click.option("--policy", "policy_name", type=click.Choice(list(POLICIES)), default="cpd-2024", show_default=True)
@click.option("--year", type=int, required=True, help="The year to evaluate.")
@click.option("--file", "path", type=click.Path(path_type=Path), required=True, help="JSON record (see README).")
@JSON_OPTION
def evaluate(policy_name: str, year: int, path: Path, as_json: bool) -> None:
    """Count one year's hours line by line and say whether the year is compliant."""
    record = parse_record(read_json(path), origin=str(path))
    if record.year != year:
        raise InputError("cli_cpd_year_mismatch", path=path, file_year=record.year, year=year)
    evaluation = cpd_policy(policy_name).evaluate(record)
    if as_json:
        emit_json(evaluation.as_dict())
    else:
        for line in evaluation.text_lines():
            click.echo(line)


def _activities_from_options(options: dict[str, Any]) -> list[dict[str, Any]]:
    raw = {key: value for key, value in options.items() if value not in (None, False)}
    return [raw]


@command.command("record")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--actor", required=True, help="Who records (the holder, or staff of the society for them).")
@click.option("--file", "path", type=click.Path(path_type=Path), help='JSON: one activity or {"activities": [...]}.')
@click.option("--kind", type=click.Choice(KINDS), help="Kind of activity (CPD-2024 art. 6; CE-2026 art. 11).")
@click.option("--date", "day", help="Date of the activity, YYYY-MM-DD.")
@click.option("--minutes", type=int, help="Duration in minutes.")
@click.option("--days", type=int, help="Days of face-to-face training.")
@click.option("--online", is_flag=True, help="Online rather than offline.")
@click.option("--subject", type=click.Choice(["public", "professional"]), help="Public or professional subject.")
@click.option("--role", help="sole, lead, member (research); first or other (standards).")
@click.option("--title", help="Title of the course, paper, project...")
@click.option("--evidence", help="Where the evidence is kept (CPD-2024 art. 16).")
@click.option("--institution", help="The institution that gave it (CE-2026 art. 17).")
@click.option("--until", help="Last day of an aid posting, YYYY-MM-DD (CE-2026 art. 19).")
@click.option(
    "--make-up-for", "make_up_for", type=int, help="The past year whose hours this makes up (CE-2026 art. 20)."
)
@click.option(
    "--employer-certificate",
    "employer_certificate",
    help="The employer's certificate of injury, illness or pregnancy for a make-up (CE-2026 art. 20).",
)
@click.option(
    "--organizer",
    type=click.Choice(["society", "federation", "platform", "outside"]),
    help="Who organized it; an activity outside the society is recorded by society staff (CPD-2024 art. 8).",
)
@click.option("--plan-item", "plan_item", help="The item of the society's CPD plan it was ('capeval cpd plan list').")
@JSON_OPTION
@pass_app
def record(app: AppContext, /, number: str, actor: str, path: Path | None, as_json: bool, **options: Any) -> None:
    """Add activities to the holder's CPD ledger; an activity already there is not added again."""
    from capeval.services import certificates as service
    from capeval.states.commands import RecordCpdActivities

    if path is not None:
        document = read_json(path)
        raw = document.get("activities") if isinstance(document, dict) and "activities" in document else [document]
        if not isinstance(raw, list):
            raise InputError("cli_cpd_activities_not_list", path=path)
    else:
        if not options.get("kind") or not options.get("day"):
            raise InputError("cli_cpd_activity_missing")
        options["date"] = options.pop("day")
        raw = _activities_from_options(options)
    activities = tuple(parse_activity(item, f"activities[{i}]") for i, item in enumerate(raw))
    done = service.record_activities(app.runtime, RecordCpdActivities(number, activities, actor), raw)
    if as_json:
        emit_json({"registration_number": number, "recorded": done.added, "already_recorded": done.already})
    else:
        click.echo(f"{number}: {_activities(done.added)} recorded{_already(done.already)}")


def _activities(count: int) -> str:
    return f"{count} activit{'y' if count == 1 else 'ies'}"


def _already(count: int) -> str:
    return f"; {_activities(count)} already in the ledger, not added again" if count else ""


TRANSCRIPT_COLUMNS = ("date", "minutes", "title")


TRANSCRIPT_ENCODINGS = ("utf-8-sig", "gb18030")
"""UTF-8 (with or without Excel's byte-order mark), then GB18030, which covers GBK: what Excel writes by
default on a Chinese Windows."""


def read_transcript(path: Path) -> list[dict[str, Any]]:
    """Activities from an online-platform transcript CSV: date, minutes, title[, subject, evidence] (art. 14)."""
    header, rows = read_csv(path, encodings=TRANSCRIPT_ENCODINGS)
    missing = [c for c in TRANSCRIPT_COLUMNS if c not in header]
    if missing:
        raise InputError("cli_transcript_columns_missing", path=path, missing=missing, columns=TRANSCRIPT_COLUMNS)
    activities = []
    for line, row in enumerate(rows, start=2):
        minutes = (row.get("minutes") or "").strip()
        if not (minutes.isascii() and minutes.isdigit() and len(minutes) <= 9):
            raise InputError("cli_transcript_minutes_not_whole", path=path, line=line, got=repr(minutes))
        activity: dict[str, Any] = {
            "kind": "training",
            "date": (row.get("date") or "").strip(),
            "minutes": int(minutes),
            "online": True,
            "organizer": "platform",
            "title": (row.get("title") or "").strip(),
            "evidence": (row.get("evidence") or "").strip() or f"platform transcript {path.name}",
        }
        if (row.get("subject") or "").strip():
            activity["subject"] = row["subject"].strip()
        parse_activity(activity, f"{path}: line {line}")
        activities.append(activity)
    if not activities:
        raise InputError("cli_transcript_empty", path=path)
    return activities


@command.command("import")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--csv", "path", type=click.Path(path_type=Path), required=True, help="Platform transcript CSV.")
@click.option("--actor", required=True, help="Who imports (staff of the certificate's society).")
@pass_app
def import_transcript(app: AppContext, number: str, path: Path, actor: str) -> None:
    """Import an online-platform transcript as online training activities (CPD-2024 art. 14)."""
    from capeval.services import certificates as service
    from capeval.states.commands import RecordCpdActivities

    raw = read_transcript(path)
    where = tuple(f"{path.name}: line {i + 2}" for i in range(len(raw)))
    activities = tuple(parse_activity(item, label) for item, label in zip(raw, where, strict=True))
    command = RecordCpdActivities(number, activities, actor, "platform", where)
    done = service.record_activities(app.runtime, command, raw)
    click.echo(f"{number}: {done.added} online activities imported from {path.name}{_already(done.already)}")


@command.command("list")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@JSON_OPTION
@pass_app
def ledger(app: AppContext, number: str, as_json: bool) -> None:
    """The holder's CPD ledger, each row with who recorded and who recognized it (CPD-2024 art. 8, 16-17)."""
    from capeval.services import queries

    found = queries.cpd_ledger(app.runtime, number)
    rows = [dataclasses.asdict(line) for line in found.lines]
    if as_json:
        emit_json(
            {"registration_number": number, "holder": found.holder, "activities": rows, "lecturer": found.lecturer}
        )
        return
    click.echo(f"{number} {found.holder}: {_activities(len(rows))} in the CPD ledger")
    columns = ["id", "date", "kind", "title", "plan_item", "organizer", "source", "recorded_by", "recognized_by"]
    emit_table(rows, [*columns, "counted"])
    for period in found.lecturer:
        until = f" until {period['until'].isoformat()}" if period["until"] else ""
        click.echo(
            f"qualified lecturer since {period['since'].isoformat()}{until}, "
            f"recorded by {period['recorded_by']} (CPD-2024 art. 13-14)"
        )


@command.command("lecturer")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--since", required=True, help="First day of the qualification, YYYY-MM-DD.")
@click.option("--until", "until", help="Last day, YYYY-MM-DD (default: open).")
@click.option("--actor", required=True, help="Who records it (staff of the certificate's society).")
@pass_app
def lecturer(app: AppContext, number: str, since: str, until: str | None, actor: str) -> None:
    """Record that the holder is a qualified lecturer: teaching from then on counts double (CPD-2024 art. 13-14)."""
    from capeval.services import certificates as service
    from capeval.states.commands import RecordLecturer

    command = RecordLecturer(number, parse_day(since), actor, parse_day(until) if until else None)
    row = service.record_lecturer(app.runtime, command)
    until_text = f" until {row.until.isoformat()}" if row.until else ""
    click.echo(f"{number}: qualified lecturer since {row.since.isoformat()}{until_text}, recorded by {row.recorded_by}")


@command.command("report")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option(
    "--year", "years", type=int, multiple=True, help="Year(s) to evaluate (default: each year of validity so far)."
)
@JSON_OPTION
@pass_app
def report(app: AppContext, number: str, years: tuple[int, ...], as_json: bool) -> None:
    """The holder's CPD per year under the society's policy, line by line, with exemptions."""
    from capeval.services import queries

    found = queries.cpd_years(app.runtime, number, years)
    evaluations = [year.evaluation for year in found]
    exempt = {year.evaluation.year for year in found if year.exempt}
    if as_json:
        emit_json([{**e.as_dict(), "exempt": e.year in exempt} for e in evaluations])
        return
    for evaluation in evaluations:
        for line in evaluation.text_lines():
            click.echo(line)
        if evaluation.year in exempt:
            click.echo(f"  {evaluation.year} is excused under the society's contingency plan (CPD-2024 art. 9)")


@command.command("policy")
@click.argument("society")
@click.option("--set", "new_policy", type=click.Choice(list(POLICIES)), help="Choose this policy for the society.")
@click.option("--actor", help="Who chooses (the society's workgroup or administrator; needed with --set).")
@click.option(
    "--from-year",
    "from_year",
    type=int,
    help="First year the new policy judges (default this year; never a past one, CE-2026 art. 31).",
)
@JSON_OPTION
@pass_app
def policy(
    app: AppContext, society: str, new_policy: str | None, actor: str | None, from_year: int | None, as_json: bool
) -> None:
    """Show (or with --set choose) the CPD policy of a society, every rule with its article."""
    from capeval.services import certificates as service
    from capeval.services import queries
    from capeval.states.commands import ChooseCpdPolicy

    if new_policy:
        if not actor:
            raise InputError("cli_cpd_policy_actor_missing")
        service.choose_cpd_policy(app.runtime, ChooseCpdPolicy(society, new_policy, actor, from_year))
    name = queries.cpd_policy_name(app.runtime, society)
    rules = describe_policy(cpd_policy(name))
    if as_json:
        emit_json({"society": society, "policy": name, "rules": rules})
        return
    click.echo(f"society {society}: CPD policy {name}")
    emit_table(rules, ["rule", "value", "source", "meaning"])


@command.command("revoke")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--activity", "activity_id", type=RECORD_ID, required=True, help="The ledger row ('capeval cpd ledger').")
@click.option("--reason", required=True, help="How the hours were obtained by fraud.")
@click.option("--employer-email", "employer_email", required=True, help="Where the holder's employer is told.")
@click.option("--actor", required=True, help="Who revokes (staff of the certificate's society).")
@pass_app
def revoke(app: AppContext, number: str, activity_id: int, reason: str, employer_email: str, actor: str) -> None:
    """Revoke the hours of a ledger activity obtained by fraud and tell the employer (CE-2026 art. 27)."""
    from capeval.services import cpd_revocation

    done = cpd_revocation.revoke_hours(app.runtime, number, activity_id, reason, actor, employer_email)
    click.echo(
        f"{done.registration_number}: hours of activity {done.activity_id} ({done.kind} {done.happened_on}) revoked; "
        f"{done.employer} told"
    )
