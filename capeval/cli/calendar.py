"""`capeval calendar`: the PRC working-day calendar (scripts rely on the output of the first two)."""

from __future__ import annotations

from pathlib import Path

import click

from capeval.light_settings import DEFAULT_DATABASE_FILE, DEFAULT_DATABASE_URL, parse_day
from capeval.services.input_files import read_text, safe_toml
from capeval.states.calendar import WorkingDayCalendar
from capeval.states.errors import InputError

from .main import AppContext, pass_app
from .output import emit_json, emit_table


def _calendar(app: AppContext) -> WorkingDayCalendar:
    """The stored calendar when a database is in use; the bundled schedules when there is none yet."""
    explicit = app.light.database_url != DEFAULT_DATABASE_URL
    if explicit or Path(DEFAULT_DATABASE_FILE).exists():
        from capeval.services import queries

        return queries.working_day_calendar(app.runtime)
    return WorkingDayCalendar.builtin()


@click.group("calendar")
def command() -> None:
    """Working days by the State Council holiday schedules (weekends, holidays, 调休)."""


@command.command("add-working-days")
@click.argument("day", metavar="DATE")
@click.argument("count", metavar="N")
@pass_app
def add_working_days(app: AppContext, day: str, count: str) -> None:
    """Print the N-th working day strictly after DATE (ISO)."""
    try:
        number = int(count)
    except ValueError:
        raise InputError("cli_working_days_count_not_whole", count=count) from None
    projection = _calendar(app).project(parse_day(day), number)
    click.echo(projection.day.isoformat())
    if projection.provisional:
        click.echo(f"暂定 provisional: {projection.basis}", err=True)


@command.command("is-working-day")
@click.argument("day", metavar="DATE")
@pass_app
def is_working_day(app: AppContext, day: str) -> None:
    """Print `yes` or `no`."""
    click.echo("yes" if _calendar(app).is_working_day(parse_day(day)) else "no")


@command.command("import")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--by", "loaded_by", default="administrator", show_default=True, help="Who loads the schedule.")
@pass_app
def import_schedule(app: AppContext, path: Path, loaded_by: str) -> None:
    """Store a newly published year's schedule (TOML, the format of the bundled files) as its next version."""
    from capeval.services import calendar_store

    text = read_text(path)
    safe_toml(text, path)
    result = calendar_store.store_schedule(app.runtime, text, origin=str(path), loaded_by=loaded_by)
    if result.unchanged:
        click.echo(f"{result.year}: unchanged, version {result.version} already has these days")
    else:
        click.echo(f"{result.year}: stored as version {result.version} ({result.source})")
        if result.reprojected:
            click.echo(
                f"provisional deadlines re-projected: {result.reprojected} ({result.moved} moved later, "
                f"{result.still_provisional} still provisional)"
            )


@command.command("years")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def years(app: AppContext, as_json: bool) -> None:
    """List the stored years with their version and source."""
    from capeval.services import calendar_store, queries

    rows = [
        {"year": r.year, "version": r.version, "source": r.source, "loaded_by": r.loaded_by, "loaded_at": r.loaded_at}
        for r in queries.calendar_years(app.runtime)
    ]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["year", "version", "source", "loaded_by"])
    runtime = app.runtime
    missing = calendar_store.missing_next_year(
        queries.working_day_calendar(runtime), runtime.today(), runtime.policy.calendar_warning_from
    )
    if missing is not None:
        click.echo(
            f"警告：{missing.year}年节假日安排尚未导入，跨入该年的期限为暂定。"
            f" warning: no schedule is loaded for {missing.year}; deadlines reaching it are provisional"
            f" (weekends + statutory holidays, no 调休) until it is imported",
            err=True,
        )
