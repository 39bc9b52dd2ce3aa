"""`capeval certificate`: show, change, renew and report on certificates; run the renewal sweep."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from capeval.light_settings import parse_day
from capeval.services import certificates as service
from capeval.services import queries
from capeval.services.register import change_report, write_report
from capeval.services.renewals import refuse_renewal, run_renewal_sweep
from capeval.states.certificates import Change
from capeval.states.commands import (
    ApplyForRenewal,
    ChangeCertificate,
    GrantCpdExemption,
    RefuseRenewal,
    RenewCertificate,
)
from capeval.states.errors import InputError

from .main import AppContext, pass_app
from .output import emit_json, emit_table

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.group("certificate")
def command() -> None:
    """Certificates: status changes, renewal, CPD exemptions, the federation report, the renewal sweep."""


def _report(outcome: service.CertificateOutcome, as_json: bool) -> None:
    if as_json:
        emit_json(outcome)
        return
    moved = f"{outcome.previous_status} -> {outcome.status}" if outcome.previous_status else outcome.status
    banned = "; the holder is banned for life from applying (Q&A Q14)" if outcome.banned else ""
    if outcome.also_revoked:
        banned += f"; also revoked: {', '.join(outcome.also_revoked)}"
    if outcome.closed_cases:
        banned += f"; open cases disqualified: {', '.join(str(case) for case in outcome.closed_cases)}"
    click.echo(f"{outcome.registration_number}: {moved}, valid until {outcome.expires_on.isoformat()}{banned}")


@command.command("show")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@JSON_OPTION
@pass_app
def show(app: AppContext, number: str, as_json: bool) -> None:
    """A certificate with its history, for staff (the public uses `capeval register lookup`)."""
    found = queries.certificate(app.runtime, number, app.language)
    history = [
        {
            "effective_on": h.effective_on,
            "change": h.change,
            "from": h.from_status,
            "to": h.to_status,
            "actor": h.actor,
            "reason": h.reason,
        }
        for h in found.history
    ]
    detail = {
        "registration_number": found.registration_number,
        "holder": found.holder,
        "society": found.society,
        "field": found.field,
        "level": found.level,
        "status": found.status,
        "issued_on": found.issued_on,
        "expires_on": found.expires_on,
        "renewals": found.renewals,
        "superseded_by": found.superseded_by,
        "renewal_requested_on": found.renewal_requested_on,
        "next_reminder_on": found.next_reminder_on,
        "cpd_check_on": found.cpd_check_on,
        "cpd_exempt_years": found.cpd_exempt_years,
        "history": history,
    }
    if as_json:
        emit_json(detail)
        return
    for key, value in detail.items():
        if key != "history":
            click.echo(f"{key}: {value if value not in (None, []) else '-'}")
    emit_table(history, ["effective_on", "change", "from", "to", "actor", "reason"])


def _change_command(change: Change, help_text: str) -> click.Command:
    @click.argument("number", metavar="REGISTRATION_NUMBER")
    @click.option("--actor", required=True, help="Who decides (the workgroup of the certificate's society).")
    @click.option("--reason", default="", help="Why; published in the register and reported to the federation.")
    @JSON_OPTION
    @pass_app
    def run(app: AppContext, number: str, actor: str, reason: str, as_json: bool, fraud: bool = False) -> None:
        _report(
            service.change_certificate(app.runtime, ChangeCertificate(number, change, actor, reason, fraud)), as_json
        )

    run.__doc__ = help_text
    if change is Change.REVOKE:
        run = click.option("--fraud", is_flag=True, help="Revoked for false material: ban the holder for life.")(run)
    return click.command(change.value)(run)


for _change, _help in (
    (Change.SUSPEND, "Suspend a certificate (Q&A Q31)."),
    (Change.RESTORE, "Restore a suspended certificate to active (Q&A Q31)."),
    (Change.CANCEL, "Cancel (注销) a certificate (Q&A Q31)."),
    (Change.REVOKE, "Revoke (撤销) a certificate; with --fraud also ban for life (Q&A Q14)."),
):
    command.add_command(_change_command(_change, _help))


@command.command("apply-renewal")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--actor", required=True, help="Who applies (the holder of the certificate).")
@pass_app
def apply_renewal(app: AppContext, number: str, actor: str) -> None:
    """The member applies for renewal before expiry; the society then reviews CPD and renews."""
    applied_on = service.apply_for_renewal(app.runtime, ApplyForRenewal(number, actor))
    click.echo(f"{number}: renewal applied for on {applied_on.isoformat()}; the society reviews the CPD record")


@command.command("renew")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--actor", required=True, help="Who renews (the workgroup of the certificate's society).")
@click.option("--reason", default="", help="Note for the record (default: the CPD review summary).")
@JSON_OPTION
@pass_app
def renew(app: AppContext, number: str, actor: str, reason: str, as_json: bool) -> None:
    """Renew an applied-for certificate after the CPD review; same number, 5 years from the old expiry."""
    _report(service.renew_certificate(app.runtime, RenewCertificate(number, actor, reason)), as_json)


@command.command("refuse-renewal")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--actor", required=True, help="Who refuses (the workgroup of the certificate's society).")
@click.option("--reason", required=True, help="Why; the holder reads it and may appeal against it.")
@pass_app
def refuse_renewal_command(app: AppContext, number: str, actor: str, reason: str) -> None:
    """Refuse a renewal applied for; the refusal is recorded in the certificate's history and can be appealed."""
    refused_on = refuse_renewal(app.runtime, RefuseRenewal(number, actor, reason))
    click.echo(f"{number}: renewal refused on {refused_on.isoformat()}; the holder is told and may appeal")


@command.command("exempt")
@click.argument("number", metavar="REGISTRATION_NUMBER")
@click.option("--year", type=int, required=True, help="The year of validity to excuse.")
@click.option("--reason", required=True, help="The special reason (CPD-2024 art. 9).")
@click.option("--evidence", required=True, help="The document that proves it.")
@click.option("--actor", required=True, help="Who grants it (the workgroup of the certificate's society).")
@pass_app
def exempt(app: AppContext, number: str, year: int, reason: str, evidence: str, actor: str) -> None:
    """Excuse a year's CPD under the society's contingency plan instead of suspending (Q&A Q25)."""
    service.grant_exemption(app.runtime, GrantCpdExemption(number, year, reason, evidence, actor))
    click.echo(f"{number}: CPD {year} excused ({reason})")


@command.command("report")
@click.option("--from", "start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD.")
@click.option("--out", "path", type=click.Path(path_type=Path), required=True, help="CSV file to write.")
@pass_app
def report(app: AppContext, start: str, end: str, path: Path) -> None:
    """Write every certificate change of a period as CSV for the federation (Q&A Q31)."""
    rows = change_report(app.runtime, parse_day(start), parse_day(end), app.language)
    write_report(rows, path)
    click.echo(f"{len(rows)} change(s) from {start} to {end} written to {path}")


@command.command("sweep")
@click.option("--batch-size", type=int, default=500, show_default=True)
@click.option(
    "--remind", "reminder_days", type=int, multiple=True, help="Days before expiry to remind (default 180, 90, 30)."
)
@JSON_OPTION
@pass_app
def sweep(app: AppContext, batch_size: int, reminder_days: tuple[int, ...], as_json: bool) -> None:
    """Run the renewal sweep once, as of --now (the Prefect flow `renewal-sweep` runs it on a schedule)."""
    if batch_size < 1:
        raise InputError("cli_batch_size_too_small")
    if any(d < 1 for d in reminder_days):
        raise InputError("cli_reminder_days_too_small")
    policy = app.runtime.policies.renewal
    if reminder_days:
        policy = dataclasses.replace(policy, reminder_days=reminder_days)
    result = run_renewal_sweep(app.runtime, policy=policy, batch_size=batch_size)
    if as_json:
        emit_json({**result.as_dict(), "expired_numbers": result.expired})
    else:
        click.echo(
            f"renewal sweep as of {result.as_of}: {result.reminders} reminder(s), {result.cpd_warnings} CPD "
            f"warning(s), {len(result.expired)} expired"
        )
